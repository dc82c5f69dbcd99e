import { DomainError } from '../errors.js';
import type { MarketState, Order, Policy } from '../types.js';

/** Percentage of volume: n_k = rate x v_k (the constraint layer caps it at q_k and forces the end). */
export function pov(rate: number): Policy {
  if (!(rate > 0 && rate <= 1)) throw new DomainError([{ subject: 'policy', field: 'rate', reason: `must be in (0, 1], got ${rate}` }]);
  return {
    type: 'pov',
    propose(_order: Order, market: MarketState) {
      if (market.volume === undefined) throw new DomainError([{ subject: 'market', field: 'volume', reason: 'is required by the pov policy' }]);
      return rate * market.volume;
    },
  };
}
