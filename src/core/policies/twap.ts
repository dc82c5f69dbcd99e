import type { MarketState, Order, Policy } from '../types.js';

/** TWAP re-planned from what is left: n_k = q_k / (T - k), so it recovers after an under-fill. */
export function twap(): Policy {
  return {
    type: 'twap',
    propose(order: Order, _market: MarketState) {
      return order.remaining / (order.horizon - order.step);
    },
  };
}
