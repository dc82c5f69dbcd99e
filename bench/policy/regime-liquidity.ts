/**
 * Quality bar: on `regime-liquidity` (docs/DESIGN.md 4, default parameters) the DQN in models/regime-liquidity beats
 * TWAP with a paired t-statistic >= 5 and captures >= 90% of the regime oracle's mean improvement over TWAP.
 */
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { pairedComparison } from '../../src/core/stats.js';
import { dqnPolicy } from '../../src/models/serving/dqn-policy.js';
import { evaluateOn, isBarResult, loadBarModel, modelLabel, round } from './lib.js';
import type { BarResult, PolicyBar } from './types.js';

const NAME = 'regime-liquidity';
const MODEL = 'regime-liquidity';
export const MIN_T_STAT = 5;
export const MIN_CAPTURE = 0.9;

export const bar: PolicyBar = {
  name: NAME,
  async run({ episodes }): Promise<BarResult> {
    const model = await loadBarModel(NAME, MODEL);
    if (isBarResult(model)) return model;
    const report = evaluateOn(NAME, (market) => [policyFromName('twap', market), policyFromName('oracle', market), dqnPolicy(model, 'dqn')], episodes);
    const is = report.shortfallBps;
    const vsTwap = pairedComparison(is.twap, is.dqn);
    const oracle = pairedComparison(is.twap, is.oracle);
    const vsOracle = pairedComparison(is.oracle, is.dqn);
    const capture = vsTwap.meanDiffBps / oracle.meanDiffBps;
    return {
      bar: NAME,
      model: modelLabel(MODEL),
      met: vsTwap.tStat >= MIN_T_STAT && capture >= MIN_CAPTURE,
      figures: {
        episodes: report.episodes,
        twapMeanBps: round(report.policies.twap.meanBps),
        oracleMeanBps: round(report.policies.oracle.meanBps),
        dqnMeanBps: round(report.policies.dqn.meanBps),
        dqnVsTwapBps: round(vsTwap.meanDiffBps),
        dqnVsTwapT: round(vsTwap.tStat, 2),
        dqnWinRate: round(vsTwap.winRate),
        oracleVsTwapBps: round(oracle.meanDiffBps),
        capture: round(capture),
        dqnVsOracleBps: round(vsOracle.meanDiffBps),
      },
      note: `needs t >= ${MIN_T_STAT} vs TWAP and capture (dqn - twap)/(oracle - twap) >= ${MIN_CAPTURE}`,
    };
  },
};
export default bar;
