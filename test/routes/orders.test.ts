import t from 'tap';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../helper.js';
import { loadServingModel } from '../../src/models/serving/serving.js';
import type { ModelSource } from '../../src/registry/served-models.js';

type App = Awaited<ReturnType<typeof build>>;
const T0 = Date.parse('2026-12-07T14:00:00Z');

/** An app whose order clock the test moves. */
async function clocked(t: Parameters<typeof build>[0], extra: Parameters<typeof build>[1] = {}) {
  const clock = { now: T0 };
  const app = await build(t, { ...extra, orders: { clock: () => clock.now } });
  return { app, clock };
}

const post = (app: App, url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers });
const get = (app: App, url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const open = async (app: App, ticket: object) => {
  const res = await post(app, '/v1/orders', ticket);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
};

t.test('a whole TWAP order over HTTP: slices, partial and repeated fills, completion, TCA by hand', async (t) => {
  const { app } = await clocked(t);
  const created = await post(app, '/v1/orders', { side: 'sell', quantity: 1000, horizon: 4, arrivalPrice: 100, policy: { type: 'twap' }, clientOrderId: 'desk-1' });
  t.equal(created.statusCode, 201);
  const order = created.json();
  t.equal(created.headers.location, `/v1/orders/${order.id}`);
  t.same([order.status, order.remaining, order.step, order.ticket.forceCompletion, order.ticket.lotSize], ['working', 1000, 0, true, 1]);

  const decide = (step: number, bid: number, volume: number, marketVwap?: number) =>
    post(app, `/v1/orders/${order.id}/decisions`, { step, market: { bid, ask: bid + 0.1, volume }, ...(marketVwap ? { marketVwap } : {}) });
  const fill = (fillId: string, quantity: number, price: number, fee?: number) => post(app, `/v1/orders/${order.id}/fills`, { fillId, quantity, price, ...(fee ? { fee } : {}) });

  const d0 = await decide(0, 99.9, 5000);
  t.same([d0.statusCode, d0.json().quantity, d0.json().remainingAfter], [200, 250, 750]);
  t.equal((await fill('f1', 250, 99.85, 1)).json().remaining, 750);
  t.equal((await decide(1, 99.8, 4000, 99.82)).json().quantity, 250);
  await fill('f2', 100, 99.78);
  const partial = await fill('f3', 150, 99.76);
  const repeated = await fill('f2', 100, 99.78);
  t.same(repeated.json(), partial.json(), 'a repeated fillId changes nothing');
  const again = await decide(1, 95, 1); // another market in the same step
  t.same(again.json().quantity, 250, 'the same step answers its first decision');
  t.equal((await decide(2, 99.7, 6000, 99.75)).json().quantity, 250);
  await fill('f4', 250, 99.7, 0.5);
  t.equal((await decide(3, 99.6, 3000, 99.65)).json().quantity, 250);
  const done = (await fill('f5', 250, 99.6)).json();
  t.same([done.status, done.remaining, done.unexecuted], ['filled', 0, 0]);

  // By hand: notional 250x99.85 + 100x99.78 + 150x99.76 + 250x99.70 + 250x99.60 = 99729.5; fees 1.5.
  t.ok(Math.abs(done.averagePrice - 99.7295) < 1e-12);
  t.ok(Math.abs(done.shortfall - 272) < 1e-9, 'IS = 100 x 1000 - 99729.5 + 1.5');
  t.ok(Math.abs(done.shortfallBps - 27.2) < 1e-9);
  const tca = (await get(app, `/v1/orders/${order.id}/tca`)).json();
  t.ok(Math.abs(tca.decomposition.delay - 100) < 1e-9, '(100 - 99.9) x 1000');
  t.ok(Math.abs(tca.decomposition.trading - 170.5) < 1e-9, '99.9 x 1000 - 99729.5');
  t.same([tca.decomposition.opportunity, tca.decomposition.fees], [0, 1.5]);
  const vwap = (99.82 * 4000 + 99.75 * 6000 + 99.65 * 3000) / 13000;
  t.ok(Math.abs(tca.vwap.slippage - (99.7295 - vwap) * 1000) < 1e-9);
  t.ok(Math.abs(tca.participation.achieved - 750 / 13000) < 1e-12);

  const trail = (await get(app, `/v1/orders/${order.id}`)).json();
  t.same(trail.decisions.map((d: { step: number }) => d.step), [0, 1, 2, 3], 'every decision once, in order');
  t.same(trail.fills.map((f: { fillId: string }) => f.fillId), ['f1', 'f2', 'f3', 'f4', 'f5']);
  t.same(trail.decisions[1].market, { bid: 99.8, ask: 99.8 + 0.1, volume: 4000 }, 'the inputs of each decision');
  t.equal(trail.fills[2].step, 1, 'a fill belongs to the step of the latest decision');

  t.equal((await decide(3, 99.6, 3000)).statusCode, 200, 'its last decision is still answered');
  const closed = await fill('f6', 1, 99.6);
  t.same([closed.statusCode, closed.json().details[0].path], [409, 'status']);
  t.equal((await fill('f5', 250, 99.6)).statusCode, 200, 'a repeat of the last fill still answers');
  t.equal((await post(app, `/v1/orders/${order.id}/cancel`, {})).statusCode, 409);
  const html = await get(app, `/v1/orders/${order.id}/tca?format=html`);
  t.match(html.headers['content-type'], /text\/html/);
  t.match(html.body, /Schedule vs TWAP/);
  t.match(html.body, /Content-Security-Policy/);
});

t.test('a whole order with the default model: the model decides every step, with explain data when asked', async (t) => {
  const served = await loadServingModel(new URL('../../models/default', import.meta.url).pathname, 'default');
  const models: ModelSource = { resolve: (name) => (name === 'default' ? served : undefined), list: () => [] };
  const { app } = await clocked(t, { models });
  // Inside the default model's trained domain (single shares, a balanced book), so the network answers every step.
  const id = await open(app, { side: 'sell', quantity: 100000, horizon: 20, policy: { type: 'dqn', model: 'default', fallback: { type: 'twap' } } });
  const market = { bid: 99.95, ask: 99.97, bidSize: 1000, askSize: 1000, volume: 40000, averageVolume: 50000, volatility: 0.05 };
  let notional = 0;
  let sold = 0;
  for (let k = 0; k < 20; k++) {
    const bid = 99.95 - 0.01 * k;
    const res = await post(app, `/v1/orders/${id}/decisions${k === 3 ? '?explain=true' : ''}`, { step: k, market: { ...market, bid, ask: bid + 0.02 } });
    t.equal(res.statusCode, 200, res.body);
    const d = res.json();
    t.same([d.policy.type, d.policy.model, d.policy.version], ['dqn', 'default', served.version]);
    t.equal(d.remainingAfter, 100000 - sold - d.quantity);
    if (k === 3) t.same([Object.keys(d.observation).length, d.qValues.length], [11, 39]);
    if (d.quantity > 0) {
      await post(app, `/v1/orders/${id}/fills`, { fillId: `k${k}`, quantity: d.quantity, price: bid });
      notional += d.quantity * bid;
      sold += d.quantity;
    }
  }
  const order = (await get(app, `/v1/orders/${id}?explain=true`)).json();
  t.same([order.status, order.executedQuantity], ['filled', 100000]);
  t.ok(Math.abs(order.shortfall - (99.95 * 100000 - notional)) < 1e-6, 'IS against the first bid, by hand');
  t.equal(order.decisions[3].explain.qValues.length, 39, 'the audit trail keeps explain data');
  t.notOk((await get(app, `/v1/orders/${id}`)).json().decisions[3].explain, 'shown only with ?explain=true');
});

t.test('idempotency: clientOrderId, and a repeat with another ticket is a conflict', async (t) => {
  const { app } = await clocked(t);
  const ticket = { side: 'buy', quantity: 500, horizon: 5, clientOrderId: 'same' };
  const a = await post(app, '/v1/orders', ticket);
  const b = await post(app, '/v1/orders', ticket);
  t.same([a.statusCode, b.statusCode], [201, 200]);
  t.equal(b.json().id, a.json().id);
  t.equal(b.headers.location, a.headers.location);
  const c = await post(app, '/v1/orders', { ...ticket, quantity: 600 });
  t.same([c.statusCode, c.json().details[0].path], [409, 'clientOrderId']);
  const d = await post(app, `/v1/orders/${a.json().id}/fills`, { fillId: 'x', quantity: 10, price: 5 });
  const e = await post(app, `/v1/orders/${a.json().id}/fills`, { fillId: 'x', quantity: 11, price: 5 });
  t.same([d.statusCode, e.statusCode], [200, 409], 'a used fillId with other values');
  const list = (await get(app, '/v1/orders')).json();
  t.equal(list.orders.length, 1, 'one order, not two');
});

t.test('the clock: steps follow it, a past step is refused, the order expires with what was left', async (t) => {
  const { app, clock } = await clocked(t);
  const id = await open(app, { side: 'sell', quantity: 900, horizon: 3, stepSeconds: 60 });
  const market = { bid: 10, ask: 10.01 };
  t.equal((await post(app, `/v1/orders/${id}/decisions`, { market })).json().step, 0);
  clock.now = T0 + 61_000;
  const d1 = (await post(app, `/v1/orders/${id}/decisions`, { market })).json();
  t.same([d1.step, d1.quantity], [1, 450], 'nothing filled yet: 900 over the 2 steps left');
  const past = await post(app, `/v1/orders/${id}/decisions`, { step: 0, market: { bid: 9, ask: 9.01 } });
  t.equal(past.json().quantity, 300, 'step 0 was decided: its decision again');
  const skipped = await open(app, { side: 'sell', quantity: 900, horizon: 3, stepSeconds: 60, startTime: new Date(T0).toISOString() });
  await post(app, `/v1/orders/${skipped}/decisions`, { step: 2, market });
  const gone = await post(app, `/v1/orders/${skipped}/decisions`, { step: 1, market });
  t.same([gone.statusCode, gone.json().details[0].path], [409, 'step'], 'a step before the latest decision has passed');
  await post(app, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 300, price: 10 });
  clock.now = T0 + 180_000;
  const expired = (await get(app, `/v1/orders/${id}`)).json();
  t.same([expired.status, expired.unexecuted, expired.closedAt], ['expired', 600, new Date(T0 + 180_000).toISOString()]);
  t.equal((await post(app, `/v1/orders/${id}/decisions`, { market })).statusCode, 409);
  t.equal((await post(app, `/v1/orders/${id}/fills`, { fillId: 'b', quantity: 1, price: 10 })).statusCode, 409);
  const id2 = await open(app, { side: 'sell', quantity: 10, horizon: 1 });
  clock.now += 60_000;
  const listed = (await get(app, '/v1/orders?status=expired')).json().orders.map((o: { id: string }) => o.id);
  t.same(listed, [id, skipped, id2], 'listing expires what is due, oldest first');
  const late = await post(app, '/v1/orders', { side: 'sell', quantity: 10, horizon: 2, startTime: new Date(clock.now + 120_000).toISOString() });
  t.equal((await post(app, `/v1/orders/${late.json().id}/decisions`, { market })).statusCode, 409, 'not started yet');
});

