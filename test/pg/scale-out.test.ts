/**
 * The scale-out deployment as processes: two API replicas and workers sharing one PostgreSQL schema. A job
 * submitted to A runs on a worker, its model is promoted through B and served by both within a second; cancel
 * crosses processes within two seconds; a replica restarted during an alias change catches up; a SIGKILLed
 * worker's job is retried, then failed once its attempts are used, each within the documented bound.
 */
import t from 'tap';
import { freshSchema, needDatabase, testPool, waitUntil } from './helpers.js';
import { call, kill, startProcess, type Proc } from './processes.js';
import { qualified } from '../../src/pg/sql.js';
import { tinyTraining } from '../helper.js';

const LOST_AFTER_MS = 1500;
/**
 * lostAfterMs + one sweep interval (lostAfterMs / 3) + slack for a loaded CI machine: the test runs three server
 * processes and a training thread beside another test file on two cores, and one CI run (2026-12-01) saw the
 * re-queue 8.3 s after the kill while the second attempt's failure took 0.6 s. The bound says "never stuck"; the
 * message prints the time taken, and the sweep's own latency is lostAfterMs + lostAfterMs / 3.
 */
const LOST_BOUND_MS = LOST_AFTER_MS + LOST_AFTER_MS / 3 + 10_000;

const longTraining = { ...tinyTraining, model: 'long', episodes: 1_000_000 };
const decision = { policy: { type: 'dqn', model: 'tiny' }, order: { side: 'sell', quantity: 100000, horizon: 20, step: 0, remaining: 100000 }, market: { bid: 99.99, ask: 100.01, volume: 10000, averageVolume: 50000, volatility: 0.05 } };

const settings = { JOB_LOST_AFTER_MS: String(LOST_AFTER_MS), MAX_JOB_ATTEMPTS: '2' };

async function jobOf(api: Proc, id: string) {
  return (await call(api, 'GET', `/admin/training-jobs/${id}`)).json;
}

