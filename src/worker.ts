/**
 * `npm run worker`: a training/evaluation worker for the PostgreSQL deployment. Any number of these, on any
 * machines, take jobs the API replicas queue (pg-boss), at most MAX_CONCURRENT_JOBS each, and write progress,
 * results and trained models back to the shared database. SIGTERM/SIGINT hand running jobs back to the queue.
 */
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { startBoss } from './pg/boss.js';
import { PgJobStore } from './pg/job-store.js';
import { PgJobConsumer } from './pg/job-consumer.js';
import { migrate } from './pg/migrations.js';
import { surviveDatabaseOutages } from './pg/outage.js';
import { checkReachable, createPool, DatabaseUnavailableError } from './pg/pool.js';
import { PgRegistryStore } from './pg/registry-store.js';
import { startSweeper } from './pg/sweeper.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL is required for a worker (postgres://user:password@host:5432/database); the embedded service runs jobs itself']);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const url = config.databaseUrl!;
  const schema = config.databaseSchema;
  const log = pino({ level: config.logLevel, base: { pid: process.pid, role: 'worker' } });
  surviveDatabaseOutages(log);
  const pool = createPool({ url, schema, poolMax: config.databasePoolMax }, 'ess-worker', (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  await checkReachable(pool, url);
  const { from, to } = await migrate(pool, schema);
  if (from !== to) log.info({ schema, from, to }, 'database schema migrated');
  const boss = await startBoss({ url, schema, applicationName: 'ess-worker-queue', onError: (err) => log.warn({ err: err.message }, 'pg-boss error') });
  const store = new PgJobStore(pool, schema);
  const worker = new PgJobConsumer({
    url,
    schema,
    store,
    registry: new PgRegistryStore(pool, schema),
    boss,
    tmpDir: join(config.dataDir, 'tmp'),
    maxConcurrent: config.maxConcurrentJobs,
    lostAfterMs: config.jobLostAfterMs,
    log,
  });
  const sweeper = startSweeper({ store, boss, lostAfterMs: config.jobLostAfterMs, maxAttempts: config.maxJobAttempts, log });
  await worker.start();
  log.info({ worker: worker.id, maxConcurrentJobs: config.maxConcurrentJobs, schema, lostAfterMs: config.jobLostAfterMs }, 'worker ready');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal, running: worker.running }, 'stopping: handing running jobs back to the queue');
    const timer = setTimeout(() => {
      log.error('stop timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    (async () => {
      await worker.stop();
      await sweeper.stop();
      await boss.stop({ graceful: false, wait: true });
      await pool.end();
    })().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DatabaseUnavailableError) {
    process.stderr.write(`worker failed to start: ${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
