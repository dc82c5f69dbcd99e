/**
 * The whole planned trajectory of a deterministic policy from the order's current state, assuming the market
 * stays as given, with its expected cost under linear impact (Almgren & Chriss 2000, eq. 20 with tau = 1):
 * a slice n_k pays eta n_k (temporary) plus gamma x (shares sold before it) (permanent) plus the touch's distance
 * from the arrival price and fees; the variance of the cost is sigma^2 sum_k x_k^2 over the holdings after each
 * step.
 */
import { arrivalPriceOf, fillFees, shortfallBps, sideSign, touchPrice, type FeeSchedule } from './costs.js';
import { decide } from './decide.js';
import type { MarketState, Order, Policy } from './types.js';

export interface ImpactParams extends FeeSchedule {
  /** Temporary impact per share traded within one step (AC units). */
  readonly eta: number;
  /** Permanent impact per share. */
  readonly gamma: number;
  /** Mid standard deviation per step, for the cost's variance. */
  readonly sigma?: number;
}

export interface ScheduleStep {
  readonly step: number;
  readonly quantity: number;
  readonly holdingsAfter: number;
  readonly expectedCost: number;
  readonly forced: boolean;
  readonly capped: boolean;
  readonly limited: boolean;
}

export interface Schedule {
  readonly steps: ScheduleStep[];
  readonly totalQuantity: number;
  readonly unexecuted: number;
  readonly expectedCost: number;
  readonly expectedCostBps: number;
  readonly costStd: number;
}

export function planSchedule(policy: Policy, order: Order, market: MarketState, impact: ImpactParams): Schedule {
  const arrival = arrivalPriceOf(order, market);
  const touch = touchPrice(order.side, market);
  const edge = sideSign(order.side) * (arrival - touch); // cost per share of trading at the touch vs arrival
  const steps: ScheduleStep[] = [];
  let remaining = order.remaining;
  let soldBefore = 0;
  let totalCost = 0;
  let variance = 0;
  let unexecuted = 0;
  for (let k = order.step; k < order.horizon; k++) {
    const state: Order = { ...order, step: k, remaining };
    const { slice } = decide(policy, state, market);
    const n = slice.quantity;
    const priceMove = impact.eta * n + impact.gamma * soldBefore;
    const price = touch - sideSign(order.side) * priceMove;
    const cost = n * (edge + priceMove) + fillFees(price, n, impact);
    soldBefore += n;
    remaining -= n;
    totalCost += cost;
    variance += (impact.sigma ?? 0) ** 2 * remaining ** 2;
    unexecuted = slice.unexecuted;
    steps.push({
      step: k,
      quantity: n,
      holdingsAfter: remaining,
      expectedCost: cost,
      forced: slice.forced,
      capped: slice.capped,
      limited: slice.limited,
    });
  }
  return {
    steps,
    totalQuantity: soldBefore,
    unexecuted,
    expectedCost: totalCost,
    expectedCostBps: shortfallBps(totalCost, order.quantity, arrival),
    costStd: Math.sqrt(variance),
  };
}
