/**
 * The ticket's rules around the one constraint layer (core/constraints.ts): the participation cap on the best
 * estimate of the coming step's volume, the I-would price, the participation floor, forceCompletion, and the early
 * warning that the cap cannot finish the order.
 */
import { applyConstraints, isTerminalStep, limitBlocks } from '../core/constraints.js';
import type { MarketState, Order, Slice } from '../core/types.js';
import type { Ticket } from './types.js';

/**
 * The coming step's volume the cap is a share of: the desk's own forecast when it sends one; otherwise the lower of
 * the previous step's volume and the expected per-step volume. A cap is a limit, so after a busy step the service
 * does not assume the next is as busy (capping on the previous step's volume alone let a 0.10 cap reach 0.90 when
 * liquidity dropped).
 */
export function volumeEstimate(market: MarketState, expectedVolume?: number): number | undefined {
  if (expectedVolume !== undefined) return expectedVolume;
  const { volume, averageVolume } = market;
  if (volume !== undefined && averageVolume !== undefined) return Math.min(volume, averageVolume);
  return volume ?? averageVolume;
}

/** True when the touch is at least as good as the I-would price (a sell's bid at or above it, a buy's ask at or below). */
export function iWouldApplies(ticket: Ticket, market: MarketState): boolean {
  if (ticket.iWouldPrice === undefined) return false;
  return ticket.side === 'sell' ? market.bid >= ticket.iWouldPrice : market.ask <= ticket.iWouldPrice;
}

export interface OrderSlice extends Slice {
  readonly iWould: boolean;
  readonly volumeEstimate?: number;
  readonly capInfeasible: boolean;
  readonly capShortfall: number;
}

/**
 * The slice for `order` (the core view of the parent order at its step) from the policy's raw proposal.
 * - I-would: when the touch is at least as good as iWouldPrice the proposal becomes the whole remainder, so only the
 *   cap and the lot size hold it back.
 * - minParticipation raises the proposal to that share of the estimated volume.
 * - forceCompletion false: the last step obeys the cap like any other and leaves the rest unexecuted.
 */
export function orderSlice(ticket: Ticket, order: Order, market: MarketState, proposal: number, expectedVolume?: number): OrderSlice {
  const estimate = volumeEstimate(market, expectedVolume);
  const capMarket = estimate === undefined || estimate === market.volume ? market : { ...market, volume: estimate };
  const iWould = iWouldApplies(ticket, market) && !limitBlocks(order, market);
  let raw = Number.isFinite(proposal) ? proposal : 0;
  if (iWould) raw = Math.max(raw, order.remaining);
  if (ticket.minParticipation !== undefined && estimate !== undefined) raw = Math.max(raw, ticket.minParticipation * estimate);

  let slice: Slice;
  if (isTerminalStep(order) && !ticket.forceCompletion) {
    // One step more makes the constraint layer treat this one as ordinary: cap and lots hold, nothing is forced.
    const ordinary = applyConstraints({ ...order, horizon: order.step + 2 }, capMarket, raw);
    slice = { ...ordinary, unexecuted: order.remaining - ordinary.quantity };
  } else {
    slice = applyConstraints(order, capMarket, raw);
  }

  let capShortfall = 0;
  if (ticket.maxParticipation !== undefined && estimate !== undefined) {
    const capacity = ticket.maxParticipation * estimate * (order.horizon - order.step);
    capShortfall = Math.max(0, order.remaining - capacity);
  }
  return { ...slice, iWould, volumeEstimate: estimate, capInfeasible: capShortfall > 1e-9, capShortfall };
}
