/**
 * An evaluation job as run inside a worker: the harness over the scenario's held-out episodes for the chosen
 * baselines and model versions (their artifacts travel with the job, so the worker needs no registry).
 */
import { evaluate, type EvaluationReport } from '../core/evaluation.js';
import { resolvePolicy } from '../core/evaluation-policies.js';
import type { ModelArtifact } from '../models/artifact.js';
import { dqnEvalPolicy } from '../models/dqn-policy.js';
import { envFactory, type ScenarioSpec } from '../models/scenario-env.js';
import { servingModelOf } from '../models/serving.js';

export interface EvaluationJobSpec {
  readonly scenario: ScenarioSpec;
  readonly episodes: number;
  readonly seed?: number;
  readonly baselines: readonly string[];
  /** Keyed by the policy name in the results, e.g. "dqn:default@3". */
  readonly models: readonly { readonly policy: string; readonly artifact: ModelArtifact }[];
  readonly keepPaths: number;
}

/** The report as plain JSON (per-episode shortfalls as arrays), as it is stored with the job. */
export type EvaluationResult = Omit<EvaluationReport, 'shortfallBps'> & { shortfallBps: Record<string, number[]> };

export type EvaluationMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: EvaluationResult };

export async function runEvaluationJob(spec: EvaluationJobSpec, report: (m: EvaluationMessage) => void): Promise<EvaluationResult> {
  const createEnv = await envFactory(spec.scenario, 'test', {});
  const market = createEnv().market;
  const policies = [
    ...spec.baselines.map((name) => resolvePolicy(name, market)),
    ...spec.models.map((m) => dqnEvalPolicy(servingModelOf(m.policy, m.artifact), m.policy)),
  ];
  const out = evaluate({
    createEnv,
    policies,
    episodes: spec.episodes,
    seed: spec.seed,
    keepPaths: spec.keepPaths,
    onProgress: (done, total) => report({ type: 'progress', done, total }),
  });
  const result: EvaluationResult = {
    ...out,
    shortfallBps: Object.fromEntries(Object.entries(out.shortfallBps).map(([k, v]) => [k, Array.from(v)])),
  };
  report({ type: 'done', result });
  return result;
}
