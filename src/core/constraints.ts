/**
 * The constraint layer (docs/DESIGN.md 1 and 6): the one place where every policy's raw proposal becomes a feasible
 * slice. Order of the rules: limit price, terminal forced trade, inventory, participation cap, lot size.
 */
import type { MarketState, Order, Slice } from './types.js';

/** True when the limit price forbids trading now (a sell while the bid is below it, a buy while the ask is above). */
export function limitBlocks(order: Order, market: MarketState): boolean {
  if (order.limitPrice === undefined) return false;
  return order.side === 'sell' ? market.bid < order.limitPrice : market.ask > order.limitPrice;
}

/** The most shares the participation cap allows this step, or Infinity without a cap. */
export function participationCap(order: Order, market: MarketState): number {
  if (order.maxParticipation === undefined || market.volume === undefined) return Infinity;
  return order.maxParticipation * market.volume;
}

const slice = (quantity: number, flags: Partial<Omit<Slice, 'quantity'>> = {}): Slice => ({
  quantity,
  forced: flags.forced ?? false,
  capped: flags.capped ?? false,
  limited: flags.limited ?? false,
  unexecuted: flags.unexecuted ?? 0,
});

export function isTerminalStep(order: Order): boolean {
  return order.step >= order.horizon - 1;
}

/**
 * Turns a raw proposal (any number, NaN included) into a slice with 0 <= n <= remaining that never trades
 * through the limit, keeps the participation cap except for the terminal forced trade, and is a whole multiple
 * of the lot size except when it is the whole remainder.
 */
export function applyConstraints(order: Order, market: MarketState, proposal: number): Slice {
  const remaining = order.remaining;
  if (remaining <= 0) return slice(0);
  const terminal = isTerminalStep(order);

  if (limitBlocks(order, market)) {
    return slice(0, { limited: true, unexecuted: terminal ? remaining : 0 });
  }

  const lot = order.lotSize ?? 1;
  const cap = participationCap(order, market);
  const wanted = Number.isFinite(proposal) ? Math.min(Math.max(proposal, 0), remaining) : 0;

  if (terminal) {
    // Everything left must go now; flag it when the policy or the cap would not have traded it all.
    return slice(remaining, { forced: wanted < remaining || remaining > cap });
  }

  let quantity = wanted;
  let capped = false;
  if (quantity > cap) {
    quantity = cap;
    capped = true;
  }
  if (quantity >= remaining) return slice(remaining, { capped });
  // Nearest whole lot, but never above the cap or the remaining lots.
  const lotsAllowed = Math.floor(Math.min(cap, remaining) / lot + 1e-9);
  const lots = Math.min(Math.round(quantity / lot), lotsAllowed);
  return slice(lots * lot, { capped });
}
