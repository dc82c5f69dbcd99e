/**
 * Parent orders on PostgreSQL: state survives a restart, and two replicas on one database serialise the fills of
 * one order (each sees the other's; a repeated fillId or an overfill is never double-counted).
 */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { freshSchema, needDatabase, TEST_URL } from './helpers.js';

const replica = async (t: Parameters<typeof freshSchema>[0], schema: string) => {
  const app = await buildApp({ database: { url: TEST_URL, schema }, metrics: false });
  t.teardown(() => app.close());
  return app;
};
type App = Awaited<ReturnType<typeof buildApp>>;
const post = (app: App, url: string, payload: object) => app.inject({ method: 'POST', url, payload });

t.test('an order survives a restart and any replica serves it', async (t) => {
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const a = await replica(t, schema);
  const created = await post(a, '/v1/orders', { side: 'buy', quantity: 1000, horizon: 4, clientOrderId: 'pg-1' });
  t.equal(created.statusCode, 201);
  const id = created.json().id;
  await post(a, `/v1/orders/${id}/decisions`, { step: 0, market: { bid: 10, ask: 10.01 } });
  await post(a, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 250, price: 10.02, fee: 0.25 });
  await a.close();

  const b = await replica(t, schema);
  const order = (await b.inject({ method: 'GET', url: `/v1/orders/${id}` })).json();
  t.same([order.executedQuantity, order.fees, order.decisions.length, order.fills.length, order.arrivalPrice], [250, 0.25, 1, 1, 10.01]);
  t.equal((await post(b, '/v1/orders', { side: 'buy', quantity: 1000, horizon: 4, clientOrderId: 'pg-1' })).statusCode, 200, 'the clientOrderId holds');
  t.equal((await post(b, `/v1/orders/${id}/decisions`, { step: 0, market: { bid: 9, ask: 9.01 } })).json().quantity, 250, 'step 0 answers its stored decision');
  t.equal((await post(b, `/v1/orders/${id}/decisions`, { step: 1, market: { bid: 10, ask: 10.01 } })).json().quantity, 250);
  const listed = (await b.inject({ method: 'GET', url: '/v1/orders?status=working&limit=1' })).json();
  t.same(listed.orders.map((o: { id: string }) => o.id), [id]);
  t.notOk(listed.nextCursor);
});

t.test('two replicas filling one order at once: serialised, nothing double-counted', async (t) => {
  if (!(await needDatabase(t))) return;
  const schema = freshSchema(t);
  const a = await replica(t, schema);
  const b = await replica(t, schema);
  const id = (await post(a, '/v1/orders', { side: 'sell', quantity: 10000, horizon: 10 })).json().id;
  // 20 distinct fills of 100, each sent to both replicas at once, plus two overfills racing for the rest.
  const sends = [];
  for (let i = 0; i < 20; i++) {
    const fill = { fillId: `f${i}`, quantity: 100, price: 50 + i / 100 };
    sends.push(post(a, `/v1/orders/${id}/fills`, fill), post(b, `/v1/orders/${id}/fills`, fill));
  }
  const answers = await Promise.all(sends);
  t.ok(answers.every((r) => r.statusCode === 200), 'every fill and its repeat answered 200');
  const [x, y] = await Promise.all([
    post(a, `/v1/orders/${id}/fills`, { fillId: 'big-a', quantity: 5000, price: 50 }),
    post(b, `/v1/orders/${id}/fills`, { fillId: 'big-b', quantity: 5000, price: 50 }),
  ]);
  t.same([x.statusCode, y.statusCode].sort(), [200, 409], '8000 left: one 5000 fits, the other is an overfill');
  const order = (await b.inject({ method: 'GET', url: `/v1/orders/${id}` })).json();
  t.equal(order.fills.length, 21);
  t.equal(order.executedQuantity, 2000 + 5000);
  const notional = Array.from({ length: 20 }, (_, i) => 100 * (50 + i / 100)).reduce((s, v) => s + v, 0) + 5000 * 50;
  t.ok(Math.abs(order.executedNotional - notional) < 1e-6);
});
