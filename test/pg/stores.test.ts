/**
 * The PostgreSQL stores behind the registry and job interfaces, their SQL builders, and the registry sync: a
 * change reaches another replica's served models through NOTIFY, and a replica whose listener lost its
 * connection catches up on reconnect even for a change it was never notified of.
 */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import type { JobRecord } from '../../src/jobs/types.js';
import { servingModelOf } from '../../src/models/serving/serving.js';
import { PgJobStore, LeaseLostError } from '../../src/pg/job-store.js';
import { updateJobSql } from '../../src/pg/job-sql.js';
import { migrate } from '../../src/pg/migrations.js';
import { storedModelRef, toStoredPlan } from '../../src/pg/plan-codec.js';
import { PgRegistryStore } from '../../src/pg/registry-store.js';
import { RegistrySync } from '../../src/pg/registry-sync.js';
import { qualified } from '../../src/pg/sql.js';
import { RegistryModelSource } from '../../src/registry/model-source.js';
import { RegistryError } from '../../src/registry/types.js';
import { makeArtifact } from '../models/fixtures.js';
import { freshSchema, needDatabase, TEST_URL, testPool, waitUntil } from './helpers.js';

const order = { side: 'sell', quantity: 100000, horizon: 20, step: 0, remaining: 100000 } as const;
const market = { bid: 99.99, ask: 100.01, volume: 10000, averageVolume: 50000, volatility: 0.05 } as const;

t.test('SQL builders are pure: an update names only the patched columns, clears undefined, guards by lease', async (t) => {
  const q = updateJobSql('s', 'id1', { status: 'running', error: undefined, progress: { done: 1, total: 2, percent: 50 } });
  t.equal(q.text, 'UPDATE "s"."jobs" SET status = $2, error = $3, progress = $4 WHERE id = $1 RETURNING id, kind, status, created_at, started_at, finished_at, request, progress, metrics, curve, error, result');
  t.same(q.values, ['id1', 'running', null, '{"done":1,"total":2,"percent":50}']);
  const leased = updateJobSql('s', 'id1', { status: 'failed' }, 'L');
  t.match(leased.text, /WHERE id = \$1 AND lease = \$3 RETURNING/);
  t.same(leased.values, ['id1', 'failed', 'L']);
  t.throws(() => updateJobSql('s', 'x', { bogus: 1 } as never), /not a job field: bogus/);
  t.same(storedModelRef('dqn:a.b@12'), { model: 'a.b', version: '12' });
  t.throws(() => storedModelRef('twap'));
  t.throws(() => storedModelRef('dqn:a.b'), 'no concrete version');
});

t.test('an evaluation plan is stored with references, not artifact bytes', async (t) => {
  const artifact = await makeArtifact(3);
  const stored = toStoredPlan({ kind: 'evaluation', spec: { scenario: { scenario: 'regime-liquidity' }, episodes: 5, baselines: ['twap'], models: [{ policy: 'dqn:m@2', artifact }], keepPaths: 0 } });
  t.same(stored.kind === 'evaluation' && stored.spec.models, [{ policy: 'dqn:m@2', model: 'm', version: '2' }]);
  t.notOk(JSON.stringify(stored).includes('weightsManifest'), 'no artifact in the stored plan');
});

