/** The scenario registry: every market by name, each built from a params object overriding its defaults. */
import type { Market } from '../market.js';
import { AlmgrenChrissMarket, type AlmgrenChrissMarketParams } from './almgren-chriss.js';
import { GeneralistMarket, type GeneralistParams } from './generalist.js';
import { IntradayMarket, type IntradayParams } from './intraday.js';
import { LobReplayMarket, type LobReplayParams } from './lob-replay.js';
import { RegimeLiquidityMarket, type RegimeLiquidityParams } from './regime-liquidity.js';

export const SCENARIOS = ['almgren-chriss', 'regime-liquidity', 'intraday', 'lob-replay', 'generalist'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioParams {
  'almgren-chriss': Partial<AlmgrenChrissMarketParams>;
  'regime-liquidity': Partial<RegimeLiquidityParams>;
  intraday: Partial<IntradayParams>;
  'lob-replay': Partial<LobReplayParams> & Pick<LobReplayParams, 'days'>;
  generalist: Partial<GeneralistParams>;
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
    case 'generalist':
      return new GeneralistMarket(params as Partial<GeneralistParams>);
    default:
      throw new RangeError(`unknown scenario "${name}"; use one of ${SCENARIOS.join(', ')}`);
  }
}

export { AlmgrenChrissMarket, GeneralistMarket, IntradayMarket, LobReplayMarket, RegimeLiquidityMarket };
