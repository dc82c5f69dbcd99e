import { DomainError } from '../errors.js';
import type { MarketState, Order, Policy } from '../types.js';

/**
 * Default intraday volume profile: the usual U shape (heavy open, heavier close) over a horizon taken as one
 * session. Shape from the 30-minute buckets of the LOBSTER AMZN 2012-06-21 sample day, smoothed.
 */
export function uShapedProfile(horizon: number): number[] {
  const profile = new Array<number>(horizon);
  for (let k = 0; k < horizon; k++) {
    const x = (k + 0.5) / horizon; // position in the session, 0..1
    profile[k] = 1 + 2.5 * (2 * x - 1) ** 2 + 0.75 * x ** 8;
  }
  return profile;
}

/** Suffix sums of the default profile by horizon, shared by every request (a policy is built per request). */
const defaultTails = new Map<number, Float64Array>();
const DEFAULT_TAILS_KEPT = 64;

/** Suffix sums of the profile for one horizon, so a decision is O(1); computed once per horizon into `cache`. */
function tailSums(cache: Map<number, Float64Array>, volumeProfile: readonly number[] | undefined, horizon: number): Float64Array {
  let tails = cache.get(horizon);
  if (tails) return tails;
  if (cache === defaultTails && cache.size >= DEFAULT_TAILS_KEPT) cache.delete(cache.keys().next().value!);
  const profile = volumeProfile ?? uShapedProfile(horizon);
  if (profile.length !== horizon) {
    throw new DomainError([{ subject: 'policy', field: 'volumeProfile', reason: `must have one entry per step: ${horizon} (horizon), got ${profile.length}` }]);
  }
  tails = new Float64Array(horizon + 1);
  for (let k = horizon - 1; k >= 0; k--) tails[k] = tails[k + 1] + profile[k];
  cache.set(horizon, tails);
  return tails;
}

/** VWAP: slices proportional to the expected volume of the remaining steps, re-planned from q_k. */
export function vwap(volumeProfile?: readonly number[]): Policy {
  const cache = volumeProfile ? new Map<number, Float64Array>() : defaultTails;
  return {
    type: 'vwap',
    propose(order: Order, _market: MarketState) {
      const tails = tailSums(cache, volumeProfile, order.horizon);
      const left = tails[order.step];
      if (!(left > 0)) return order.remaining / (order.horizon - order.step);
      return (order.remaining * (tails[order.step] - tails[order.step + 1])) / left;
    },
  };
}
