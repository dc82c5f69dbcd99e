/**
 * A dqn request is answered by the network only inside the model's domain: each bound out (with and without a
 * fallback), missing observation fields, non-finite Q-values and a model without a recorded domain. The model is
 * the shipped `regime-liquidity` specialist (sells, T = 20, Q = 10% of the horizon's volume, no cap, no lots).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { applyConstraints } from '../../src/core/constraints.js';
import { loadModelCatalog } from '../../src/models/serving/catalog.js';
import { servingModelOf } from '../../src/models/serving/serving.js';
import type { ModelSource } from '../../src/registry/served-models.js';
import { makeArtifact } from '../models/fixtures.js';
import { build } from '../helper.js';

const catalog = await loadModelCatalog('models');
const shipped = catalog.get('regime-liquidity')!;
const source = (extra: Record<string, ReturnType<typeof servingModelOf>> = {}): ModelSource => ({
  resolve: (name) => (name === 'regime-liquidity' ? shipped : extra[name]),
  list: () => [],
});

const order = { side: 'sell', quantity: 100000, horizon: 20, step: 3, remaining: 85000, arrivalPrice: 99.99, executedNotional: 1499850 };
const market = { bid: 99.95, ask: 99.97, volume: 90000, averageVolume: 50000, volatility: 0.05 };
type Req = { order: Record<string, unknown>; market: Record<string, unknown> };
const post = (app: Awaited<ReturnType<typeof build>>, payload: object) => app.inject({ method: 'POST', url: '/v1/decisions', payload });

t.test('inside the domain: the network answers and says "domain": "in"', async (t) => {
  const app = await build(t, { models: source() });
  const res = await post(app, { policy: { type: 'dqn', model: 'regime-liquidity' }, order, market });
  t.equal(res.statusCode, 200);
  const body = res.json();
  const expected = shipped.infer(order as never, market);
  t.match(body, { domain: 'in', policy: { type: 'dqn', model: 'regime-liquidity' }, action: expected.action });
  t.equal(body.quantity, applyConstraints(order as never, market, expected.proposal).quantity);
  t.notOk('fallback' in body);
});

// One bound broken at a time: the request change, the field the answer must name, and what the reason says.
const outside: [string, (r: Req) => void, string, RegExp][] = [
  ['a buy (trained on sells)', (r) => (r.order.side = 'buy'), 'order.side', /trained on sell orders only/],
  ['horizon 390', (r) => (r.order.horizon = 390), 'order.horizon', /horizon .* = 390 is outside the trained range \[20, 20\]/],
  ['twice the size', (r) => { r.order.quantity = 200000; r.order.remaining = 185000; }, 'order.quantity', /orderSizeVsVolume .* = 0.2 is outside/],
  ['price level 20', (r) => { r.market.bid = 19.99; r.market.ask = 20.01; r.order.arrivalPrice = 20; r.order.executedNotional = 300000; }, 'market.bid', /price .* = 20 is outside/],
  ['a participation cap', (r) => (r.order.maxParticipation = 0.2), 'order.maxParticipation', /maxParticipation .* = 0.2 is outside/],
  ['lots of 100', (r) => (r.order.lotSize = 100), 'order.lotSize', /lotFraction .* = 0.001 is outside/],
  ['volatility 0.2', (r) => (r.market.volatility = 0.2), 'market.volatility', /volatilityBps = 20.01 is outside/],
  ['a 10 bps spread', (r) => { r.market.bid = 99.91; r.market.ask = 100.01; }, 'market.ask', /spreadBps = 10 is outside/],
  ['volume 5x its average', (r) => (r.market.volume = 250000), 'market.volume', /relativeVolume = 5 is outside/],
  ['an imbalanced book', (r) => { r.market.bidSize = 1200; r.market.askSize = 800; }, 'market.bidSize', /imbalance = 0.2 is outside the trained range \[0, 0\]/],
];

for (const [what, change, path, reason] of outside) {
  t.test(`outside the domain (${what}): 422 naming ${path}, or the fallback says why`, async (t) => {
    const app = await build(t, { models: source() });
    const req: Req = { order: { ...order }, market: { ...market } };
    change(req);
    const res = await post(app, { policy: { type: 'dqn', model: 'regime-liquidity' }, ...req });
    t.equal(res.statusCode, 422);
    const body = res.json();
    t.match(body.message, /outside the domain of model regime-liquidity/);
    const issue = body.details.find((d: { path: string }) => d.path === path);
    t.ok(issue, `details name ${path}: ${JSON.stringify(body.details)}`);
    t.match(issue?.reason, reason);
    const fb = await post(app, { policy: { type: 'dqn', model: 'regime-liquidity', fallback: { type: 'twap' } }, ...req });
    t.equal(fb.statusCode, 200);
    t.match(fb.json(), { fallback: true, policy: { type: 'twap' }, fallbackReason: new RegExp(`outside the domain.*${path.replace('.', '\\.')}`) });
    t.notOk('domain' in fb.json(), 'the network did not answer');
  });
}

t.test('fields the observation needs are required: 400 naming each, or the fallback', async (t) => {
  const app = await build(t, { models: source() });
  const { volume: _v, volatility: _s, ...thin } = market;
  const res = await post(app, { policy: { type: 'dqn', model: 'regime-liquidity' }, order, market: thin });
  t.equal(res.statusCode, 400);
  t.same(res.json().details.map((d: { path: string }) => d.path).sort(), ['market.volatility', 'market.volume']);
  t.match(res.json().details[0].reason, /is required by model regime-liquidity/);
  const fb = await post(app, { policy: { type: 'dqn', model: 'regime-liquidity', fallback: { type: 'twap' } }, order, market: thin });
  t.equal(fb.statusCode, 200);
  t.match(fb.json(), { fallback: true, fallbackReason: /needs fields the request lacks: market.volume .*market.volatility/ });
});

t.test('non-finite Q-values never become a slice: fallback, or 503', async (t) => {
  const nan: ModelSource = {
    resolve: (name) => ({ name, infer: () => ({ action: 0, proposal: 0, qValues: [NaN, 1], observation: [], mask: [true, true] }) }),
    list: () => [],
  };
  const app = await build(t, { models: nan });
  const res = await post(app, { policy: { type: 'dqn', model: 'x' }, order, market });
  t.equal(res.statusCode, 503);
  t.match(res.json().message, /non-finite/);
  const fb = await post(app, { policy: { type: 'dqn', model: 'x', fallback: { type: 'twap' } }, order, market });
  t.equal(fb.statusCode, 200);
  t.match(fb.json(), { fallback: true, quantity: 5000, fallbackReason: /model x answered non-finite Q-values/ });
});

t.test('a model without a recorded domain answers with "domain": "unknown"', async (t) => {
  const bare = servingModelOf('bare', await makeArtifact());
  const app = await build(t, { models: source({ bare }) });
  const res = await post(app, { policy: { type: 'dqn', model: 'bare' }, order: { ...order, side: 'buy' }, market: { bid: 99.95, ask: 99.97 } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().domain, 'unknown');
});

t.test('explain goes through the same path: the observation and Q-values of the answer', async (t) => {
  const app = await build(t, { models: source() });
  const res = await app.inject({ method: 'POST', url: '/v1/decisions?explain=true', payload: { policy: { type: 'dqn', model: 'regime-liquidity' }, order, market } });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { domain: 'in', observation: { inventory: 0.85, timeLeft: 0.85 } });
  t.equal(res.json().qValues.length, 39);
  const out = await app.inject({ method: 'POST', url: '/v1/decisions?explain=true', payload: { policy: { type: 'dqn', model: 'regime-liquidity', fallback: { type: 'twap' } }, order: { ...order, horizon: 390 }, market } });
  t.notOk('qValues' in out.json(), 'no network outputs when the network did not answer');
});

t.test('GET /v1/policies shows each bundled model with its domain', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'domain-'));
  const app = await build(t, { dataDir, modelsDir: 'models' });
  const { models } = (await app.inject({ method: 'GET', url: '/v1/policies' })).json();
  const d = models.find((m: { name: string }) => m.name === 'regime-liquidity');
  t.match(d, { status: 'loaded', summary: { observation: 'obs-v1' }, domain: { format: 'domain-v1', sides: ['sell'], required: ['volume', 'averageVolume', 'volatility'], parameters: { horizon: { min: 20, max: 20 } } } });
  t.ok(d.domain.features.volatilityBps.min > 4 && d.domain.features.volatilityBps.max < 6);
  t.ok(models.filter((m: { status: string }) => m.status === 'loaded').every((m: { domain?: object }) => m.domain), 'every shipped model has one');
});

t.test('the shipped default (the generalist) answers buys, long horizons and caps in its domain, not a huge order', async (t) => {
  const generalist = catalog.get('default')!;
  const models: ModelSource = { resolve: (name) => (name === 'default' ? generalist : undefined), list: () => [] };
  const app = await build(t, { models });
  const buy = { side: 'buy', quantity: 1_000_000, horizon: 390, step: 100, remaining: 700_000, maxParticipation: 0.1 };
  const res = await post(app, { policy: { type: 'dqn', model: 'default' }, order: buy, market });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { domain: 'in', policy: { type: 'dqn', model: 'default' } });
  const huge = { ...buy, quantity: 1e9, remaining: 7e8 };
  const out = await post(app, { policy: { type: 'dqn', model: 'default' }, order: huge, market });
  t.equal(out.statusCode, 422);
  t.ok(out.json().details.some((d: { path: string; reason: string }) => d.path === 'order.quantity' && /orderSizeVsVolume/.test(d.reason)), out.body);
});