t.test('cap, capInfeasible early, forceCompletion false over HTTP', async (t) => {
  const { app } = await clocked(t);
  const ticket = { side: 'sell', quantity: 1000, horizon: 2, maxParticipation: 0.1 };
  const market = { bid: 10, ask: 10.01, volume: 2000 };
  const free = await open(app, { ...ticket, forceCompletion: false });
  const first = (await post(app, `/v1/orders/${free}/decisions`, { step: 0, market })).json();
  t.same([first.quantity, first.capped, first.capInfeasible, first.capShortfall], [200, true, true, 600], 'said at the first step');
  await post(app, `/v1/orders/${free}/fills`, { fillId: 'a', quantity: 200, price: 10 });
  const last = (await post(app, `/v1/orders/${free}/decisions`, { step: 1, market })).json();
  t.same([last.quantity, last.forced, last.unexecuted], [200, false, 600], 'never over the cap; the rest unexecuted');
  const forced = await open(app, ticket);
  await post(app, `/v1/orders/${forced}/decisions`, { step: 0, market });
  const end = (await post(app, `/v1/orders/${forced}/decisions`, { step: 1, market })).json();
  t.same([end.quantity, end.forced], [1000, true], 'forceCompletion (default) trades the rest, flagged');
  const busy = await open(app, { ...ticket, quantity: 10000, horizon: 20 });
  const low = (await post(app, `/v1/orders/${busy}/decisions`, { step: 0, market: { bid: 10, ask: 10.01, volume: 90000, averageVolume: 1000 } })).json();
  t.same([low.volumeEstimate, low.quantity], [1000, 100], 'TWAP 500, capped at 0.1 x 1000: the cap is on the coming step\'s estimate, not the busy previous step');
  const told = (await post(app, `/v1/orders/${busy}/decisions`, { step: 1, expectedVolume: 3000, market: { bid: 10, ask: 10.01, volume: 90000 } })).json();
  t.same([told.volumeEstimate, told.quantity], [3000, 300], 'the desk\'s forecast when sent (TWAP 526, capped at 0.1 x 3000)');
});

