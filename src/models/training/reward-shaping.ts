/**
 * Potential-based reward shaping (Ng, Harada & Russell 1999): r' = r + Phi(s') - Phi(s) with Phi(terminal) = 0
 * leaves the optimal policy unchanged. With Phi = the remaining inventory marked to the mid against arrival
 * (bps of Q x P_arr), the shortfall reward becomes the mark-to-market step cost
 *   r'_k = -[n_k (S_k - p_k) + q_{k+1} (S_k - S_{k+1})]   (a sell; a buy mirrors the signs),
 * which no longer carries the price drift accumulated since arrival: the Q-function then need not learn
 * "slice x divergence" products, only impact and what the next move costs the inventory left.
 */
import { arrivalPriceOf, midPrice, sideSign } from '../../core/costs.js';
import type { MarketState, Order } from '../../core/types.js';

/**
 * 'mark-to-model' (simulators with a zero-drift arithmetic mid only): the mark-to-market reward with the mid's
 * exogenous shock removed, i.e. the next mid replaced by its expectation given the slice, S_k - gamma n_k (a sell).
 * The shock is independent of the state and the action and has mean zero, so every Q^pi, and hence the optimal
 * policy, is unchanged; what goes is the q_{k+1} sigma xi_k noise (~5 bps per step) that swamps the fraction-of-a-
 * bps differences between neighbouring actions. It needs the scenario's permanent impact gamma.
 */
export type RewardShaping = 'none' | 'mark-to-market' | 'mark-to-model';

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
  /** The market's permanent impact gamma ('mark-to-model' only). */
  permanentImpact = 0,
  /** The step's exogenous mid shock when the market reports it (Market.lastShock, price units); it then replaces
   * the derived one, so a predictable drift (intraday's imbalance) and the agent's own transient impact stay in. */
  exogenousShock?: number,
): number {
  if (shaping === 'none') return reward;
  const next = done ? 0 : inventoryPotential(to.order, to.market);
  const shaped = reward + next - inventoryPotential(from.order, from.market);
  if (shaping !== 'mark-to-model' || done) return shaped;
  const { order } = from;
  const sign = sideSign(order.side);
  const arrival = arrivalPriceOf(order, from.market);
  const traded = order.remaining - to.order.remaining;
  const shock = exogenousShock ?? midPrice(to.market) - midPrice(from.market) + sign * permanentImpact * traded;
  return shaped - (sign * to.order.remaining * shock * 1e4) / (order.quantity * arrival);
}
