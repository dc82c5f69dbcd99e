/**
 * The image's entry: one build runs as an API replica or as a job worker, chosen by the first argument
 * (`docker run ess api`, `docker run ess worker`), so every machine runs exactly the same code.
 */
const role = process.argv[2] ?? 'api';
if (role === 'api') await import('./server.js');
else if (role === 'worker') await import('./worker.js');
else {
  process.stderr.write(`unknown role "${role}": use "api" (the HTTP service) or "worker" (training/evaluation jobs, needs DATABASE_URL)\n`);
  process.exit(2);
}
