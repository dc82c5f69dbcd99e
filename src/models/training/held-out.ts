/**
 * The held-out evaluation an artifact carries in `metadata.evaluation`: the model against the baselines on the
 * scenario's test episodes (the harness's seeds from EVAL_SEED up, or lob-replay's later windows). Used by the
 * training job and by `npm run ensemble`.
 */
import type { EnvConfig } from '../../core/environment.js';
import { evaluate } from '../../core/evaluation.js';
import { policyFromName } from '../../core/evaluation-policies.js';
import type { ModelArtifact } from '../artifact/artifact.js';
import { dqnPolicy } from '../serving/dqn-policy.js';
import { envFactory, type ScenarioSpec } from './scenario-env.js';
import { servingModelOf } from '../serving/serving.js';

/** The baselines every stored evaluation compares the model with. */
export const HELD_OUT_BASELINES: readonly string[] = ['twap', 'vwap', 'almgren-chriss'];

export async function heldOutEvaluation(
  artifact: ModelArtifact,
  scenario: ScenarioSpec,
  envConfig: EnvConfig,
  episodes: number,
  baselines: readonly string[],
): Promise<Record<string, unknown>> {
  const model = servingModelOf('candidate', artifact);
  const testEnv = await envFactory(scenario, 'test', envConfig);
  const market = testEnv().market;
  // A market that draws a new order and market per episode (generalist) has no one volume profile or impact set
  // for VWAP and Almgren-Chriss: TWAP alone is the reference there.
  const comparable = market.orderTerms ? baselines.filter((b) => b === 'twap') : baselines;
  const result = evaluate({
    createEnv: testEnv,
    policies: [...comparable.map((b) => policyFromName(b, market)), dqnPolicy(model, 'dqn')],
    episodes,
    keepPaths: 0,
  });
  return { scenario: result.scenario, episodes: result.episodes, sessions: result.sessions, seed: result.seed, policies: result.policies };
}
