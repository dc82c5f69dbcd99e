/** PostgreSQL going away: the admin API answers 503 with Retry-After (not 500), and recovers with the database. */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { freshSchema, needDatabase, waitUntil } from './helpers.js';
import { outageProxy } from './outage.js';

const auth = { authorization: 'Bearer test-admin-token-0123456789' };

t.test('during a database outage admin routes answer 503 with Retry-After; after it, 200 again', async (t) => {
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const db = await outageProxy(t);
  const app = await buildApp({ database: { url: db.url, schema, lostAfterMs: 5000 }, admin: { token: 'test-admin-token-0123456789' }, metrics: false });
  t.teardown(() => app.close());
  t.equal((await app.inject({ method: 'GET', url: '/admin/training-jobs', headers: auth })).statusCode, 200);

  await db.cut();
  for (const url of ['/admin/training-jobs', '/admin/evaluations', '/admin/training-jobs/00000000-0000-0000-0000-000000000000']) {
    const res = await app.inject({ method: 'GET', url, headers: auth });
    t.equal(res.statusCode, 503, `${url}: ${res.body}`);
    t.equal(res.headers['retry-after'], '5');
    t.match(res.json(), { statusCode: 503, error: 'Service Unavailable', message: /database unavailable/ });
  }
  const decision = await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'twap' }, order: { side: 'sell', quantity: 10, horizon: 2, step: 0, remaining: 10 }, market: { bid: 1, ask: 1 } } });
  t.equal(decision.statusCode, 200, 'decisions do not need the database');

  await db.restore();
  await waitUntil('the admin API to answer again', async () => ((await app.inject({ method: 'GET', url: '/admin/training-jobs', headers: auth })).statusCode === 200 ? true : undefined), 15000, 200);
  t.pass('recovered');
});

t.test('a connection lost inside a transaction fails the transaction, not the process', async (t) => {
  if (!(await needDatabase(t))) return;
  const { inTransaction } = await import('../../src/pg/tx.js');
  const { testPool } = await import('./helpers.js');
  const pool = testPool(t, 2);
  await t.rejects(
    inTransaction(pool, async (client) => {
      // What pg does when the socket dies under a checked-out client: an 'error' event, then the query fails.
      client.emit('error', Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }));
      throw new Error('query failed: connection lost');
    }),
    /connection lost/,
  );
  t.equal(pool.totalCount, 0, 'the broken client was discarded, not pooled');
  t.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool works on');
});
