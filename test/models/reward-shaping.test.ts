import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { midPrice } from '../../src/core/costs.js';
import { Rng } from '../../src/core/rng.js';
import { IntradayMarket } from '../../src/core/scenarios/intraday.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { inventoryPotential, shapeReward } from '../../src/models/training/reward-shaping.js';

t.test('shaped returns telescope: sum of shaped rewards = sum of rewards - Phi(s0)', async (t) => {
  for (const side of ['sell', 'buy'] as const) {
    for (const market of [new RegimeLiquidityMarket(), new IntradayMarket()]) {
      const env = new ExecutionEnv(market, { side });
      const rng = new Rng(5);
      for (let seed = 0; seed < 20; seed++) {
        let view = env.reset(seed);
        const phi0 = inventoryPotential(view.order, view.market);
        let raw = 0;
        let shaped = 0;
        for (;;) {
          const twap = view.order.remaining / (view.order.horizon - view.order.step);
          const r = env.step(twap * 2 * rng.uniform());
          raw += r.reward;
          shaped += shapeReward('mark-to-market', r.reward, view, r.view, r.done);
          if (r.done) break;
          view = r.view;
        }
        if (Math.abs(shaped - (raw - phi0)) > 1e-9) {
          t.fail(`${side} ${market.name} seed ${seed}: shaped ${shaped} != ${raw} - ${phi0}`);
          return;
        }
      }
    }
  }
  t.pass('2 sides x 2 markets x 20 episodes');
});

t.test('the shaped step reward is the mark-to-market cost -[n (S_k - p) + q_{k+1} (S_k - S_{k+1})]', async (t) => {
  const env = new ExecutionEnv(new RegimeLiquidityMarket());
  const view = env.reset(3);
  const r = env.step(8000);
  const n = r.fill.quantity;
  const q1 = r.view.order.remaining;
  const s0 = midPrice(view.market);
  const s1 = midPrice(r.view.market);
  const scale = 1e4 / (view.order.quantity * view.order.arrivalPrice!);
  const expected = -(n * (s0 - r.fill.price) + q1 * (s0 - s1)) * scale;
  const shaped = shapeReward('mark-to-market', r.reward, view, r.view, r.done);
  t.ok(Math.abs(shaped - expected) < 1e-9, `${shaped} = ${expected}`);
  t.equal(shapeReward('none', r.reward, view, r.view, r.done), r.reward);
});
