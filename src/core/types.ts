/**
 * The execution domain as plain, immutable values (docs/DESIGN.md 1). No HTTP, no TF.js here.
 * Prices are in currency per share, quantities in shares, steps are decision steps 0..horizon-1.
 */

export type Side = 'buy' | 'sell';

/** One visible price level of the book (level 1 = the touch). */
export interface BookLevel {
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

/** The parent order as it stands at decision step `step`. */
export interface Order {
  readonly side: Side;
  /** Q: the parent order's size in shares. */
  readonly quantity: number;
  /** T: number of decision steps. */
  readonly horizon: number;
  /** k: the current step, 0 <= k < T. */
  readonly step: number;
  /** q_k: shares still to execute. */
  readonly remaining: number;
  /** P_arr; defaults to the touch (bid for a sell, ask for a buy). */
  readonly arrivalPrice?: number;
  /** Cash of the fills so far (sum of price x shares), for the cumulative IS. */
  readonly executedNotional?: number;
  readonly lotSize?: number;
  /** Cap on n_k / v_k; the terminal forced trade may break it (flagged). */
  readonly maxParticipation?: number;
  /** A sell never trades while the bid is below it; a buy never while the ask is above it. */
  readonly limitPrice?: number;
}

/** What the caller (or a simulator) observes of the market at the decision. */
export interface MarketState {
  readonly bid: number;
  readonly ask: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  /** Recent (previous step's) market volume, the v used by the participation cap and POV. */
  readonly volume?: number;
  /** The expected per-step volume the recent volume is compared with (an observation: volume / averageVolume). */
  readonly averageVolume?: number;
  /** Mid's standard deviation per step, in price units. */
  readonly volatility?: number;
  /** Book levels from level 1 down; level 1 equals bid/ask. */
  readonly levels?: readonly BookLevel[];
}

/** The constraint layer's verdict on a policy's raw proposal. */
export interface Slice {
  /** n_k: shares to trade now. */
  readonly quantity: number;
  /** The terminal step forced the remainder (may break the participation cap). */
  readonly forced: boolean;
  /** The participation cap cut the proposal. */
  readonly capped: boolean;
  /** The limit price blocked trading at this step. */
  readonly limited: boolean;
  /** Shares that will never execute: the terminal step was blocked by the limit price. */
  readonly unexecuted: number;
}

/**
 * A policy proposes a raw slice (shares, any real number) from the order and the market; the constraint
 * layer (constraints.ts) turns every proposal into a feasible Slice, so no policy needs to be trusted.
 */
export interface Policy {
  readonly type: string;
  propose(order: Order, market: MarketState): number;
}
