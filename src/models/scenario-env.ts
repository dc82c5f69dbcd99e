/**
 * Environments by scenario name (the core's scenario registry), for training and validation and for the held-out
 * evaluation. lob-replay is built on its training windows for training and on its test windows for evaluation:
 * a model is never trained or selected on the windows it is evaluated on.
 */
import { ExecutionEnv, type EnvConfig } from '../core/environment.js';
import type { Market } from '../core/market.js';
import type { Side } from '../core/types.js';
import { createScenario, SCENARIOS } from '../core/scenarios/index.js';
import { loadLobsterFiles } from '../io/lobster-files.js';

export const TRAINING_SCENARIOS = SCENARIOS;

export interface ScenarioSpec {
  readonly scenario: string;
  readonly params?: Record<string, unknown>;
  /** LOBSTER files (lob-replay only). */
  readonly data?: readonly string[];
}

export type Split = 'train' | 'test';

/**
 * A factory of fresh markets (one per environment, as common random numbers need). The LOBSTER files are read
 * once, here; every market built by the factory shares the parsed days.
 * @throws RangeError for an unknown scenario, lob-replay without data, or data for a simulated scenario.
 */
export async function marketFactory(spec: ScenarioSpec, split: Split): Promise<() => Market> {
  const params: Record<string, unknown> = { ...spec.params };
  const data = spec.data ?? [];
  if (spec.scenario === 'lob-replay') {
    if (data.length === 0) throw new RangeError('scenario lob-replay needs LOBSTER data files (--data FILE ...)');
    params.days = await loadLobsterFiles(data);
    params.split = split;
  } else if (data.length > 0) {
    throw new RangeError(`data files are only for scenario lob-replay, not ${spec.scenario}`);
  }
  createScenario(spec.scenario, params); // fail here, in the caller, on an unknown scenario or bad parameter
  return () => createScenario(spec.scenario, params);
}

/** The factory takes an optional side overriding the config's (the evaluation trades both sides of every episode). */
export async function envFactory(spec: ScenarioSpec, split: Split, config: EnvConfig): Promise<(side?: Side) => ExecutionEnv> {
  const market = await marketFactory(spec, split);
  return (side) => new ExecutionEnv(market(), side ? { ...config, side } : config);
}
