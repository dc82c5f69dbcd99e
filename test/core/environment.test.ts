import t from 'tap';
import { ExecutionEnv, runEpisode } from '../../src/core/environment.js';
import { observe } from '../../src/core/observation.js';
import { AlmgrenChrissMarket } from '../../src/core/scenarios/almgren-chriss.js';

// sigma = 0: every price is known by hand. S0 = 100, spread 0.02, eta = 0.5, V = 1000, gamma = 1e-4.
const quiet = () => new AlmgrenChrissMarket({ quantity: 300, horizon: 3, sigma: 0, eta: 0.5, volume: 1000, gamma: 1e-4 });

t.test('IS of a hand-made fill sequence (sell)', async (t) => {
  const env = new ExecutionEnv(quiet());
  const view = env.reset(1);
  t.equal(view.order.arrivalPrice, 99.99, 'P_arr = bid at the start');
  // k=0: n=100, p = 100 - 0.01 - 0.5*100/1000 = 99.94; S1 = 100 - 1e-4*100 = 99.99
  // k=1: n=200 (asks 250, only 200 left after... no: 200 of 200 left), p = 99.99 - 0.01 - 0.1 = 99.88; S2 = 99.97
  // k=2: n=0 forced remainder 0.
  const r0 = env.step(100);
  t.ok(Math.abs(r0.fill.price - 99.94) < 1e-12);
  t.ok(Math.abs(r0.shortfall - 0.05 * 100) < 1e-9, 'step IS = (99.99 - 99.94) x 100');
  t.equal(r0.view.order.remaining, 200);
  t.ok(Math.abs((r0.view.order.executedNotional ?? 0) - 9994) < 1e-9);
  const r1 = env.step(250);
  t.equal(r1.slice.quantity, 200, 'the constraint layer clips to the remaining inventory');
  t.ok(Math.abs(r1.fill.price - 99.88) < 1e-12);
  const r2 = env.step(0);
  t.ok(r2.done);
  const res = env.result();
  const expected = (99.99 - 99.94) * 100 + (99.99 - 99.88) * 200;
  t.ok(Math.abs(res.shortfall - expected) < 1e-9, `total IS ${res.shortfall} = ${expected}`);
  t.ok(Math.abs(res.shortfallBps - (expected / (300 * 99.99)) * 1e4) < 1e-9);
  t.same(res.inventory, [300, 200, 0, 0]);
});

t.test('a buy mirrors the signs; the terminal step forces the rest', async (t) => {
  const env = new ExecutionEnv(quiet(), { side: 'buy' });
  env.reset(1);
  env.step(0);
  env.step(0);
  const last = env.step(0);
  t.equal(last.slice.quantity, 300);
  t.ok(last.slice.forced);
  // Ask 100.01 at arrival; p = 100 + 0.01 + 0.5*300/1000 = 100.16 -> IS = 0.15 x 300.
  t.ok(Math.abs(env.result().shortfall - 0.15 * 300) < 1e-9);
});

t.test('rewards: shortfall sums to -IS bps, vwap to -VWAP cost, fees add to IS', async (t) => {
  const market = () => new AlmgrenChrissMarket({ quantity: 10_000, horizon: 5 });
  const fees = { feeBps: 1, feePerShare: 0.001 };
  for (const reward of ['shortfall', 'vwap'] as const) {
    const env = new ExecutionEnv(market(), { reward, fees });
    let total = 0;
    let view = env.reset(42);
    for (;;) {
      const r = env.step(view.order.remaining / (view.order.horizon - view.order.step) + 500);
      total += r.reward;
      if (r.done) break;
      view = r.view;
    }
    const res = env.result();
    t.ok(res.fees > 0);
    const target = reward === 'shortfall' ? -res.shortfallBps : -res.vwapCostBps;
    t.ok(Math.abs(total - target) < 1e-9, `${reward}: sum of rewards ${total} = ${target}`);
  }
  // Risk-adjusted: the penalty lambda sigma^2 q_{k+1}^2 makes holding more costly than the shortfall reward.
  const plain = new ExecutionEnv(market());
  const risky = new ExecutionEnv(market(), { reward: 'risk-adjusted', riskAversion: 1e-6 });
  plain.reset(3);
  risky.reset(3);
  const a = plain.step(0);
  const b = risky.step(0);
  const sigma = 0.05;
  t.ok(Math.abs(a.reward - b.reward - (1e-6 * sigma * sigma * 10_000 ** 2 * 1e4) / (10_000 * 99.99)) < 1e-9);
});

t.test('the observation is observe(order, market) of the view', async (t) => {
  const env = new ExecutionEnv(quiet());
  const view = env.reset(5);
  t.same(view.observation, observe(view.order, view.market));
  t.equal(view.market.averageVolume, 1000);
  const next = env.step(100).view;
  t.same(next.observation, observe(next.order, next.market));
  t.ok(next.observation[2] > 0, 'cumulative IS shows after a costly fill');
});