t.test('the I-would price trades as much as the cap allows', async (t) => {
  const { app } = await clocked(t);
  const id = await open(app, { side: 'buy', quantity: 1000, horizon: 10, maxParticipation: 0.25, iWouldPrice: 20, limitPrice: 21 });
  const dear = (await post(app, `/v1/orders/${id}/decisions`, { step: 0, market: { bid: 20.4, ask: 20.5, volume: 2000 } })).json();
  t.same([dear.quantity, dear.iWould], [100, false]);
  const cheap = (await post(app, `/v1/orders/${id}/decisions`, { step: 1, market: { bid: 19.9, ask: 20, volume: 2000 } })).json();
  t.same([cheap.quantity, cheap.iWould, cheap.capped], [500, true, true]);
  const blocked = (await post(app, `/v1/orders/${id}/decisions`, { step: 2, market: { bid: 21.4, ask: 21.5, volume: 2000 } })).json();
  t.same([blocked.quantity, blocked.limited], [0, true], 'the limit price still holds');
});

t.test('every bad-input class: 400 naming the field, 404, 409', async (t) => {
  const { app } = await clocked(t);
  const ac = { type: 'almgren-chriss', eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 };
  const base = { side: 'sell', quantity: 1000, horizon: 10 };
  const bad: Array<[object, string]> = [
    [{ quantity: 10, horizon: 2 }, 'side'],
    [{ ...base, quantity: 0 }, 'quantity'],
    [{ ...base, quantity: 1.5 }, 'quantity'],
    [{ ...base, side: 'short' }, 'side'],
    [{ ...base, horizon: 10001 }, 'horizon'],
    [{ side: 'sell', quantity: 10 }, 'horizon'],
    [{ ...base, endTime: '2026-12-07T15:00:00Z' }, 'endTime'],
    [{ side: 'sell', quantity: 10, startTime: '2026-12-07T15:00:00Z', endTime: '2026-12-07T14:00:00Z' }, 'endTime'],
    [{ ...base, startTime: 'yesterday' }, 'startTime'],
    [{ ...base, maxParticipaton: 0.1 }, 'maxParticipaton'],
    [{ ...base, maxParticipation: 1.5 }, 'maxParticipation'],
    [{ ...base, maxParticipation: 0.1, minParticipation: 0.2 }, 'minParticipation'],
    [{ ...base, lotSize: 2000 }, 'lotSize'],
    [{ ...base, limitPrice: 100, iWouldPrice: 99 }, 'iWouldPrice'],
    [{ ...base, urgency: 'high' }, 'urgency'],
    [{ ...base, urgency: 'now', policy: ac }, 'urgency'],
    [{ ...base, urgency: 'high', policy: { ...ac, riskAversion: 1e-6 } }, 'urgency'],
    [{ ...base, policy: { ...ac, eta: 1e-7 } }, 'policy.eta'],
    [{ ...base, policy: { type: 'vwap', volumeProfile: [1, 2] } }, 'policy.volumeProfile'],
    [{ ...base, policy: { type: 'dqn', model: 'm', fallback: { type: 'pov', rate: 2 } } }, 'policy.fallback.rate'],
    [{ ...base, clientOrderId: 'has space' }, 'clientOrderId'],
    [{ ...base, arrivalPrice: -1 }, 'arrivalPrice'],
  ];
  for (const [ticket, path] of bad) {
    const res = await post(app, '/v1/orders', ticket);
    t.equal(res.statusCode, 400, `${JSON.stringify(ticket)}: ${res.body}`);
    t.ok(res.json().details.some((d: { path: string }) => d.path === path), `names ${path}: ${res.body}`);
  }
  const id = await open(app, { ...base, maxParticipation: 0.2 });
  const badDecisions: Array<[object, string]> = [
    [{ market: { bid: 10.1, ask: 10 , volume: 5 } }, 'market.bid'],
    [{ market: { bid: 10, ask: 10.1 } }, 'market.volume'],
    [{ market: { bid: 10, ask: 10.1, volume: 5 }, step: -1 }, 'step'],
    [{ market: { bid: 10, ask: 10.1, volume: 5 }, marketVwap: 0 }, 'marketVwap'],
    [{}, 'market'],
  ];
  for (const [body, path] of badDecisions) {
    const res = await post(app, `/v1/orders/${id}/decisions`, body);
    t.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    t.ok(res.json().details.some((d: { path: string }) => d.path === path), `names ${path}: ${res.body}`);
  }
  t.equal((await post(app, `/v1/orders/${id}/decisions`, { step: 10, market: { bid: 10, ask: 10.1, volume: 5 } })).statusCode, 409, 'past the horizon');
  const badFills: Array<[object, string]> = [
    [{ fillId: 'a', quantity: 0, price: 10 }, 'quantity'],
    [{ fillId: 'a', quantity: 1, price: -10 }, 'price'],
    [{ fillId: 'a', quantity: 1, price: 10, fee: -1 }, 'fee'],
    [{ fillId: 'a', quantity: 1, price: 10, time: 'later' }, 'time'],
    [{ quantity: 1, price: 10 }, 'fillId'],
  ];
  for (const [body, path] of badFills) {
    const res = await post(app, `/v1/orders/${id}/fills`, body);
    t.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    t.ok(res.json().details.some((d: { path: string }) => d.path === path), `names ${path}: ${res.body}`);
  }
  t.equal((await post(app, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 1001, price: 10 })).statusCode, 409, 'overfill');
  t.equal((await post(app, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 1, price: 10, side: 'buy' })).statusCode, 409, 'wrong side');
  t.equal((await get(app, '/v1/orders/nope')).statusCode, 404);
  t.equal((await post(app, '/v1/orders/nope/fills', { fillId: 'a', quantity: 1, price: 1 })).statusCode, 404);
  t.equal((await post(app, '/v1/orders/nope/decisions', { market: { bid: 1, ask: 1 } })).statusCode, 404);
  t.equal((await get(app, '/v1/orders/nope/tca')).statusCode, 404);
  t.equal((await get(app, '/v1/orders?limit=0')).statusCode, 400);
  t.equal((await get(app, '/v1/orders?status=open')).statusCode, 400);
  t.equal((await get(app, '/v1/orders?cursor=a%20b')).statusCode, 400);
  const model = await open(app, { ...base, policy: { type: 'dqn', model: 'missing' } });
  const missing = await post(app, `/v1/orders/${model}/decisions`, { market: { bid: 10, ask: 10.1 } });
  t.same([missing.statusCode, missing.json().details[0].path], [404, 'policy.model'], 'a model that does not serve, without fallback');
  t.equal((await post(app, `/v1/orders/${id}/cancel`, {})).json().status, 'cancelled');
  t.equal((await post(app, `/v1/orders/${id}/cancel`, {})).statusCode, 409, 'cancel twice');
});

