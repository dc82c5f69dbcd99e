/**
 * Transaction-cost analysis of a parent order from its audit trail. Implementation shortfall as the rest of the
 * service defines it (core/costs.ts: sell (P_arr - p) n, buy the reverse, fees added, bps of Q x P_arr) and its
 * decomposition after Perold (1988) as Wagner and Edwards (1993) split it: delay (decision price to the market when
 * trading began), trading (that market to the fills: spread and impact), opportunity (the unexecuted shares marked
 * at the last market seen) and fees. Positive = a cost.
 */
import { fillFees, shortfallBps, sideSign, touchPrice, vwapSlippage } from '../core/costs.js';
import { decide } from '../core/decide.js';
import { twap } from '../core/policies/twap.js';
import type { MarketState } from '../core/types.js';
import type { ParentOrder } from './types.js';

export interface TcaStep {
  readonly step: number;
  /** The slice the service gave for the step (absent when no decision was asked). */
  readonly decided?: number;
  readonly filled: number;
  /** The market's own volume in the step, as reported with the next decision. */
  readonly marketVolume?: number;
  readonly participation?: number;
  /** TWAP's slice on the same snapshots. */
  readonly twap: number;
}

export interface Tca {
  readonly orderId: string;
  readonly side: 'buy' | 'sell';
  readonly status: string;
  readonly quantity: number;
  readonly executedQuantity: number;
  readonly unexecutedQuantity: number;
  /** P_arr: the ticket's decision price, or the touch at the first decision. */
  readonly arrivalPrice?: number;
  /** The touch at the first decision (when trading began) and at the last. */
  readonly startPrice?: number;
  readonly endPrice?: number;
  readonly averagePrice?: number;
  /** IS of the executed shares, fees included, currency and bps of Q x P_arr. */
  readonly shortfall?: number;
  readonly shortfallBps?: number;
  readonly decomposition?: {
    readonly delay: number;
    readonly trading: number;
    readonly opportunity: number;
    readonly fees: number;
    /** delay + trading + opportunity + fees = shortfall + opportunity. */
    readonly total: number;
    readonly totalBps: number;
  };
  /** Against the market's VWAP over the steps whose VWAP was sent; positive = better than VWAP. */
  readonly vwap?: { readonly marketVwap: number; readonly slippage: number; readonly slippageBps: number; readonly steps: number };
  /** Fills / the market's volume over the steps whose volume is known. */
  readonly participation?: { readonly achieved: number; readonly max: number; readonly steps: number };
  readonly twapEstimate?: {
    readonly label: string;
    readonly eta: number;
    readonly gamma: number;
    readonly twapCost: number;
    readonly twapCostBps: number;
    /** The order's own fills per step priced under the same model, for a like-for-like comparison. */
    readonly scheduleCost: number;
    readonly scheduleCostBps: number;
  };
  readonly steps: readonly TcaStep[];
  readonly fills: ReadonlyArray<{ readonly fillId: string; readonly time: string; readonly step: number; readonly quantity: number; readonly price: number; readonly fee: number }>;
}

/** The market snapshot of each step: its decision's, else the latest earlier one's (the first's before any). */
function snapshots(order: ParentOrder): Array<MarketState | undefined> {
  const byStep = new Map(order.decisions.map((d) => [d.step, d.market]));
  const first = order.decisions[0]?.market;
  let last = first;
  return Array.from({ length: order.ticket.horizon }, (_, k) => (last = byStep.get(k) ?? last));
}

