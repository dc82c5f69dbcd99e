import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { IntradayMarket } from '../../src/core/scenarios/intraday.js';
import { shapeReward } from '../../src/models/training/reward-shaping.js';

t.test('intraday mark-to-model removes exactly q_{k+1} sigma_k xi_k (Market.lastShock), keeping the imbalance drift', (t) => {
  const market = new IntradayMarket();
  const env = new ExecutionEnv(market);
  const gamma = market.impactParams().gamma;
  let view = env.reset(123);
  const scale = 1e4 / (env.quantity * (env.view.order.arrivalPrice ?? NaN));
  for (;;) {
    const k = view.order.step;
    const r = env.step((view.order.remaining / (view.order.horizon - k)) * (1 + 0.5 * view.observation[7]));
    const mtm = shapeReward('mark-to-market', r.reward, view, r.view, r.done);
    const mtModel = shapeReward('mark-to-model', r.reward, view, r.view, r.done, gamma, market.lastShock());
    const expected = r.done ? 0 : r.view.order.remaining * market.lastShock() * scale; // a sell: +q xi lowers the cost
    t.ok(Math.abs(mtModel - mtm + expected) < 1e-9, `step ${k}`);
    if (r.done) break;
    view = r.view;
  }
  t.end();
});

t.test('intraday lastShock has mean ~0 over seeds and is 0 after reset', (t) => {
  const market = new IntradayMarket();
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let s = 0; s < 400; s++) {
    market.reset(s);
    t.equal(market.lastShock(), 0);
    for (let k = 0; k < market.horizon; k++) {
      market.execute('sell', 0);
      const x = market.lastShock() / market.path(k).sigma;
      sum += x;
      sumSq += x * x;
      n++;
    }
  }
  const mean = sum / n;
  t.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean of xi ${mean}`);
  t.ok(Math.abs(sumSq / n - 1) < 0.05, `variance of xi ${sumSq / n}`);
  t.end();
});
