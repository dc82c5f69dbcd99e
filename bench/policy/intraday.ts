/**
 * Quality bar `intraday`: on held-out episodes of the intraday simulator (seeds EVAL_SEED upward, common random
 * numbers) the committed model models/intraday beats TWAP, VWAP and Almgren-Chriss (paired t >= 3 against each),
 * and its 95% VaR of IS is no worse than TWAP's. Every figure is re-measured here from the committed artifact.
 */
import { ExecutionEnv } from '../../src/core/environment.js';
import { EVAL_SEED, evaluate } from '../../src/core/evaluation.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { pairedComparison } from '../../src/core/stats.js';
import { dqnPolicy } from '../../src/models/serving/dqn-policy.js';
import { isBarResult, loadBarModel, modelLabel } from './lib.js';
import type { BarResult, BarRunOptions, PolicyBar } from './types.js';

const T_MIN = 3;
const CRITERION = `dqn beats twap, vwap and almgren-chriss (paired t >= ${T_MIN} each) and VaR95(dqn) <= VaR95(twap), held-out seeds from ${EVAL_SEED}`;

const r2 = (x: number): number => Math.round(x * 100) / 100;

export const bar: PolicyBar = {
  name: 'intraday',
  async run(opts: BarRunOptions): Promise<BarResult> {
    const loaded = await loadBarModel('intraday', 'intraday');
    if (isBarResult(loaded)) return { ...loaded, note: `${loaded.note ?? ''}. ${CRITERION}` };
    const model = loaded;
    // The scenario the model was trained on (defaults unless the metadata records overrides).
    const params = (model.metadata.training.scenarioParams ?? {}) as Record<string, unknown>;
    const createEnv = () => new ExecutionEnv(createScenario('intraday', params));
    const market = createEnv().market;
    const started = performance.now();
    const report = evaluate({
      createEnv,
      policies: [policyFromName('twap', market), policyFromName('vwap', market), policyFromName('almgren-chriss', market), dqnPolicy(model, 'dqn')],
      episodes: opts.episodes,
      seed: EVAL_SEED,
      keepPaths: 0,
    });
    const seconds = (performance.now() - started) / 1000;
    const s = report.policies;
    const is = report.shortfallBps;
    const vsVwap = pairedComparison(is.vwap, is.dqn);
    const vsAc = pairedComparison(is['almgren-chriss'], is.dqn);
    const vsTwap = s.dqn.vsTwap;
    const met =
      vsTwap.meanDiffBps > 0 && vsTwap.tStat >= T_MIN && vsVwap.meanDiffBps > 0 && vsVwap.tStat >= T_MIN &&
      vsAc.meanDiffBps > 0 && vsAc.tStat >= T_MIN && s.dqn.var95Bps <= s.twap.var95Bps;
    return {
      bar: 'intraday',
      model: modelLabel('intraday'),
      met,
      figures: {
        episodes: report.episodes,
        twapMeanBps: r2(s.twap.meanBps),
        vwapMeanBps: r2(s.vwap.meanBps),
        acMeanBps: r2(s['almgren-chriss'].meanBps),
        dqnMeanBps: r2(s.dqn.meanBps),
        dqnVsTwapBps: r2(vsTwap.meanDiffBps),
        dqnVsTwapT: r2(vsTwap.tStat),
        dqnVsVwapBps: r2(vsVwap.meanDiffBps),
        dqnVsVwapT: r2(vsVwap.tStat),
        dqnVsAcBps: r2(vsAc.meanDiffBps),
        dqnVsAcT: r2(vsAc.tStat),
        twapVar95Bps: r2(s.twap.var95Bps),
        dqnVar95Bps: r2(s.dqn.var95Bps),
        seconds: r2(seconds),
      },
      note: CRITERION,
    };
  },
};

export default bar;
