/** The scenario registry: every market by name, each built from a params object overriding its defaults. */
import type { Market } from '../market.js';
import { AlmgrenChrissMarket, type AlmgrenChrissMarketParams } from './almgren-chriss.js';
import { IntradayMarket, type IntradayParams } from './intraday.js';
import { LobReplayMarket, type LobReplayParams } from './lob-replay.js';
import { RegimeLiquidityMarket, type RegimeLiquidityParams } from './regime-liquidity.js';
import { ReplayMarket, type ReplayParams } from './replay.js';

export const SCENARIOS = ['almgren-chriss', 'regime-liquidity', 'intraday', 'lob-replay', 'replay'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioParams {
  'almgren-chriss': Partial<AlmgrenChrissMarketParams>;
  'regime-liquidity': Partial<RegimeLiquidityParams>;
  intraday: Partial<IntradayParams>;
  'lob-replay': Partial<LobReplayParams> & Pick<LobReplayParams, 'days'>;
  replay: Partial<ReplayParams> & Pick<ReplayParams, 'sessions'>;
}

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/**
 * @throws RangeError for an unknown scenario or a parameter out of range (the message names it and the range).
 */
export function createScenario<N extends ScenarioName>(name: N, params: ScenarioParams[N]): Market;
export function createScenario(name: string, params?: Record<string, unknown>): Market;
export function createScenario(name: string, params: Record<string, unknown> = {}): Market {
  switch (name) {
    case 'almgren-chriss':
      return new AlmgrenChrissMarket(params as Partial<AlmgrenChrissMarketParams>);
    case 'regime-liquidity':
      return new RegimeLiquidityMarket(params as Partial<RegimeLiquidityParams>);
    case 'intraday':
      return new IntradayMarket(params as Partial<IntradayParams>);
    case 'lob-replay':
      return new LobReplayMarket(params as ScenarioParams['lob-replay']);
    case 'replay':
      return new ReplayMarket(params as ScenarioParams['replay']);
    default:
      throw new RangeError(`unknown scenario "${name}"; use one of ${SCENARIOS.join(', ')}`);
  }
}

export { AlmgrenChrissMarket, IntradayMarket, LobReplayMarket, RegimeLiquidityMarket, ReplayMarket };
