/**
 * Quality bar: on `almgren-chriss` with risk aversion lambda, the DQN in models/almgren-chriss (trained on the
 * risk-adjusted reward with that lambda, read from its metadata) has a mean-variance objective E[IS] + lambda
 * Var[IS] (IS in currency) within 3% of the Almgren-Chriss schedule's with the same lambda, the known optimum.
 */
import { almgrenChrissKappa } from '../../src/core/policies/almgren-chriss.js';
import { ExecutionEnv } from '../../src/core/environment.js';
import { EVAL_SEED } from '../../src/core/evaluation.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { mean, pairedComparison, std } from '../../src/core/stats.js';
import { dqnPolicy } from '../../src/models/serving/dqn-policy.js';
import { evaluateOn, isBarResult, loadBarModel, modelLabel, round } from './lib.js';
import type { BarResult, PolicyBar } from './types.js';

const NAME = 'almgren-chriss';
const MODEL = 'almgren-chriss';
export const MAX_GAP = 0.03;

/** E[IS] + lambda Var[IS] with IS in currency (bps x Q P_arr / 1e4; P_arr is the same touch in every episode). */
function objective(bps: ArrayLike<number>, toCurrency: number, lambda: number): { mean: number; variance: number; objective: number } {
  const m = mean(bps) * toCurrency;
  const variance = (std(bps) * toCurrency) ** 2;
  return { mean: m, variance, objective: m + lambda * variance };
}

export const bar: PolicyBar = {
  name: NAME,
  async run({ episodes }): Promise<BarResult> {
    const model = await loadBarModel(NAME, MODEL);
    if (isBarResult(model)) return model;
    const lambda = model.metadata.reward.riskAversion;
    if (model.metadata.reward.type !== 'risk-adjusted' || lambda === undefined) {
      return { bar: NAME, model: modelLabel(MODEL), met: false, figures: {}, note: `model not trained on the risk-adjusted reward (${model.metadata.reward.type})` };
    }
    const probe = new ExecutionEnv(createScenario(NAME, {}));
    const view = probe.reset(EVAL_SEED);
    const toCurrency = (view.order.quantity * (view.order.arrivalPrice ?? NaN)) / 1e4;
    const kappaT = almgrenChrissKappa({ riskAversion: lambda, ...probe.market.impactParams() }) * probe.horizon;
    const ac = `almgren-chriss:${lambda}`;
    const report = evaluateOn(NAME, (market) => [policyFromName('twap', market), policyFromName(ac, market), dqnPolicy(model, 'dqn')], episodes);
    const is = report.shortfallBps;
    const o = { twap: objective(is.twap, toCurrency, lambda), ac: objective(is[ac], toCurrency, lambda), dqn: objective(is.dqn, toCurrency, lambda) };
    const gap = o.dqn.objective / o.ac.objective - 1;
    return {
      bar: NAME,
      model: modelLabel(MODEL),
      met: gap <= MAX_GAP,
      figures: {
        episodes: report.episodes,
        lambda,
        kappaT: round(kappaT),
        acObjective: round(o.ac.objective, 1),
        dqnObjective: round(o.dqn.objective, 1),
        twapObjective: round(o.twap.objective, 1),
        dqnGap: round(gap, 4),
        twapGap: round(o.twap.objective / o.ac.objective - 1, 4),
        acMeanIS: round(o.ac.mean, 1),
        acStdIS: round(Math.sqrt(o.ac.variance), 1),
        dqnMeanIS: round(o.dqn.mean, 1),
        dqnStdIS: round(Math.sqrt(o.dqn.variance), 1),
        dqnVsAcMeanBps: round(pairedComparison(is[ac], is.dqn).meanDiffBps),
      },
      note: `needs (E[IS] + lambda Var[IS])_dqn <= (1 + ${MAX_GAP}) x that of almgren-chriss:${lambda} (IS in currency)`,
    };
  },
};
export default bar;
