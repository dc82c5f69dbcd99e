import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { evaluate } from '../../src/core/evaluation.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { oracleExpectedShortfall, regimeOracle, solveRegimeOracle } from '../../src/core/oracle.js';
import { REGIME_LIQUIDITY_DEFAULTS, RegimeLiquidityMarket, type RegimeLiquidityParams } from '../../src/core/scenarios/regime-liquidity.js';

const run = (params: Partial<RegimeLiquidityParams>, episodes: number, names = ['twap', 'oracle']) => {
  const createEnv = () => new ExecutionEnv(new RegimeLiquidityMarket(params));
  const market = createEnv().market;
  return evaluate({ createEnv, policies: names.map((n) => policyFromName(n, market)), episodes, seed: 1_000 });
};

t.test('the DP value matches a Monte-Carlo run of the simulator under the oracle', async (t) => {
  // sigma = 0 leaves only the regime randomness, so the mean converges fast.
  const params = { sigma: 0 };
  const table = solveRegimeOracle({ ...REGIME_LIQUIDITY_DEFAULTS, ...params }, 100_000, 20);
  const predictedBps = (oracleExpectedShortfall(table, 0.5) / (100_000 * 99.99)) * 1e4;
  const report = run(params, 4000);
  const o = report.policies.oracle;
  const se = o.stdBps / Math.sqrt(4000);
  t.ok(Math.abs(o.meanBps - predictedBps) < 4 * se, `MC ${o.meanBps.toFixed(3)} vs DP ${predictedBps.toFixed(3)} (se ${se.toFixed(3)})`);
  // TWAP's expected cost by hand: eta n^2 E[1/v] per step + gamma (Q^2 - sum n^2) / 2.
  const n = 5000;
  const twap = 20 * 0.5 * n * n * 0.5 * (1 / 10_000 + 1 / 90_000) + (2.5e-7 * (1e10 - 20 * n * n)) / 2;
  const twapBps = (twap / (100_000 * 99.99)) * 1e4;
  const tw = report.policies.twap;
  t.ok(Math.abs(tw.meanBps - twapBps) < 4 * (tw.stdBps / Math.sqrt(4000)), `TWAP MC ${tw.meanBps.toFixed(3)} vs ${twapBps.toFixed(3)}`);
  t.ok(predictedBps < twapBps, 'the DP is cheaper than TWAP in expectation');
});

t.test('the oracle beats TWAP on regime-liquidity (paired t-stat)', async (t) => {
  const report = run({}, 2000);
  const vs = report.policies.oracle.vsTwap;
  t.ok(vs.meanDiffBps > 1, `mean gain ${vs.meanDiffBps.toFixed(2)} bps`);
  t.ok(vs.tStat > 5, `t = ${vs.tStat.toFixed(1)}`);
});

t.test('with equal volumes in both regimes the oracle is TWAP', async (t) => {
  const report = run({ volumeLow: 50_000, volumeHigh: 50_000 }, 300);
  const vs = report.policies.oracle.vsTwap;
  t.ok(Math.abs(vs.meanDiffBps) < 1e-9, `mean difference ${vs.meanDiffBps}`);
  t.ok(Math.abs(report.policies.oracle.meanBps - report.policies.twap.meanBps) < 1e-9);
});

t.test('the oracle trades more after a high-volume step, and follows the regime on a finer grid too', async (t) => {
  const policy = regimeOracle(REGIME_LIQUIDITY_DEFAULTS);
  const order = { side: 'sell' as const, quantity: 100_000, horizon: 20, step: 5, remaining: 60_000 };
  const high = policy.propose(order, { bid: 99.99, ask: 100.01, volume: 90_000 });
  const low = policy.propose(order, { bid: 99.99, ask: 100.01, volume: 10_000 });
  t.ok(high > 60_000 / 15 && low < 60_000 / 15, `high ${high}, low ${low}`);
  const fine = solveRegimeOracle(REGIME_LIQUIDITY_DEFAULTS, 100_000, 20, 'sell', 2000);
  const coarse = solveRegimeOracle(REGIME_LIQUIDITY_DEFAULTS, 100_000, 20, 'sell', 500);
  const rel = Math.abs(oracleExpectedShortfall(fine, 0.5) / oracleExpectedShortfall(coarse, 0.5) - 1);
  t.ok(rel < 1e-3, `grid-converged value (relative change ${rel.toExponential(2)})`);
});
