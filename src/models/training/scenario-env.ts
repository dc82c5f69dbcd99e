/**
 * Environments by scenario name (the core's scenario registry), for training and validation and for the held-out
 * evaluation. lob-replay is built on its training windows for training and on its test windows for evaluation:
 * a model is never trained or selected on the windows it is evaluated on.
 */
import { ExecutionEnv, type EnvConfig } from '../../core/environment.js';
import type { Market } from '../../core/market.js';
import type { Side } from '../../core/types.js';
import { createScenario, SCENARIOS } from '../../core/scenarios/index.js';
import { sessionId } from '../../core/bars/session.js';
import { splitSessions, type SessionSplit, type SplitOptions } from '../../core/replay/splits.js';
import { loadLobsterFiles } from '../../io/lobster-files.js';
import { loadMarketSessions } from '../../io/market-data.js';

export const TRAINING_SCENARIOS = SCENARIOS;

export interface ScenarioSpec {
  readonly scenario: string;
  readonly params?: Record<string, unknown>;
  /** LOBSTER files (lob-replay), or any market data files, folders, globs (replay). */
  readonly data?: readonly string[];
  /** replay: the session dates that train, validate and test. */
  readonly split?: SplitOptions;
}

/** lob-replay validates on the window between its training and test windows; replay on its validation sessions. */
export type Split = 'train' | 'validation' | 'test';

/** The replay sessions of each split (for a model's metadata). */
export async function replaySplit(spec: ScenarioSpec): Promise<SessionSplit> {
  const sessions = await loadMarketSessions(spec.data ?? []);
  return splitSessions(sessions.map(sessionId), spec.split);
}

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
  } else if (spec.scenario === 'replay') {
    if (data.length === 0) throw new RangeError('scenario replay needs market data (--data FILE|FOLDER|GLOB ...)');
    const sessions = await loadMarketSessions(data);
    const chosen = splitSessions(sessions.map(sessionId), spec.split)[split];
    if (chosen.length === 0) {
      throw new RangeError(`scenario replay: no ${split} session; choose the dates with --train-until and --test-from (validation is the dates between)`);
    }
    params.sessions = sessions;
    params.episodeSessions = chosen;
  } else if (data.length > 0) {
    throw new RangeError(`data files are only for scenarios lob-replay and replay, not ${spec.scenario}`);
  }
  createScenario(spec.scenario, params); // fail here, in the caller, on an unknown scenario or bad parameter
  return () => createScenario(spec.scenario, params);
}

/** The factory takes an optional side overriding the config's (the evaluation trades both sides of every episode). */
export async function envFactory(spec: ScenarioSpec, split: Split, config: EnvConfig): Promise<(side?: Side) => ExecutionEnv> {
  const market = await marketFactory(spec, split);
  return (side) => new ExecutionEnv(market(), side ? { ...config, side } : config);
}
