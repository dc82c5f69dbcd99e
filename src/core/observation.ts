/**
 * The raw observation of DESIGN.md 3, built from an order and a market state. One function, used by the training
 * environment and by serving, so a model sees in production exactly what it saw in training. Returns, not price
 * levels: every price feature is in basis points. Normalisation (mean/std) belongs to the model, not here.
 */
import { arrivalPriceOf, midPrice, orderShortfall, priceDivergence, shortfallBps } from './costs.js';
import type { MarketState, Order } from './types.js';

export const OBSERVATION_FEATURES = [
  'inventory', // q_k / Q
  'timeLeft', // (T - k) / T
  'cumulativeShortfallBps', // IS of the fills so far, bps of Q x P_arr (0 when executedNotional is not sent)
  'priceDivergenceBps', // DESIGN.md 1, bps of P_arr
  'relativeVolume', // recent volume / its expected level (1 when unknown)
  'volatilityBps', // sigma per step, bps of the mid
  'spreadBps', // (ask - bid) / mid
  'imbalance', // (bidSize - askSize) / (bidSize + askSize), 0 when unknown
] as const;

export type ObservationFeature = (typeof OBSERVATION_FEATURES)[number];
/** Version of the observation spec; a model trained on another spec is refused at load. */
export const OBSERVATION_SPEC = 'obs-v1';

export function observe(order: Order, market: MarketState): number[] {
  const arrival = arrivalPriceOf(order, market);
  const mid = midPrice(market);
  const volume = market.volume;
  const average = market.averageVolume;
  const bidSize = market.bidSize ?? 0;
  const askSize = market.askSize ?? 0;
  return [
    order.remaining / order.quantity,
    (order.horizon - order.step) / order.horizon,
    shortfallBps(orderShortfall(order, market) ?? 0, order.quantity, arrival), // unknown cash: 0
    (priceDivergence(order.side, arrival, market) / arrival) * 1e4,
    volume !== undefined && average !== undefined && average > 0 ? volume / average : 1,
    market.volatility !== undefined ? (market.volatility / mid) * 1e4 : 0,
    ((market.ask - market.bid) / mid) * 1e4,
    bidSize + askSize > 0 ? (bidSize - askSize) / (bidSize + askSize) : 0,
  ];
}
