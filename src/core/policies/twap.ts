import type { MarketState, Order, Policy } from '../types.js';

/** TWAP re-planned from what is left: n_k = q_k / (T - k), so it recovers after an under-fill. */
export function twap(): Policy {
  return {
    type: 'twap',
    // A method, not an arrow property: under tsx (keepNames) every named arrow costs a defineProperty when it is
    // created, ~0.3 us, and a policy is built per request (docs/BENCHMARKS.md 1b).
    propose(order: Order, _market: MarketState) {
      return order.remaining / (order.horizon - order.step);
    },
  };
}
