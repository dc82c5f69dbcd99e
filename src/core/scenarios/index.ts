/** The scenario registry: every market by name, each built from a params object overriding its defaults. */
import type { Market } from '../market.js';
import { ALMGREN_CHRISS_DEFAULTS, AlmgrenChrissMarket, type AlmgrenChrissMarketParams } from './almgren-chriss.js';
import { INTRADAY_DEFAULTS, IntradayMarket, type IntradayParams } from './intraday.js';
import { LOB_REPLAY_DEFAULTS, LobReplayMarket, type LobReplayParams } from './lob-replay.js';
import { REGIME_LIQUIDITY_DEFAULTS, RegimeLiquidityMarket, type RegimeLiquidityParams } from './regime-liquidity.js';
import { GeneralistMarket, type GeneralistParams } from './generalist.js';
import { GENERALIST_RANGES } from './generalist-sampler.js';
import { REPLAY_PARAM_NAMES, ReplayMarket, type ReplayParams } from './replay.js';

export const SCENARIOS = ['almgren-chriss', 'regime-liquidity', 'intraday', 'lob-replay', 'replay', 'generalist'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioParams {
  'almgren-chriss': Partial<AlmgrenChrissMarketParams>;
  'regime-liquidity': Partial<RegimeLiquidityParams>;
  intraday: Partial<IntradayParams>;
  'lob-replay': Partial<LobReplayParams> & Pick<LobReplayParams, 'days'>;
  generalist: Partial<GeneralistParams>;
  replay: Partial<ReplayParams> & Pick<ReplayParams, 'sessions'>;
}

/**
 * Every parameter name `--param` (and the admin API's `params`) accepts, per scenario: the keys of its defaults,
 * plus the optional ones without a default. lob-replay's `days` comes from the data files, never from a parameter.
 */
export const SCENARIO_PARAM_NAMES: Readonly<Record<ScenarioName, readonly string[]>> = {
  'almgren-chriss': Object.keys(ALMGREN_CHRISS_DEFAULTS),
  'regime-liquidity': Object.keys(REGIME_LIQUIDITY_DEFAULTS),
  intraday: Object.keys(INTRADAY_DEFAULTS),
  'lob-replay': [...Object.keys(LOB_REPLAY_DEFAULTS), 'starts' satisfies keyof LobReplayParams],
  generalist: Object.keys(GENERALIST_RANGES),
  // sessions and the sessions episodes are cut from come from --data and the split options, never a parameter.
  replay: REPLAY_PARAM_NAMES,
};

/** The names among `names` that are not parameters of `scenario`. */
export function unknownParamNames(scenario: ScenarioName, names: Iterable<string>): string[] {
  const known = SCENARIO_PARAM_NAMES[scenario];
  return [...names].filter((name) => !known.includes(name));
}

/**
 * @throws RangeError naming the unknown parameters and listing the valid ones (a typo such as `T=390` would
 * otherwise be ignored and the default used).
 */
export function checkParamNames(scenario: ScenarioName, names: Iterable<string>): void {
  const unknown = unknownParamNames(scenario, names);
  if (unknown.length > 0) {
    const list = unknown.map((n) => `"${n}"`).join(', ');
    throw new RangeError(`${scenario}: unknown parameter${unknown.length > 1 ? 's' : ''} ${list}; valid: ${SCENARIO_PARAM_NAMES[scenario].join(', ')}`);
  }
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
    case 'replay':
      return new ReplayMarket(params as ScenarioParams['replay']);
    default:
      throw new RangeError(`unknown scenario "${name}"; use one of ${SCENARIOS.join(', ')}`);
  }
}

export { AlmgrenChrissMarket, GeneralistMarket, IntradayMarket, LobReplayMarket, RegimeLiquidityMarket, ReplayMarket };
