/**
 * Cost accounting of docs/DESIGN.md 1. A sell and a buy mirror every sign; positive shortfall = worse than arrival.
 */
import type { MarketState, Order, Side } from './types.js';

/** +1 for a sell, -1 for a buy: the sign that turns "arrival minus price" into a cost. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'sell' ? 1 : -1;
}

/** Default arrival price: the touch at the start (best bid for a sell, best ask for a buy). */
export function touchPrice(side: Side, market: Pick<MarketState, 'bid' | 'ask'>): number {
  return side === 'sell' ? market.bid : market.ask;
}

export function arrivalPriceOf(order: Order, market: MarketState): number {
  return order.arrivalPrice ?? touchPrice(order.side, market);
}

/** Implementation shortfall (currency) of a fill of `shares` at `price`: sell (P_arr - p) n, buy (p - P_arr) n. */
export function fillShortfall(side: Side, arrivalPrice: number, price: number, shares: number): number {
  return sideSign(side) * (arrivalPrice - price) * shares;
}

/** Shortfall in basis points of the parent order's arrival value Q * P_arr. */
export function shortfallBps(shortfall: number, quantity: number, arrivalPrice: number): number {
  return (shortfall / (quantity * arrivalPrice)) * 1e4;
}

/**
 * Cumulative IS (currency) of all fills so far from their cash: sell P_arr x executed - notional,
 * buy notional - P_arr x executed.
 */
export function cumulativeShortfall(side: Side, arrivalPrice: number, executed: number, executedNotional: number): number {
  return sideSign(side) * (arrivalPrice * executed - executedNotional);
}

/**
 * Cumulative IS of an order as it stands: 0 before any fill, undefined when shares were executed but the caller
 * did not send their cash (executedNotional), since it cannot be known then.
 */
export function orderShortfall(order: Order, market: MarketState): number | undefined {
  const executed = order.quantity - order.remaining;
  if (executed === 0) return 0;
  if (order.executedNotional === undefined) return undefined;
  return cumulativeShortfall(order.side, arrivalPriceOf(order, market), executed, order.executedNotional);
}

/**
 * Price divergence: sell mean(bid_1, bid_2) - P_arr, buy P_arr - mean(ask_1, ask_2); positive = conditions
 * better than at arrival. Level 2 comes from `levels[1]`; with one level only, level 1 alone.
 */
export function priceDivergence(side: Side, arrivalPrice: number, market: MarketState): number {
  const second = market.levels && market.levels.length >= 2 ? market.levels[1] : undefined;
  if (side === 'sell') {
    const ref = second ? (market.bid + second.bidPrice) / 2 : market.bid;
    return ref - arrivalPrice;
  }
  const ref = second ? (market.ask + second.askPrice) / 2 : market.ask;
  return arrivalPrice - ref;
}

/** VWAP slippage (currency): sell (VWAP_market - avg_exec) x executed, buy the reverse; positive = beat VWAP. */
export function vwapSlippage(side: Side, marketVwap: number, averageExecPrice: number, executed: number): number {
  return sideSign(side) * (averageExecPrice - marketVwap) * executed;
}

export interface FeeSchedule {
  readonly feeBps?: number;
  readonly feePerShare?: number;
}

/** Fees of a fill: feeBps x p x n / 1e4 + feePerShare x n. They add to the shortfall whatever the side. */
export function fillFees(price: number, shares: number, fees: FeeSchedule = {}): number {
  return ((fees.feeBps ?? 0) * price * shares) / 1e4 + (fees.feePerShare ?? 0) * shares;
}

export function midPrice(market: Pick<MarketState, 'bid' | 'ask'>): number {
  return (market.bid + market.ask) / 2;
}