t.test('registry store: numbering under concurrency, byte-exact artifacts, aliases and their rules', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t, 6);
  const schema = freshSchema(t);
  await migrate(pool, schema);
  const store = new PgRegistryStore(pool, schema);
  const artifact = await makeArtifact(5);

  const added = await Promise.all(Array.from({ length: 5 }, () => store.addVersion('m', artifact, { source: 'upload' })));
  t.same(added.map((v) => v.version).sort(), ['1', '2', '3', '4', '5'], 'concurrent uploads get distinct numbers');
  const back = await store.readArtifact('m', '3');
  t.same(Buffer.from(back.weightData), Buffer.from(artifact.weightData), 'weights byte for byte');
  t.equal(JSON.stringify(back.modelJson), JSON.stringify(artifact.modelJson), 'model.json as it was');
  t.same(
    servingModelOf('m', back).infer(order, market).qValues,
    servingModelOf('m', artifact).infer(order, market).qValues,
    'identical Q-values after the round trip',
  );

  await store.addVersion('m', artifact, { source: 'training', jobId: 'job-1' });
  const record = await store.setAlias('m', 'production', '6');
  t.same(record.aliases, { production: '6' });
  t.match(record.versions.at(-1), { version: '6', source: 'training', jobId: 'job-1', metadata: { format: artifact.metadata.format } });
  await t.rejects(store.deleteVersion('m', '6'), { statusCode: 409, message: /still aliased as production/ });
  await t.rejects(store.setAlias('m', 'production', '99'), new RegistryError(404, 'version not found: m@99', 'version'));
  await t.rejects(store.setAlias('nope', 'production', '1'), new RegistryError(404, 'model not found: nope', 'name'));
  await t.rejects(store.readArtifact('m', 'x'), RegistryError);
  await t.rejects(store.deleteAlias('m', 'staging'), new RegistryError(404, 'alias not found: m@staging', 'alias'));
  t.same((await store.deleteVersion('m', '1')).versions.map((v) => v.version), ['2', '3', '4', '5', '6']);
  t.same((await store.deleteAlias('m', 'production')).aliases, {});
  t.equal(await store.getModel('bad name!'), undefined);
  t.same((await store.listModels()).map((m) => m.name), ['m']);
});

t.test('job store: the JobStore contract, leases, and the sweep of lost workers', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t);
  const schema = freshSchema(t);
  await migrate(pool, schema);
  const store = new PgJobStore(pool, schema);
  const job = (id: string, createdAt: string): JobRecord => ({ id, kind: 'training', status: 'queued', createdAt, request: { a: 1 }, progress: { done: 0, total: 10, percent: 0 }, curve: [] });
  await store.create(job('a', '2026-01-01T00:00:00.000Z'), { kind: 'training' });
  await store.create(job('b', '2026-01-02T00:00:00.000Z'));
  await store.create({ ...job('c', '2026-01-03T00:00:00.000Z'), kind: 'evaluation' });
  t.same(await store.get('a'), job('a', '2026-01-01T00:00:00.000Z'), 'the record as created, no null fields');
  t.equal(await store.get('zzz'), undefined);
  const listed = await store.list({ offset: 0, limit: 2 });
  t.same([listed.items.map((j) => j.id), listed.total], [['c', 'b'], 3], 'newest first, total over all pages');
  t.same((await store.list({ kind: 'training', offset: 1, limit: 5 })).items.map((j) => j.id), ['a']);
  const updated = await store.update('b', { progress: { done: 5, total: 10, percent: 50 }, metrics: { loss: 0.5 }, curve: [{ episode: 1, loss: 0.5 }] });
  t.match(updated, { status: 'queued', progress: { done: 5 }, metrics: { loss: 0.5 }, curve: [{ episode: 1 }] });

  const claimed = await store.claim('a', 'lease-1', 'w1');
  t.match(claimed, { record: { status: 'running' }, plan: { kind: 'training' }, attempt: 1, cancelRequested: false });
  t.equal(await store.claim('a', 'lease-2', 'w2'), undefined, 'a second claim (a duplicate wake-up) gets nothing');
  t.same(await store.heartbeat('a', 'lease-1'), { cancelRequested: false });
  t.ok(await store.requestCancel('a'));
  t.same(await store.heartbeat('a', 'lease-1'), { cancelRequested: true }, 'the heartbeat reads the cancel flag');
  await t.rejects(store.updateLeased('a', 'lease-2', { status: 'succeeded' }), LeaseLostError, 'another lease cannot write');
  t.match(await store.cancelQueued('c'), { status: 'cancelled' });

  // Lost workers: b claimed twice (attempts used up), d once; neither heartbeats any more.
  await store.create(job('d', '2026-01-04T00:00:00.000Z'));
  await store.claim('b', 'lb', 'w1');
  await pool.query(`UPDATE ${qualified(schema, 'jobs')} SET attempt = 2 WHERE id = 'b'`);
  await store.claim('d', 'ld', 'w1');
  t.same(await store.sweep(60_000, 2), [], 'fresh heartbeats are not lost');
  await pool.query(`UPDATE ${qualified(schema, 'jobs')} SET heartbeat_at = now() - interval '2 seconds' WHERE status = 'running'`);
  const swept = (await store.sweep(1000, 2)).sort((x, y) => x.id.localeCompare(y.id));
  t.same(swept, [
    { id: 'a', status: 'cancelled', attempt: 1 },
    { id: 'b', status: 'failed', attempt: 2 },
    { id: 'd', status: 'queued', attempt: 1 },
  ]);
  t.match(await store.get('b'), { status: 'failed', error: /interrupted: worker w1 stopped heartbeating \(attempt 2 of 2\)/, finishedAt: String });
  t.same(await store.heartbeat('d', 'ld'), undefined, 'the lost worker learns it lost the job');
  t.ok(await store.claim('d', 'ld2', 'w2'), 'the queued job can be claimed again');
});

