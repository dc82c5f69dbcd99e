import fc from 'fast-check';
import t from 'tap';
import { build, market, sellOrder } from '../helper.js';

const ac = { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 };

t.test('TWAP, VWAP and AC schedules sum to the remaining inventory', async (t) => {
  const app = await build(t);
  const order = { ...sellOrder, step: 0, remaining: 100000, executedNotional: 0, maxParticipation: undefined };
  for (const policy of [{ type: 'twap' }, { type: 'vwap' }, ac]) {
    const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy, order, market } });
    t.equal(res.statusCode, 200);
    const s = res.json();
    t.equal(s.steps.length, 20);
    t.equal(s.steps.reduce((a: number, x: { quantity: number }) => a + x.quantity, 0), 100000, `${policy.type} sums to Q`);
    t.equal(s.totalQuantity, 100000);
    t.equal(s.steps[19].holdingsAfter, 0);
  }
});

t.test('property: schedules sum to Q over random orders', async (t) => {
  const app = await build(t);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom(1, 100),
      fc.constantFrom<object>({ type: 'twap' }, { type: 'vwap' }, ac),
      async (quantity, horizon, lotSize, policy) => {
        const order = { side: 'buy', quantity, horizon, step: 0, remaining: quantity, lotSize: Math.min(lotSize, quantity) };
        const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy, order, market } });
        const s = res.json();
        const total = s.steps.reduce((a: number, x: { quantity: number }) => a + x.quantity, 0);
        if (res.statusCode !== 200 || total !== quantity) throw new Error(`${res.statusCode} total ${total} != ${quantity}`);
      },
    ),
    { numRuns: 200, seed: 3 },
  );
  t.pass();
});

t.test('expected cost under linear impact, by hand', async (t) => {
  const app = await build(t);
  // Sell 1000 over 2 steps with TWAP, arrival at the bid: each slice of 500 pays eta x 500, the second also
  // gamma x 500 of permanent impact. eta = 1e-4, gamma = 1e-5: 500 x 0.05 + 500 x (0.05 + 0.005) = 52.5.
  const order = { side: 'sell', quantity: 1000, horizon: 2, step: 0, remaining: 1000 };
  const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy: { type: 'twap' }, order, market, impact: { eta: 1e-4, gamma: 1e-5, sigma: 0.1 } } });
  const s = res.json();
  t.ok(Math.abs(s.expectedCost - 52.5) < 1e-9, `expected cost ${s.expectedCost}`);
  // Only the 500 held after step 0 is exposed to one step of sigma: std = 0.1 x 500.
  t.ok(Math.abs(s.costStd - 50) < 1e-9, `cost std ${s.costStd}`);
});

t.test('a dqn policy has no static schedule: 400 naming the field', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy: { type: 'dqn', model: 'default' }, order: sellOrder, market } });
  t.equal(res.statusCode, 400);
  t.match(res.json().details, [{ path: 'policy.type' }]);
});

t.test('the horizon is bounded: 10,000 steps answer (bounded size), 10,001 is a 400 naming order.horizon', async (t) => {
  const app = await build(t);
  const order = { side: 'sell', quantity: 1e12, horizon: 10_000, step: 0, remaining: 1e12, lotSize: 1 };
  const policy = { type: 'vwap', volumeProfile: Array.from({ length: 10_000 }, (_, i) => 1 + (i % 7)) };
  const impact = { eta: 1e6, gamma: 1e6, sigma: 1e9, feeBps: 10_000, feePerShare: 1e9 };
  const t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy, order, market, impact } });
  const ms = performance.now() - t0;
  t.equal(res.statusCode, 200);
  t.equal(res.json().steps.length, 10_000);
  // The worst valid answer: ~1.3 MB; its time is printed, not asserted (a shared machine).
  t.ok(res.rawPayload.length < 2_000_000, `the largest schedule is ${(res.rawPayload.length / 1e6).toFixed(2)} MB`);
  t.comment(`worst valid schedule: ${ms.toFixed(0)} ms, ${res.rawPayload.length} bytes`);
  const over = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { policy: { type: 'twap' }, order: { ...order, horizon: 10_001 }, market } });
  t.equal(over.statusCode, 400);
  t.match(over.json().details, [{ path: 'order.horizon', reason: 'must be <= 10000' }]);
});