async function servedVersion(api: Proc): Promise<string | undefined> {
  const res = await fetch(`${api.base}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(decision) });
  return res.status === 200 ? ((await res.json()) as { policy: { version: string } }).policy.version : undefined;
}

t.test('two API replicas and workers on one PostgreSQL', async (top) => {
  const t = top; // processes started in subtests belong to this test, or a subtest's teardown would kill them
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const pool = testPool(t, 2);
  const t0 = Date.now();
  // All three at once: they race for the migrations, the bundled import and pg-boss's schema.
  let [a, b, w1] = await Promise.all([
    startProcess(t, 'api-a', 'src/server.ts', schema, settings),
    startProcess(t, 'api-b', 'src/server.ts', schema, settings),
    startProcess(t, 'worker-1', 'src/worker.ts', schema, settings),
  ]);
  t.comment(`three processes up in ${Date.now() - t0} ms`);
  t.match((await (await fetch(`${a.base}/readyz`)).json()) as object, { status: 'ready', database: 'ok', registryListener: 'listening' });

  await t.test('a job submitted to A is run by the worker, promoted through B, and served by both within a second', async (t) => {
    const submitted = await call(a, 'POST', '/admin/training-jobs', tinyTraining);
    t.equal(submitted.status, 202);
    const id = submitted.json.id as string;
    const done = await waitUntil('the training job to finish', async () => {
      const job = await jobOf(b, id); // progress is visible from any replica
      return ['queued', 'running'].includes(job.status) ? undefined : job;
    }, 120000, 200);
    t.equal(done.status, 'succeeded', done.error);
    t.match(done, { progress: { done: 30, total: 30, percent: 100 }, result: { model: 'tiny', version: '1' } });
    t.ok(done.curve.length > 0, 'the learning curve came back from the worker');
    const model = (await call(a, 'GET', '/admin/models/tiny')).json;
    t.match(model, { versions: [{ version: '1', source: 'training', jobId: id }] }, 'registered by the worker in the shared registry');

    const promoted = await call(b, 'PUT', '/admin/models/tiny/aliases/production', { version: '1', force: true });
    t.equal(promoted.status, 200);
    const since = Date.now();
    await waitUntil('A to serve tiny@1', async () => ((await servedVersion(a)) === '1' ? true : undefined), 1000, 10);
    t.ok(Date.now() - since < 1000, `A serves it ${Date.now() - since} ms after B answered`);
    t.equal(await servedVersion(b), '1', 'B serves it');
  });

  await t.test('cancel through A stops the job B queued, on the worker, within two seconds', async (t) => {
    const id = (await call(b, 'POST', '/admin/training-jobs', longTraining)).json.id as string;
    await waitUntil('the job to run', async () => ((await jobOf(a, id)).status === 'running' ? true : undefined), 30000, 50);
    const since = Date.now();
    const cancelled = await call(a, 'POST', `/admin/training-jobs/${id}/cancel`);
    const elapsed = Date.now() - since;
    t.equal(cancelled.json.status, 'cancelled');
    t.ok(elapsed < 2000, `cancelled in ${elapsed} ms`);
    t.equal((await jobOf(b, id)).status, 'cancelled', 'and stays cancelled');
  });

  await t.test('a replica restarted during an alias change catches up', async (t) => {
    // Version 2 is the same weights, uploaded through A as an operator would.
    const { rows } = await pool.query(`SELECT model_json, encode(weights, 'base64') AS weights, metadata FROM ${qualified(schema, 'model_versions')} WHERE model = 'tiny' AND version = 1`);
    const upload = await call(a, 'POST', '/admin/models/tiny/versions', { modelJson: rows[0].model_json, weights: rows[0].weights, metadata: rows[0].metadata });
    t.equal(upload.status, 201);
    await kill(b);
    t.equal((await call(a, 'PUT', '/admin/models/tiny/aliases/production', { version: '2', force: true })).status, 200);
    b = await startProcess(top, 'api-b2', 'src/server.ts', schema, settings);
    t.equal(await servedVersion(b), '2', 'the restarted replica serves the alias as it is now');
    t.equal(await servedVersion(a), '2');
    // And it listens again: the next change reaches it.
    t.equal((await call(a, 'PUT', '/admin/models/tiny/aliases/production', { version: '1', force: true })).status, 200);
    await waitUntil('B to follow the next change', async () => ((await servedVersion(b)) === '1' ? true : undefined), 1000, 10);
    t.pass('B follows the next change within a second');
  });

  await t.test('a SIGKILLed worker: its job is queued again, then failed when its attempts are used, within the bound', async (t) => {
    const id = (await call(a, 'POST', '/admin/training-jobs', longTraining)).json.id as string;
    await waitUntil('worker 1 to run the job', async () => ((await jobOf(a, id)).status === 'running' ? true : undefined), 30000, 50);
    let since = Date.now();
    await kill(w1);
    await waitUntil('the lost job to be queued again', async () => ((await jobOf(a, id)).status === 'queued' ? true : undefined), LOST_BOUND_MS + 2000, 50);
    let elapsed = Date.now() - since;
    t.ok(elapsed < LOST_BOUND_MS, `queued again ${elapsed} ms after the kill (bound ${LOST_BOUND_MS} ms)`);

    const w2 = await startProcess(top, 'worker-2', 'src/worker.ts', schema, settings);
    await waitUntil('worker 2 to take it', async () => ((await jobOf(a, id)).status === 'running' ? true : undefined), 30000, 50);
    const row = (await pool.query(`SELECT attempt, worker FROM ${qualified(schema, 'jobs')} WHERE id = $1`, [id])).rows[0];
    t.match(row, { attempt: 2, worker: new RegExp(`:${w2.child.pid}$`) }, 'the second attempt runs on worker 2');

    since = Date.now();
    await kill(w2);
    const failed = await waitUntil('the job to fail', async () => {
      const job = await jobOf(b, id);
      return job.status === 'running' ? undefined : job;
    }, LOST_BOUND_MS + 2000, 50);
    elapsed = Date.now() - since;
    t.match(failed, { status: 'failed', error: /stopped heartbeating \(attempt 2 of 2\)/ });
    t.ok(elapsed < LOST_BOUND_MS, `failed ${elapsed} ms after the kill (bound ${LOST_BOUND_MS} ms)`);
  });

  await t.test('a worker stopped with SIGTERM hands its running job back as queued, without using an attempt', async (t) => {
    const w3 = await startProcess(top, 'worker-3', 'src/worker.ts', schema, settings);
    const id = (await call(a, 'POST', '/admin/training-jobs', longTraining)).json.id as string;
    await waitUntil('worker 3 to run the job', async () => ((await jobOf(a, id)).status === 'running' ? true : undefined), 30000, 50);
    await kill(w3, 'SIGTERM');
    t.equal(w3.child.exitCode, 0, 'the worker exits cleanly');
    const row = (await pool.query(`SELECT status, attempt, lease FROM ${qualified(schema, 'jobs')} WHERE id = $1`, [id])).rows[0];
    t.same(row, { status: 'queued', attempt: 0, lease: null });
    t.equal((await call(a, 'POST', `/admin/training-jobs/${id}/cancel`)).json.status, 'cancelled', 'and a queued job cancels at once');
  });

  await Promise.all([kill(a, 'SIGTERM'), kill(b, 'SIGTERM')]);
  t.equal(a.child.exitCode, 0, 'A closes cleanly on SIGTERM');
});

t.test('an unreachable database stops an API replica and a worker at start, saying what to fix', async (t) => {
  const { spawnSync } = await import('node:child_process');
  for (const entry of ['src/server.ts', 'src/worker.ts']) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', PORT: '0', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60000,
    });
    t.equal(run.status, 3, `${entry} exits non-zero`);
    t.match(run.stderr, /cannot reach PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*Check that the server runs and that DATABASE_URL/);
  }
});
