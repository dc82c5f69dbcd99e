/**
 * Bounds on what one request may ask for, so every answer is finite and costs a bounded time and size.
 * They are far beyond any real order (the largest listed companies have ~1e10 shares; prices above 1e6 are rare),
 * yet every product the cost model forms from them (shares x price x steps, squared holdings) stays finite.
 */

/** Decision steps of one order or episode: a schedule answer is at most this many steps (~1.1 MB of JSON). */
export const MAX_HORIZON = 10_000;
/** Shares: order sizes, book sizes, volumes and volume-profile entries. */
export const MAX_SHARES = 1e12;
/** Prices (and per-step volatility), price units. */
export const MAX_PRICE = 1e9;
/** The smallest price: a shortfall in bps divides by quantity x price, which a denormal price overflows. */
export const MIN_PRICE = 1e-6;
/** Cash: executed notional, shares x price. */
export const MAX_NOTIONAL = MAX_SHARES * MAX_PRICE;
/** Impact coefficients (eta, gamma), price units per share. */
export const MAX_IMPACT = 1e6;
/** Fees: basis points of the fill value, or currency per share. */
export const MAX_FEE_BPS = 10_000;
