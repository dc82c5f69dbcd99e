/**
 * Potential-based reward shaping (Ng, Harada & Russell 1999): r' = r + Phi(s') - Phi(s) with Phi(terminal) = 0
 * leaves the optimal policy unchanged. With Phi = the remaining inventory marked to the mid against arrival
 * (bps of Q x P_arr), the shortfall reward becomes the mark-to-market step cost
 *   r'_k = -[n_k (S_k - p_k) + q_{k+1} (S_k - S_{k+1})]   (a sell; a buy mirrors the signs),
 * which no longer carries the price drift accumulated since arrival: the Q-function then need not learn
 * "slice x divergence" products, only impact and what the next move costs the inventory left.
 */
import { arrivalPriceOf, midPrice, sideSign } from '../core/costs.js';
import type { MarketState, Order } from '../core/types.js';

export type RewardShaping = 'none' | 'mark-to-market';

/** Phi(s): the remaining inventory's mark-to-market gain against arrival, bps of Q x P_arr. */
export function inventoryPotential(order: Order, market: MarketState): number {
  const arrival = arrivalPriceOf(order, market);
  return (sideSign(order.side) * order.remaining * (midPrice(market) - arrival) * 1e4) / (order.quantity * arrival);
}

export function shapeReward(
  shaping: RewardShaping,
  reward: number,
  from: { order: Order; market: MarketState },
  to: { order: Order; market: MarketState },
  done: boolean,
): number {
  if (shaping === 'none') return reward;
  const next = done ? 0 : inventoryPotential(to.order, to.market);
  return reward + next - inventoryPotential(from.order, from.market);
}
