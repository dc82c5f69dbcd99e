/**
 * Finite extremes on every public route: numbers from the tiniest positive to 1e308 in every numeric field of a
 * decision or schedule request. The answer is a 200 whose every number is finite, or a 400 naming a field; never
 * a 500 (NaN reaching the serializer) and never Infinity in a body.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { MAX_IMPACT, MAX_NOTIONAL, MAX_PRICE, MAX_SHARES, MIN_PRICE } from '../../src/core/limits.js';
import { build } from '../helper.js';

const TINY = [0, Number.MIN_VALUE, 1e-300, 1e-9, 0.5, 1, 3];
const HUGE = [1e15, 1e21, 1e100, 1e300, 1e308, Number.MAX_VALUE];
/** Mostly the edges of the accepted range (up to `max` itself), sometimes far beyond it. */
const upTo = (max: number) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TINY, 1e6, max / 7, max) }, { weight: 1, arbitrary: fc.constantFrom(...HUGE) });
const extreme = upTo(MAX_PRICE);
const price = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(MIN_PRICE, 1e-3, 1, 1e6, MAX_PRICE / 7, MAX_PRICE) }, { weight: 1, arbitrary: fc.constantFrom(0, Number.MIN_VALUE, 1e-300, ...HUGE) });
const shares = upTo(MAX_SHARES);
const count = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 7, 1e4, 1e9, MAX_SHARES) }, { weight: 1, arbitrary: fc.constantFrom(1e15, 1e21, 1e308) });

/** Every number of a JSON body with its path; the ones that are not finite. */
function nonFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}=${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

const order = fc.record({
  side: fc.constantFrom('sell', 'buy'),
  quantity: count,
  horizon: fc.constantFrom(1, 2, 20, 10_000),
  step: fc.constantFrom(0, 1),
  remaining: count,
  arrivalPrice: fc.option(price, { nil: undefined }),
  executedNotional: fc.option(upTo(MAX_NOTIONAL), { nil: undefined }),
  lotSize: fc.option(count, { nil: undefined }),
  maxParticipation: fc.option(fc.constantFrom(Number.MIN_VALUE, 1e-9, 0.5, 1), { nil: undefined }),
  limitPrice: fc.option(price, { nil: undefined }),
}, { requiredKeys: ['side', 'quantity', 'horizon', 'step', 'remaining'] });

const market = fc.record({
  bid: price,
  ask: price,
  bidSize: fc.option(shares, { nil: undefined }),
  askSize: fc.option(shares, { nil: undefined }),
  volume: fc.option(shares, { nil: undefined }),
  averageVolume: fc.option(shares, { nil: undefined }),
  volatility: fc.option(extreme, { nil: undefined }),
}, { requiredKeys: ['bid', 'ask'] });

const baseline = fc.oneof(
  fc.constant({ type: 'twap' }),
  fc.record({ type: fc.constant('vwap'), volumeProfile: fc.option(fc.array(shares, { minLength: 1, maxLength: 3 }), { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('pov'), rate: fc.constantFrom(Number.MIN_VALUE, 1e-9, 0.5, 1) }),
  fc.record({ type: fc.constant('almgren-chriss'), riskAversion: upTo(1e300), eta: upTo(MAX_IMPACT), gamma: upTo(MAX_IMPACT), sigma: extreme }),
);
const impact = fc.record({ eta: upTo(MAX_IMPACT), gamma: upTo(MAX_IMPACT), sigma: fc.option(extreme, { nil: undefined }), feeBps: fc.option(upTo(10_000), { nil: undefined }), feePerShare: fc.option(extreme, { nil: undefined }) }, { requiredKeys: ['eta', 'gamma'] });

/** Drops undefined fields (JSON would) and makes the order consistent often enough to reach the computation. */
function tidy<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

function check(route: string, payload: object, status: number, body: { details?: { path: string }[] }): string | undefined {
  // 422: outside a model's trained domain, which names each field and bound like a 400.
  if (status === 400 || status === 422) return body.details && body.details.length > 0 && body.details.every((d) => d.path) ? undefined : `${route}: ${status} names no field`;
  if (status !== 200) return `${route}: status ${status} for ${JSON.stringify(payload)}`;
  const bad = nonFinite(body);
  return bad.length ? `${route}: non-finite ${bad.slice(0, 3).join(', ')} for ${JSON.stringify(payload)}` : undefined;
}

t.test('decisions and schedules: 200 with finite numbers or 400 naming a field, over extreme finite inputs', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'extremes-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const modelsDir = join(dataDir, 'bundled');
  await cp(new URL('../../models/default', import.meta.url), join(modelsDir, 'default'), { recursive: true });
  const app = await build(t, { dataDir, modelsDir });
  let answered = 0;
  const policy = fc.oneof(baseline, fc.record({ type: fc.constant('dqn'), model: fc.constant('default'), fallback: fc.option(baseline, { nil: undefined }) }, { requiredKeys: ['type', 'model'] }));
  await fc.assert(
    fc.asyncProperty(policy, order, market, fc.boolean(), async (p, o, m, consistent) => {
      const remaining = Math.min(o.remaining, o.quantity);
      const ord = consistent ? { ...o, remaining, lotSize: undefined, executedNotional: remaining < o.quantity ? o.executedNotional : undefined } : o;
      const mkt = consistent ? { ...m, ask: Math.max(m.bid, m.ask), volume: m.volume ?? 1 } : m;
      const payload = tidy({ policy: p, order: ord, market: mkt });
      const res = await app.inject({ method: 'POST', url: '/v1/decisions?explain=true', payload });
      if (res.statusCode === 200) answered++;
      const problem = check('decisions', payload, res.statusCode, res.json());
      if (problem) throw new Error(problem);
    }),
    { numRuns: 600, seed: 24 },
  );
  t.ok(answered > 50, `${answered} of 600 extreme decisions were computed (not all refused)`);

  answered = 0;
  await fc.assert(
    fc.asyncProperty(baseline, order, market, fc.option(impact, { nil: undefined }), async (p, o, m, i) => {
      const ord = { ...o, horizon: Math.min(o.horizon, 20), remaining: Math.min(o.remaining, o.quantity), lotSize: undefined, executedNotional: undefined };
      const mkt = { ...m, ask: Math.max(m.bid, m.ask), volume: m.volume ?? 1 };
      const payload = tidy({ policy: p, order: ord, market: mkt, impact: i });
      const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload });
      if (res.statusCode === 200) answered++;
      const problem = check('schedules', payload, res.statusCode, res.json());
      if (problem) throw new Error(problem);
    }),
    { numRuns: 400, seed: 24 },
  );
  t.ok(answered > 30, `${answered} of 400 extreme schedules were computed`);
});

