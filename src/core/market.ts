/**
 * The one interface every market implements (simulated or replayed): reset with a seed, observe the state before
 * step k, execute a slice at step k (which advances one step). The environment (environment.ts) wraps it with the
 * parent order, the constraint layer and the cost accounting.
 */
import type { MarketState, Side } from './types.js';

/** What executing a slice at step k produced. */
export interface Execution {
  /** Average fill price of our slice (its VWAP); the touch when nothing was traded. */
  readonly price: number;
  /** v_k: the market's own volume in step k (excluding our slice). */
  readonly volume: number;
  /** The market's VWAP over step k (the benchmark of the VWAP reward). */
  readonly marketVwap: number;
}

/** Almgren-Chriss parameters implied by a market, in AC units (docs/DESIGN.md 2): what an AC baseline is given. */
export interface ImpactParams {
  /** Temporary impact per share traded within one step (the simulators' eta divided by the expected step volume). */
  readonly eta: number;
  readonly gamma: number;
  /** Mid's standard deviation per step, price units. */
  readonly sigma: number;
}

export interface Market {
  readonly name: string;
  /** T: decision steps per episode. */
  readonly horizon: number;
  /** Default parent order size Q of the scenario. */
  readonly quantity: number;
  /** A finite set of episodes (a replay): reset(seed) plays episode `seed mod episodeCount`. */
  readonly episodeCount?: number;
  /**
   * Optional (replays): the id of the session (one instrument's trading day) episode `episode` (0..episodeCount-1)
   * was cut from. Episodes of one session share its drift and liquidity, so the evaluation's intervals take sessions,
   * not episodes, as the independent units. Without it every episode is its own session (simulators).
   */
  episodeSession?(episode: number): string;
  /** Draw (or pick) the episode; all exogenous randomness is fixed by the seed, whatever the agent does. */
  reset(seed: number): void;
  /** Current step k (0 after reset, horizon when done). */
  readonly step: number;
  /** The state a caller would send before deciding step k; `volume` is v_{k-1}, `averageVolume` the scale. */
  state(): MarketState;
  /** Execute `shares` (>= 0) on `side` at step k and advance to k + 1. */
  execute(side: Side, shares: number): Execution;
  /** Expected volume per step (length horizon), the VWAP baseline's profile. */
  volumeProfile(): number[];
  /** Impact parameters for the Almgren-Chriss baseline. */
  impactParams(): ImpactParams;
  /**
   * Optional (simulators whose mid has a predictable drift): the zero-mean exogenous shock of the last executed
   * step's mid move, price units (e.g. sigma_k xi_k), which no observation before the step reveals. The trainer's
   * 'mark-to-model' shaping removes q_{k+1} x this instead of the whole unexplained move.
   */
  lastShock?(): number;
  /**
   * Optional (simulators that can plan with what they hide): a privileged planner's slice for step k given the
   * shares still to trade, e.g. from the true liquidity regime and its persistence. Training uses it as
   * a demonstration (the trainer's anchor); no policy that serves requests can call it.
   */
  demonstration?(remaining: number, side: Side): number;
  /**
   * Optional (markets that draw the parent order with the path, e.g. `generalist`): the episode's order terms,
   * read by the environment after reset. Whatever the environment's config sets explicitly wins.
   */
  orderTerms?(): OrderTerms;
  /**
   * Optional (markets that draw the order from declared ranges, e.g. `generalist`): the ranges of the order
   * parameters the market draws from, by domain parameter name. A model's domain then spans the declared ranges
   * themselves, not only the sampled draws (whose extremes fall short of the edges).
   */
  declaredParameters?(): Readonly<Record<string, { readonly min: number; readonly max: number }>>;
}

/** The parent order's terms a market may draw per episode. */
export interface OrderTerms {
  readonly side: Side;
  readonly quantity: number;
  readonly lotSize?: number;
  readonly maxParticipation?: number;
}

/** Reads a numeric parameter override, failing with the name and the accepted range. */
export function checkParam(scenario: string, name: string, value: number, min: number, max = Infinity): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${scenario}: parameter ${name} must be in [${min}, ${max}], got ${value}`);
  }
  return value;
}
