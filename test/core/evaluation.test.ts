import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { EVAL_SEED, evaluate } from '../../src/core/evaluation.js';
import { registerPolicyResolver, resolvePolicy } from '../../src/core/evaluation-policies.js';
import { AlmgrenChrissMarket } from '../../src/core/scenarios/almgren-chriss.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { pairedComparison, quantile } from '../../src/core/stats.js';

t.test('paired comparison and quantiles by hand', async (t) => {
  // Differences (ref - cand): 2, -1, 3, 0 -> mean 1, wins 2, losses 1 (tie excluded), gain/loss 2.5 / 1.
  const c = pairedComparison([10, 10, 10, 10], [8, 11, 7, 10]);
  t.equal(c.meanDiffBps, 1);
  t.equal(c.winRate, 2 / 3);
  t.equal(c.gainLossRatio, 2.5);
  const sd = Math.sqrt(((2 - 1) ** 2 + (-1 - 1) ** 2 + (3 - 1) ** 2 + (0 - 1) ** 2) / 3);
  t.ok(Math.abs(c.tStat - 1 / (sd / 2)) < 1e-12);
  t.equal(quantile([1, 2, 3, 4, 5], 0.95), 4.8);
  t.equal(quantile([3, 1, 2], 0.5), 2);
});

t.test('common random numbers: a policy equal to TWAP ties on every episode', async (t) => {
  const createEnv = () => new ExecutionEnv(new RegimeLiquidityMarket());
  const market = createEnv().market;
  const twin = { name: 'twin', decide: resolvePolicy('twap', market).decide };
  const report = evaluate({ createEnv, policies: [twin, resolvePolicy('almgren-chriss', market)], episodes: 200, keepPaths: 3 });
  t.equal(report.seed, EVAL_SEED);
  t.notOk('twap' in report.policies, 'TWAP runs as the reference without being reported');
  t.equal(report.policies.twin.vsTwap.meanDiffBps, 0);
  t.equal(report.policies.twin.vsTwap.winRate, 0.5);
  t.equal(report.inventoryPaths.twin.length, 3);
  t.equal(report.inventoryPaths.twin[0].length, 21);
  t.same(report.inventoryPaths.twin[0].slice(0, 3), [1, 0.95, 0.9]);
  t.ok(report.policies['almgren-chriss'].stdBps > 0);
  // Same seed again: same numbers.
  const again = evaluate({ createEnv, policies: [twin], episodes: 200 });
  t.same(Array.from(again.shortfallBps.twin), Array.from(report.shortfallBps.twin));
});

t.test('dqn:<model> resolves through a registered hook; unknown names list the choices', async (t) => {
  const market = new RegimeLiquidityMarket();
  t.throws(() => resolvePolicy('dqn:default', market), /unknown policy "dqn:default"/);
  const unregister = registerPolicyResolver('dqn', (model) => ({ name: `dqn:${model}`, decide: (v) => v.order.remaining }));
  t.teardown(() => void unregister());
  const p = resolvePolicy('dqn:default', market);
  t.equal(p.name, 'dqn:default');
  t.throws(() => resolvePolicy('oracle', new AlmgrenChrissMarket()), /only for scenario regime-liquidity/);
  t.throws(() => resolvePolicy('pov:abc', market), /not a number/);
});