t.test('the cases of the report: 1e308 bid/ask, a VWAP profile of 1e308s, impact of 1e308: 400 naming the field', async (t) => {
  const app = await build(t);
  const o = { side: 'sell', quantity: 1000, horizon: 3, step: 0, remaining: 1000 };
  const cases: Array<[string, object, string]> = [
    ['/v1/decisions', { policy: { type: 'twap' }, order: o, market: { bid: 1e308, ask: 1e308 } }, 'market.bid'],
    ['/v1/decisions', { policy: { type: 'vwap', volumeProfile: [1e308, 1e308, 1e308] }, order: o, market: { bid: 1, ask: 1 } }, 'policy.volumeProfile.0'],
    ['/v1/schedules', { policy: { type: 'twap' }, order: o, market: { bid: 1, ask: 1 }, impact: { eta: 1e308, gamma: 1e308 } }, 'impact.eta'],
    // A denormal arrival price made the shortfall in bps -Infinity (null in the JSON).
    ['/v1/decisions', { policy: { type: 'twap' }, order: { ...o, step: 1, remaining: 1, arrivalPrice: 5e-324, executedNotional: 1e9 }, market: { bid: 1e9, ask: 1e9 } }, 'order.arrivalPrice'],
    ['/v1/schedules', { policy: { type: 'twap' }, order: { ...o, horizon: 10_001 }, market: { bid: 1, ask: 1 } }, 'order.horizon'],
  ];
  for (const [url, payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url, payload });
    t.equal(res.statusCode, 400, `${url} ${field}`);
    t.ok(res.json().details.some((d: { path: string }) => d.path === field), `names ${field}: ${res.body}`);
  }
});
