/**
 * The raw observation of docs/DESIGN.md 3, built from an order and a market state. One function, used by the training
 * environment and by serving, so a model sees in production exactly what it saw in training. Normalisation
 * (mean/std) belongs to the model, not here.
 *
 * Two versioned specs. A model records the spec it was trained on and is always served with it:
 * - obs-v1: the first models' eight features (price features in bps, but imbalance not signed by side and no
 *   order-size or time-in-steps features).
 * - obs-v2: scale-free and side-aware. Every price quantity is in bps of the arrival price; imbalance and price
 *   divergence are signed so that positive favours this order's side; the order's size is measured against the
 *   volume expected over the remaining steps. A buy on a market mirrored around the arrival price observes exactly
 *   what the sell observes, and multiplying every price by a constant changes no feature.
 */
import { arrivalPriceOf, midPrice, orderShortfall, priceDivergence, shortfallBps, sideSign } from './costs.js';
import type { MarketState, Order } from './types.js';

export const OBSERVATION_FEATURES_V1 = [
  'inventory', // q_k / Q
  'timeLeft', // (T - k) / T
  'cumulativeShortfallBps', // IS of the fills so far, bps of Q x P_arr (0 when executedNotional is not sent)
  'priceDivergenceBps', // docs/DESIGN.md 1, bps of P_arr
  'relativeVolume', // recent volume / its expected level (1 when unknown)
  'volatilityBps', // sigma per step, bps of the mid
  'spreadBps', // (ask - bid) / mid
  'imbalance', // (bidSize - askSize) / (bidSize + askSize), 0 when unknown
] as const;

export const OBSERVATION_FEATURES_V2 = [
  'inventory', // q_k / Q
  'timeLeft', // (T - k) / T
  'stepsLeft', // T - k
  'cumulativeShortfallBps', // IS of the fills so far, bps of Q x P_arr (positive = a cost)
  'priceDivergenceBps', // docs/DESIGN.md 1, bps of P_arr, positive = better than at arrival for this side
  'relativeVolume', // v_{k-1} / expected volume per step
  'volatilityBps', // sigma per step, bps of P_arr
  'spreadBps', // (ask - bid), bps of P_arr
  'sideImbalance', // book imbalance signed by side: positive = the mid is pushed this order's way (waiting pays)
  'remainingVsVolume', // q_k / (expected volume per step x (T - k)): the share of the remaining market volume needed
  'capHeadroom', // what the cap lets trade over the remaining steps / q_k, capped at CAP_HEADROOM_MAX (no cap = max)
] as const;

/** capHeadroom saturates here: beyond 10x the remaining inventory the cap no longer shapes the schedule. */
export const CAP_HEADROOM_MAX = 10;

export const OBSERVATION_SPECS = ['obs-v1', 'obs-v2'] as const;
export type ObservationSpec = (typeof OBSERVATION_SPECS)[number];

/** The spec of the first models, and the default of the single-scenario training recipes. */
export const OBSERVATION_SPEC: ObservationSpec = 'obs-v1';
/** obs-v1's features, under their historic name. */
export const OBSERVATION_FEATURES = OBSERVATION_FEATURES_V1;
export type ObservationFeature = (typeof OBSERVATION_FEATURES_V1)[number] | (typeof OBSERVATION_FEATURES_V2)[number];

export type Observer = (order: Order, market: MarketState) => number[];

export function isObservationSpec(spec: unknown): spec is ObservationSpec {
  return (OBSERVATION_SPECS as readonly unknown[]).includes(spec);
}

export function featuresOf(spec: ObservationSpec): readonly string[] {
  return spec === 'obs-v2' ? OBSERVATION_FEATURES_V2 : OBSERVATION_FEATURES_V1;
}

/**
 * The market fields each spec reads. A missing one would silently become a constant (relativeVolume 1,
 * volatility 0), so a model's request must carry those it was trained with (models/artifact/domain.ts).
 */
export const OBSERVED_MARKET_FIELDS: Record<ObservationSpec, readonly (keyof MarketState)[]> = {
  'obs-v1': ['volume', 'averageVolume', 'volatility', 'bidSize', 'askSize'],
  'obs-v2': ['volume', 'averageVolume', 'volatility', 'bidSize', 'askSize'],
};

export function observeV1(order: Order, market: MarketState): number[] {
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

export function observeV2(order: Order, market: MarketState): number[] {
  const arrival = arrivalPriceOf(order, market);
  const stepsLeft = order.horizon - order.step;
  const volume = market.volume;
  const average = market.averageVolume;
  const bidSize = market.bidSize ?? 0;
  const askSize = market.askSize ?? 0;
  const imbalance = bidSize + askSize > 0 ? (bidSize - askSize) / (bidSize + askSize) : 0;
  const expectedLeft = average !== undefined && average > 0 ? average * stepsLeft : undefined;
  let headroom = CAP_HEADROOM_MAX;
  if (order.maxParticipation !== undefined && expectedLeft !== undefined && order.remaining > 0) {
    headroom = Math.min(CAP_HEADROOM_MAX, (order.maxParticipation * expectedLeft) / order.remaining);
  }
  return [
    order.remaining / order.quantity,
    stepsLeft / order.horizon,
    stepsLeft,
    shortfallBps(orderShortfall(order, market) ?? 0, order.quantity, arrival),
    (priceDivergence(order.side, arrival, market) / arrival) * 1e4,
    volume !== undefined && average !== undefined && average > 0 ? volume / average : 1,
    market.volatility !== undefined ? (market.volatility / arrival) * 1e4 : 0,
    ((market.ask - market.bid) / arrival) * 1e4,
    // A bid-heavy book predicts a rising mid: good for a seller who waits, bad for a buyer.
    sideSign(order.side) * imbalance,
    expectedLeft !== undefined ? order.remaining / expectedLeft : 0,
    headroom,
  ];
}

/** The observation function of a spec: resolve it once (at model load, at environment construction). */
export function observerOf(spec: ObservationSpec): Observer {
  return spec === 'obs-v2' ? observeV2 : observeV1;
}

/** The observation of `spec` (obs-v1 by default, what the first models were trained on). */
export function observe(order: Order, market: MarketState, spec: ObservationSpec = OBSERVATION_SPEC): number[] {
  return observerOf(spec)(order, market);
}
