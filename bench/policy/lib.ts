/** Helpers shared by the policy-quality bars (bench/policy/*.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnv, type EnvConfig } from '../../src/core/environment.js';
import { evaluate, type EvaluationReport } from '../../src/core/evaluation.js';
import type { EvaluatedPolicy } from '../../src/core/evaluation-policies.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { loadServingModel, type DqnModel } from '../../src/models/serving/serving.js';
import type { BarResult } from './types.js';

/** Repository root (bench/policy/ is two levels down), so the bench runs from any working directory. */
export const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The committed model in models/<name>, or a BarResult with met: null and the reason. BENCH_MODEL_<NAME> (e.g.
 * BENCH_MODEL_REGIME_LIQUIDITY=/tmp/run1) measures a candidate artifact directory instead.
 */
export async function loadBarModel(bar: string, name: string): Promise<DqnModel | BarResult> {
  const override = modelOverride(name);
  const dir = override ?? join(ROOT, 'models', name);
  const model = modelLabel(name);
  if (!existsSync(join(dir, 'metadata.json'))) {
    return { bar, model, met: null, figures: {}, note: `model missing: ${model}/metadata.json not found (train it first, see docs/QUALITY.md)` };
  }
  try {
    return await loadServingModel(dir, name);
  } catch (err) {
    return { bar, model, met: null, figures: {}, note: `model failed to load: ${(err as Error).message}` };
  }
}

const modelOverride = (name: string): string | undefined => process.env[`BENCH_MODEL_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];

/** What a BarResult's `model` says: models/<name>, or the BENCH_MODEL_<NAME> override. */
export const modelLabel = (name: string): string => modelOverride(name) ?? `models/${name}`;

export const isBarResult = (x: DqnModel | BarResult): x is BarResult => 'bar' in x && 'met' in x;

/** Held-out evaluation (seeds EVAL_SEED upward, common random numbers) of `policies` on a simulated scenario. */
export function evaluateOn(
  scenario: string,
  policies: (market: ExecutionEnv['market']) => EvaluatedPolicy[],
  episodes: number,
  env: EnvConfig = {},
  params: Record<string, unknown> = {},
): EvaluationReport {
  const createEnv = () => new ExecutionEnv(createScenario(scenario, params), env);
  return evaluate({ createEnv, policies: policies(createEnv().market), episodes, keepPaths: 0 });
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