export function analyse(order: ParentOrder): Tca {
  const t = order.ticket;
  const s = sideSign(t.side);
  const X = order.executedQuantity;
  const U = t.quantity - X;
  const Pd = order.arrivalPrice;
  const first = order.decisions[0];
  const last = order.decisions.at(-1);
  const P0 = first ? touchPrice(t.side, first.market) : Pd;
  const Pend = last ? touchPrice(t.side, last.market) : P0;
  const averagePrice = X > 0 ? order.executedNotional / X : undefined;

  const filledByStep = new Array<number>(t.horizon).fill(0);
  for (const f of order.fills) filledByStep[Math.min(f.step, t.horizon - 1)] += f.quantity;
  const decidedByStep = new Map(order.decisions.map((d) => [d.step, d.quantity]));
  // Decision k reports the volume of step k - 1 (the first one's is from before the order).
  const volumeOf = new Map(order.decisions.filter((d) => d.market.volume !== undefined && d.step > 0).map((d) => [d.step - 1, d.market.volume!]));

  // TWAP on the same snapshots under the linear impact model of core/schedule.ts.
  const eta = t.impact?.eta ?? 0;
  const gamma = t.impact?.gamma ?? 0;
  const snaps = snapshots(order);
  const twapSlices = new Array<number>(t.horizon).fill(0);
  let twapCost = 0;
  let scheduleCost = 0;
  if (Pd !== undefined && first) {
    const policy = twap();
    let twapLeft = t.quantity;
    let twapSold = 0;
    let ownSold = 0;
    const stepCost = (n: number, market: MarketState, soldBefore: number) => {
      const touch = touchPrice(t.side, market);
      const move = eta * n + gamma * soldBefore;
      return n * (s * (Pd - touch) + move) + fillFees(touch - s * move, n, t.impact);
    };
    for (let k = 0; k < t.horizon; k++) {
      const market = snaps[k]!;
      const { slice } = decide(policy, { side: t.side, quantity: t.quantity, horizon: t.horizon, step: k, remaining: twapLeft, lotSize: t.lotSize }, market);
      twapSlices[k] = slice.quantity;
      twapCost += stepCost(slice.quantity, market, twapSold);
      twapSold += slice.quantity;
      twapLeft -= slice.quantity;
      scheduleCost += stepCost(filledByStep[k]!, market, ownSold);
      ownSold += filledByStep[k]!;
    }
  }

  const steps: TcaStep[] = [];
  let partShares = 0;
  let partVolume = 0;
  let partMax = 0;
  let partSteps = 0;
  for (let k = 0; k < t.horizon; k++) {
    const volume = volumeOf.get(k);
    const participation = volume !== undefined && volume > 0 ? filledByStep[k]! / volume : undefined;
    if (participation !== undefined) {
      partShares += filledByStep[k]!;
      partVolume += volume!;
      partMax = Math.max(partMax, participation);
      partSteps++;
    }
    steps.push({ step: k, decided: decidedByStep.get(k), filled: filledByStep[k]!, marketVolume: volume, participation, twap: twapSlices[k]! });
  }

  const vwapSteps = order.decisions.filter((d) => d.marketVwap !== undefined);
  let vwap: Tca['vwap'];
  if (vwapSteps.length > 0 && averagePrice !== undefined) {
    const weights = vwapSteps.map((d) => d.market.volume ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    const marketVwap = total > 0
      ? vwapSteps.reduce((a, d, i) => a + d.marketVwap! * weights[i]!, 0) / total
      : vwapSteps.reduce((a, d) => a + d.marketVwap!, 0) / vwapSteps.length;
    const slippage = vwapSlippage(t.side, marketVwap, averagePrice, X);
    vwap = { marketVwap, slippage, slippageBps: (slippage / (X * marketVwap)) * 1e4, steps: vwapSteps.length };
  }

  const base = {
    orderId: order.id,
    side: t.side,
    status: order.status,
    quantity: t.quantity,
    executedQuantity: X,
    unexecutedQuantity: U,
    arrivalPrice: Pd,
    startPrice: P0,
    endPrice: Pend,
    averagePrice,
    vwap,
    participation: partVolume > 0 ? { achieved: partShares / partVolume, max: partMax, steps: partSteps } : undefined,
    steps,
    fills: order.fills.map((f) => ({ fillId: f.fillId, time: f.time, step: f.step, quantity: f.quantity, price: f.price, fee: f.fee })),
  };
  if (Pd === undefined || P0 === undefined || Pend === undefined) return base;
  const bps = (x: number) => shortfallBps(x, t.quantity, Pd);
  const delay = s * (Pd - P0) * X;
  const trading = s * (P0 * X - order.executedNotional);
  const opportunity = s * (Pd - Pend) * U;
  const shortfall = delay + trading + order.fees;
  const total = shortfall + opportunity;
  return {
    ...base,
    shortfall,
    shortfallBps: bps(shortfall),
    decomposition: { delay, trading, opportunity, fees: order.fees, total, totalBps: bps(total) },
    twapEstimate: first
      ? {
          label: 'estimate: TWAP and this order\'s fills priced on the decisions\' market snapshots under linear impact (eta, gamma), not observed prices',
          eta,
          gamma,
          twapCost,
          twapCostBps: bps(twapCost),
          scheduleCost,
          scheduleCostBps: bps(scheduleCost),
        }
      : undefined,
  };
}