t.test('listing pages by status', async (t) => {
  const { app } = await clocked(t);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await open(app, { side: 'sell', quantity: 10, horizon: 2 }));
  await post(app, `/v1/orders/${ids[1]}/cancel`, {});
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await get(app, `/v1/orders?status=working&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
    seen.push(...page.orders.map((o: { id: string }) => o.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.same(seen.sort(), [ids[0], ids[2], ids[3], ids[4]].sort());
  t.same((await get(app, '/v1/orders?status=cancelled')).json().orders.map((o: { id: string }) => o.id), [ids[1]]);
});

t.test('API_TOKEN: /v1 needs the bearer token, health does not', async (t) => {
  const token = 'api-token-0123456789';
  const app = await build(t, { apiToken: token });
  const ticket = { side: 'sell', quantity: 10, horizon: 2 };
  t.equal((await post(app, '/v1/orders', ticket)).statusCode, 401);
  t.equal((await post(app, '/v1/orders', ticket, { authorization: 'Bearer wrong-token-000000' })).statusCode, 401);
  t.equal((await post(app, '/v1/orders', ticket, { authorization: `Bearer ${token}` })).statusCode, 201);
  t.equal((await get(app, '/v1/policies')).statusCode, 401, 'every /v1 route');
  t.equal((await get(app, '/healthz')).statusCode, 200);
  const openApp = await build(t);
  t.equal((await post(openApp, '/v1/orders', ticket)).statusCode, 201, 'without API_TOKEN /v1 stays open');
});

t.test('state survives a restart on the file store', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'orders-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const first = await buildAppAt(dataDir);
  const id = await open(first, { side: 'sell', quantity: 1000, horizon: 4, clientOrderId: 'persist' });
  await post(first, `/v1/orders/${id}/decisions`, { step: 0, market: { bid: 10, ask: 10.01 } });
  await post(first, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 250, price: 10 });
  const before = (await get(first, `/v1/orders/${id}`)).json();
  await first.close();
  // A crash in the middle of appending a change leaves a torn last line: it was never acknowledged, so it is dropped.
  await appendFile(join(dataDir, 'orders', `${id}.jsonl`), '{"delta":{"status":"fil');
  const second = await buildAppAt(dataDir);
  t.teardown(() => second.close());
  const order = (await get(second, `/v1/orders/${id}`)).json();
  t.same(order, before, 'the same order, audit trail included');
  t.same([order.executedQuantity, order.decisions.length, order.fills.length, order.arrivalPrice], [250, 1, 1, 10]);
  t.equal((await post(second, '/v1/orders', { side: 'sell', quantity: 1000, horizon: 4, clientOrderId: 'persist' })).json().id, id, 'the clientOrderId too');
  t.equal((await post(second, `/v1/orders/${id}/fills`, { fillId: 'a', quantity: 250, price: 10 })).json().executedQuantity, 250, 'and its fills');
  t.equal((await post(second, `/v1/orders/${id}/decisions`, { step: 1, market: { bid: 10, ask: 10.01 } })).json().quantity, 250);
});

async function buildAppAt(dataDir: string) {
  const { buildApp } = await import('../../src/app.js');
  return buildApp({ metrics: false, dataDir, orders: { clock: () => T0 } });
}

t.test('a model that fails to decide falls back to the ticket\'s baseline, or is a 503', async (t) => {
  const broken: ModelSource = {
    resolve: (name) => (name === 'broken' ? { name, version: '1', infer: () => { throw new Error('boom'); } } : undefined),
    list: () => [],
  };
  const { app } = await clocked(t, { models: broken });
  const market = { market: { bid: 10, ask: 10.01 } };
  const withFallback = await open(app, { side: 'sell', quantity: 1000, horizon: 4, policy: { type: 'dqn', model: 'broken', fallback: { type: 'twap' } } });
  const d = (await post(app, `/v1/orders/${withFallback}/decisions`, market)).json();
  t.same([d.quantity, d.policy.type, d.fallback, d.fallbackReason], [250, 'twap', true, 'model broken failed to decide']);
  const audit = (await get(app, `/v1/orders/${withFallback}`)).json().decisions[0];
  t.equal(audit.fallbackReason, 'model broken failed to decide', 'the audit trail says why');
  const without = await open(app, { side: 'sell', quantity: 1000, horizon: 4, policy: { type: 'dqn', model: 'broken' } });
  t.equal((await post(app, `/v1/orders/${without}/decisions`, market)).statusCode, 503);
  t.equal((await get(app, `/v1/orders/${without}`)).json().decisions.length, 0, 'nothing recorded');
});

t.test('the OpenAPI document has every order route, with examples and the API token', async (t) => {
  const { openapiDocument } = await import('../../scripts/write-openapi.js');
  const doc = JSON.parse(await openapiDocument());
  const routes: Array<[string, string]> = [
    ['/v1/orders', 'post'], ['/v1/orders', 'get'], ['/v1/orders/{id}', 'get'], ['/v1/orders/{id}/decisions', 'post'],
    ['/v1/orders/{id}/fills', 'post'], ['/v1/orders/{id}/cancel', 'post'], ['/v1/orders/{id}/tca', 'get'],
  ];
  for (const [path, method] of routes) {
    const op = doc.paths[path]?.[method];
    t.ok(op, `${method} ${path}`);
    const body = op?.requestBody?.content?.['application/json'];
    const hasExample = body ? body.example !== undefined : (op?.parameters ?? []).some((p: { example?: unknown }) => p.example !== undefined);
    t.ok(hasExample, `${method} ${path} has an example`);
    t.same(op?.security, [{ apiToken: [] }]);
  }
});

t.test('API_TOKEN from the environment: unset by default, 16 characters at least', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  t.equal(loadConfig({}).apiToken, undefined);
  t.equal(loadConfig({ API_TOKEN: 'api-token-0123456789' }).apiToken, 'api-token-0123456789');
  t.throws(() => loadConfig({ API_TOKEN: 'short' }), /API_TOKEN must be at least 16 characters/);
});
