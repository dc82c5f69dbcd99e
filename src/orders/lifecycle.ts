/**
 * The parent order's state machine: working -> filled (fills reach the quantity), cancelled (the desk), expired
 * (past its end time). Every transition returns a new value; a request the state forbids throws OrderStateError
 * (the HTTP layer answers 409).
 */
import { cumulativeShortfall, shortfallBps, touchPrice } from '../core/costs.js';
import type { FieldIssue } from '../core/errors.js';
import type { MarketState, Order } from '../core/types.js';
import type { DecisionRecord, FillRecord, ParentOrder, Ticket } from './types.js';

/** A request the order's state forbids (not working, overfill, wrong side, a step gone by). */
export class OrderStateError extends Error {
  constructor(message: string, readonly issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'OrderStateError';
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function newOrder(id: string, ticket: Ticket, request: unknown, now: number): ParentOrder {
  return {
    id,
    createdAt: iso(now),
    ticket,
    request,
    status: 'working',
    arrivalPrice: ticket.arrivalPrice,
    executedQuantity: 0,
    executedNotional: 0,
    fees: 0,
    decisions: [],
    fills: [],
  };
}

export const remainingOf = (order: ParentOrder) => order.ticket.quantity - order.executedQuantity;

/** The order closed now with `status`, leaving its remainder unexecuted. */
function close(order: ParentOrder, status: 'filled' | 'cancelled' | 'expired', now: number): ParentOrder {
  return { ...order, status, closedAt: iso(now), unexecuted: remainingOf(order) };
}

/** Expired once its end time has passed while it was still working; otherwise unchanged (the same object). */
export function expireIfDue(order: ParentOrder, now: number): ParentOrder {
  return order.status === 'working' && now >= order.ticket.endTime ? close(order, 'expired', now) : order;
}

export function mustBeWorking(order: ParentOrder): void {
  if (order.status !== 'working') {
    throw new OrderStateError(`order ${order.id} is ${order.status}, not working`, [{ field: 'status', reason: order.status }]);
  }
}

export function cancelOrder(order: ParentOrder, now: number): ParentOrder {
  mustBeWorking(order);
  return close(order, 'cancelled', now);
}

/** The step of the latest decision (0 before any). */
export const currentStep = (order: ParentOrder) => order.decisions.at(-1)?.step ?? 0;

/** The step a decision asked now is for: the caller's, or the one the clock is in. */
export function stepAt(ticket: Ticket, now: number): number {
  return Math.floor((now - ticket.startTime) / (ticket.stepSeconds * 1000));
}

/** The order as the stateless decision core sees it at `step`. */
export function coreOrder(order: ParentOrder, step: number, market: MarketState): Order {
  const t = order.ticket;
  return {
    side: t.side,
    quantity: t.quantity,
    horizon: t.horizon,
    step,
    remaining: remainingOf(order),
    arrivalPrice: order.arrivalPrice ?? touchPrice(t.side, market),
    executedNotional: order.executedNotional,
    lotSize: t.lotSize,
    maxParticipation: t.maxParticipation,
    limitPrice: t.limitPrice,
  };
}

export function recordDecision(order: ParentOrder, decision: DecisionRecord): ParentOrder {
  return {
    ...order,
    arrivalPrice: order.arrivalPrice ?? touchPrice(order.ticket.side, decision.market),
    decisions: [...order.decisions, decision],
  };
}

export interface FillInput {
  readonly fillId: string;
  readonly quantity: number;
  readonly price: number;
  readonly time?: string;
  readonly fee?: number;
  readonly side?: 'buy' | 'sell';
}

const sameFill = (a: FillRecord, b: FillInput) =>
  a.quantity === b.quantity && a.price === b.price && a.fee === (b.fee ?? 0) && (b.time === undefined || Date.parse(b.time) === Date.parse(a.time));

/**
 * Books a fill. A repeated fillId with the same content changes nothing (`repeated`); with other content, or a fill
 * on the wrong side, beyond the quantity or on an order that is not working, it throws OrderStateError.
 */
export function applyFill(order: ParentOrder, fill: FillInput, now: number): { order: ParentOrder; repeated: boolean } {
  const known = order.fills.find((f) => f.fillId === fill.fillId);
  if (known) {
    if (!sameFill(known, fill)) {
      throw new OrderStateError(`fill ${fill.fillId} was already booked with other values`, [{ field: 'fillId', reason: 'already used for another fill' }]);
    }
    return { order, repeated: true };
  }
  mustBeWorking(order);
  if (fill.side !== undefined && fill.side !== order.ticket.side) {
    throw new OrderStateError(`a ${fill.side} fill on a ${order.ticket.side} order`, [{ field: 'side', reason: `must be ${order.ticket.side}` }]);
  }
  const remaining = remainingOf(order);
  if (fill.quantity > remaining) {
    throw new OrderStateError(`fill of ${fill.quantity} exceeds the ${remaining} shares remaining`, [{ field: 'quantity', reason: `must be <= ${remaining} (remaining)` }]);
  }
  const record: FillRecord = {
    fillId: fill.fillId,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee ?? 0,
    time: fill.time === undefined ? iso(now) : new Date(Date.parse(fill.time)).toISOString(),
    receivedAt: iso(now),
    step: currentStep(order),
  };
  const next: ParentOrder = {
    ...order,
    executedQuantity: order.executedQuantity + fill.quantity,
    executedNotional: order.executedNotional + fill.price * fill.quantity,
    fees: order.fees + record.fee,
    fills: [...order.fills, record],
  };
  return { order: next.executedQuantity >= next.ticket.quantity ? close(next, 'filled', now) : next, repeated: false };
}

/** Derived figures of an order: what is left, the average price and the IS of the fills (fees included). */
export function orderFigures(order: ParentOrder) {
  const { side, quantity } = order.ticket;
  const executed = order.executedQuantity;
  const arrival = order.arrivalPrice;
  const shortfall = arrival === undefined ? undefined : cumulativeShortfall(side, arrival, executed, order.executedNotional) + order.fees;
  return {
    remaining: quantity - executed,
    averagePrice: executed > 0 ? order.executedNotional / executed : undefined,
    shortfall,
    shortfallBps: shortfall === undefined || arrival === undefined ? undefined : shortfallBps(shortfall, quantity, arrival),
  };
}
