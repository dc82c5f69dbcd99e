/**
 * PostgreSQL going away while a job finishes: the worker survives (pg-boss's unawaited completion included),
 * retries the final writes with backoff, and the job ends succeeded with its result once the database is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { startBoss } from '../../src/pg/boss.js';
import { PgJobStore } from '../../src/pg/job-store.js';
import { PgJobConsumer } from '../../src/pg/job-consumer.js';
import { surviveDatabaseOutages, whileDatabaseDown } from '../../src/pg/outage.js';
import { createPool } from '../../src/pg/pool.js';
import { PgRegistryStore } from '../../src/pg/registry-store.js';
import { freshSchema, needDatabase, TEST_URL, waitUntil } from './helpers.js';
import { outageProxy } from './outage.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

t.test('whileDatabaseDown: retries an outage with growing waits, rethrows anything else at once', async (t) => {
  let calls = 0;
  const waits: number[] = [];
  const value = await whileDatabaseDown(
    async () => {
      if (++calls < 4) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return 'done';
    },
    { initialDelayMs: 1, maxDelayMs: 4, onRetry: (_e, _a, ms) => waits.push(ms) },
  );
  t.equal(value, 'done');
  t.same(waits, [1, 2, 4]);
  calls = 0;
  await t.rejects(whileDatabaseDown(async () => { calls++; throw new Error('syntax error'); }), /syntax error/);
  t.equal(calls, 1, 'a bug is not retried');
});

t.test('a job finishing while PostgreSQL is away: the worker survives and the result is kept', async (t) => {
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const db = await outageProxy(t);
  const warnings: string[] = [];
  const log = { info: () => undefined, warn: (_o: object, msg?: string) => void warnings.push(msg ?? ''), error: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
  // The worker process installs this at start (src/worker.ts); without it the unawaited completion ends it.
  t.teardown(surviveDatabaseOutages(log));

  const api = await buildApp({ database: { url: TEST_URL, schema, lostAfterMs: 60_000 }, admin: { token: TOKEN }, metrics: false });
  t.teardown(() => api.close());
  const pool = createPool({ url: db.url, schema, poolMax: 4 }, 'outage-worker');
  const boss = await startBoss({ url: db.url, schema, applicationName: 'outage-worker-queue', onError: () => undefined });
  const tmp = mkdtempSync(join(tmpdir(), 'outage-worker-'));
  const worker = new PgJobConsumer({
    url: db.url, schema, store: new PgJobStore(pool, schema), registry: new PgRegistryStore(pool, schema), boss, tmpDir: tmp,
    maxConcurrent: 1, lostAfterMs: 60_000, log, retry: { initialDelayMs: 100, maxDelayMs: 500 },
  });
  await worker.start();
  t.teardown(async () => {
    await worker.stop();
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  const submitted = await api.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'almgren-chriss', episodes: 50, policies: ['twap'] } });
  t.equal(submitted.statusCode, 202, submitted.body);
  const id = submitted.json().id as string;
  const job = async () => (await api.inject({ method: 'GET', url: `/admin/evaluations/${id}`, headers: auth })).json();
  await waitUntil('the job to run', async () => ((await job()).status === 'running' ? true : undefined), 30_000, 20);
  await db.cut(); // the evaluation finishes inside the outage: its result and status cannot be written

  await waitUntil('the worker to retry its final write', async () => (warnings.includes('database unavailable; retrying the write') ? true : undefined), 30_000, 50);
  t.equal((await job()).status, 'running', 'nothing written during the outage');
  await db.restore();

  const done = await waitUntil('the job to finish', async () => {
    const j = await job();
    return j.status === 'running' ? undefined : j;
  }, 30_000, 100);
  t.equal(done.status, 'succeeded', done.error);
  t.match(done.result, { episodes: 50 }, 'the result computed during the outage was kept');
  // The stored status can turn before the worker's own bookkeeping (its finally) has run: wait for that too.
  await waitUntil('the worker to be idle', async () => (worker.running.length === 0 ? true : undefined), 5_000, 20);
  t.ok(worker.running.length === 0, 'the worker is alive and idle');
});