t.test('registry sync: a change reaches another replica by NOTIFY; a missed one is caught up on reconnect', async (t) => {
  if (!(await needDatabase(t))) return;
  const pool = testPool(t);
  const schema = freshSchema(t);
  await migrate(pool, schema);
  const writer = new PgRegistryStore(pool, schema);
  const artifact = await makeArtifact(9, undefined, [8]);
  await writer.addVersion('m', artifact, { source: 'upload' });
  await writer.addVersion('m', artifact, { source: 'upload' });
  await writer.setAlias('m', 'production', '1');

  const replica = new RegistryModelSource(new PgRegistryStore(pool, schema));
  const sync = new RegistrySync({ url: TEST_URL, schema, source: replica });
  await sync.start();
  t.teardown(() => sync.stop());
  t.equal(replica.resolve('m')?.version, '1', 'loaded at start');

  const t0 = Date.now();
  await writer.setAlias('m', 'production', '2');
  await waitUntil('the alias to reach the replica', async () => (replica.resolve('m')?.version === '2' ? true : undefined), 1000, 5);
  t.ok(Date.now() - t0 < 1000, `served the new version ${Date.now() - t0} ms after the change`);

  // Drop the listener's connection, and change the alias behind its back without any NOTIFY: only the
  // catch-up after reconnecting can bring it.
  const killed = await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND query LIKE $1`, [`%${schema}_registry%`]);
  t.equal(killed.rowCount, 1, 'the listener connection was terminated');
  await pool.query(`UPDATE ${qualified(schema, 'model_aliases')} SET version = 1 WHERE model = 'm' AND alias = 'production'`);
  await waitUntil('the replica to catch up after reconnecting', async () => (replica.resolve('m')?.version === '1' ? true : undefined), 5000, 20);
  t.pass('caught up');
  t.ok(sync.connected, 'listening again');
});

t.test('the app on PostgreSQL: /readyz reports the database; an unreachable one stops start-up with a clear error', async (t) => {
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const app = await buildApp({ database: { url: TEST_URL, schema, lostAfterMs: 5000 }, admin: { token: 'test-admin-token-0123456789' }, metrics: false });
  t.teardown(() => app.close());
  t.match((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready', database: 'ok', registryListener: 'listening' });
  t.same((await app.inject({ method: 'GET', url: '/admin/models', headers: { authorization: 'Bearer test-admin-token-0123456789' } })).json(), { items: [] });

  await t.rejects(
    buildApp({ database: { url: 'postgres://postgres@127.0.0.1:1/none', schema: 'ess' }, metrics: false }),
    { name: 'DatabaseUnavailableError', message: /cannot reach PostgreSQL at 127\.0\.0\.1:1\/none: .*DATABASE_URL/ },
  );
});
