/**
 * Environments by scenario name, for training (and validation) and for the held-out evaluation. The lob-replay
 * market is built on its training split for training and on its test split for evaluation: a model is never
 * trained or selected on the windows it is evaluated on.
 */
import { ExecutionEnv, type EnvConfig } from '../core/environment.js';
import type { Market } from '../core/market.js';
import { AlmgrenChrissMarket } from '../core/scenarios/almgren-chriss.js';
import { IntradayMarket } from '../core/scenarios/intraday.js';
import { RegimeLiquidityMarket } from '../core/scenarios/regime-liquidity.js';

export const TRAINING_SCENARIOS = ['almgren-chriss', 'regime-liquidity', 'intraday', 'lob-replay'] as const;

export interface ScenarioSpec {
  readonly scenario: string;
  readonly params?: Record<string, unknown>;
  /** LOBSTER files (lob-replay). */
  readonly data?: readonly string[];
}

export type Split = 'train' | 'test';

/**
 * A factory of fresh markets (one per environment, as common random numbers need).
 * @throws RangeError for an unknown scenario or one this build cannot train on.
 */
export async function marketFactory(spec: ScenarioSpec, _split: Split): Promise<() => Market> {
  const params = spec.params ?? {};
  switch (spec.scenario) {
    case 'almgren-chriss':
      return () => new AlmgrenChrissMarket(params);
    case 'regime-liquidity':
      return () => new RegimeLiquidityMarket(params);
    case 'intraday':
      return () => new IntradayMarket(params);
    case 'lob-replay':
      throw new RangeError('scenario lob-replay: training needs the scenario registry with LOBSTER loading (not wired yet)');
    default:
      throw new RangeError(`unknown scenario "${spec.scenario}"; use one of ${TRAINING_SCENARIOS.join(', ')}`);
  }
}

export async function envFactory(spec: ScenarioSpec, split: Split, config: EnvConfig): Promise<() => ExecutionEnv> {
  const market = await marketFactory(spec, split);
  return () => new ExecutionEnv(market(), config);
}
