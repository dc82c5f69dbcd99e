import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { AlmgrenChrissMarket } from '../../src/core/scenarios/almgren-chriss.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { inventoryPotential, shapeReward } from '../../src/models/training/reward-shaping.js';

/** Episode return under a shaping, plus Phi(s0) so it is comparable with the raw return. */
function episodeReturn(env: ExecutionEnv, seed: number, shaping: 'mark-to-market' | 'mark-to-model', multiple: (k: number) => number): number {
  const gamma = env.market.impactParams().gamma;
  let view = env.reset(seed);
  let total = inventoryPotential(view.order, view.market);
  for (;;) {
    const twap = view.order.remaining / (view.order.horizon - view.order.step);
    const r = env.step(twap * multiple(view.order.step));
    total += shapeReward(shaping, r.reward, view, r.view, r.done, gamma);
    if (r.done) return total;
    view = r.view;
  }
}

t.test('mark-to-model removes the mid shock: a fixed schedule on almgren-chriss has the same return on every path', async (t) => {
  for (const side of ['sell', 'buy'] as const) {
    const env = new ExecutionEnv(new AlmgrenChrissMarket(), { side, reward: 'risk-adjusted', riskAversion: 3e-5 });
    const front = (k: number) => (k < 10 ? 1.5 : 0.8);
    const returns = [1, 2, 3, 4, 5].map((seed) => episodeReturn(env, seed, 'mark-to-model', front));
    const spread = Math.max(...returns) - Math.min(...returns);
    t.ok(spread < 1e-9, `${side}: returns ${returns.join(', ')}`);
    const noisy = [1, 2, 3, 4, 5].map((seed) => episodeReturn(env, seed, 'mark-to-market', front));
    t.ok(Math.max(...noisy) - Math.min(...noisy) > 1, `${side}: mark-to-market returns vary with the path`);
  }
});

t.test('mark-to-model keeps the expected return (regime-liquidity, Monte Carlo within 4 standard errors)', async (t) => {
  const env = new ExecutionEnv(new RegimeLiquidityMarket());
  const episodes = 4000;
  const diffs: number[] = [];
  for (let seed = 0; seed < episodes; seed++) {
    const multiple = (k: number) => 0.5 + ((seed + k) % 3) * 0.5;
    diffs.push(episodeReturn(env, seed, 'mark-to-model', multiple) - episodeReturn(env, seed, 'mark-to-market', multiple));
  }
  const mean = diffs.reduce((s, x) => s + x, 0) / episodes;
  const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / (episodes - 1));
  t.ok(Math.abs(mean) < (4 * sd) / Math.sqrt(episodes), `mean difference ${mean.toFixed(3)} bps, se ${(sd / Math.sqrt(episodes)).toFixed(3)}`);
});
