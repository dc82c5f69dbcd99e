/**
 * One contract for every policy (bennycode/trading-signals' fixture pattern): over random valid states, the slice
 * that leaves the constraint layer keeps every invariant of docs/DESIGN.md 1, and a whole run executes exactly Q by T
 * unless a limit price blocks it. A new policy is checked the day it is added by calling this.
 */
import fc from 'fast-check';
import type { Test } from 'tap';
import { decide } from '../../src/core/decide.js';
import { participationCap } from '../../src/core/constraints.js';
import type { MarketState, Order, Policy } from '../../src/core/types.js';
import { stateArb, type State } from './arbitraries.js';

export const RUNS = 1000;

export function checkSliceInvariants(order: Order, market: MarketState, policy: Policy): string | undefined {
  const { slice } = decide(policy, order, market);
  const n = slice.quantity;
  if (!Number.isFinite(n) || n < 0) return `slice ${n} is negative or not finite (no trade against the side)`;
  if (n > order.remaining) return `slice ${n} exceeds remaining ${order.remaining}`;
  const cap = participationCap(order, market);
  if (n > cap + 1e-9 && !slice.forced) return `slice ${n} breaks the cap ${cap} without being forced`;
  if (slice.forced && order.step !== order.horizon - 1) return 'forced before the terminal step';
  const lot = order.lotSize ?? 1;
  if (n !== order.remaining && Math.abs(n / lot - Math.round(n / lot)) > 1e-9) return `slice ${n} is not a multiple of lot ${lot}`;
  if (slice.limited && n !== 0) return 'limited but traded';
  const blocked = order.limitPrice !== undefined && (order.side === 'sell' ? market.bid < order.limitPrice : market.ask > order.limitPrice);
  if (blocked && n !== 0) return 'traded through the limit price';
  if (order.step === order.horizon - 1 && !blocked && n !== order.remaining) return 'terminal step left inventory';
  return undefined;
}

/** Runs the order from its state to the horizon with the market held fixed; returns what was executed. */
export function runToHorizon(policy: Policy, order: Order, market: MarketState): { executed: number; unexecuted: number } {
  let remaining = order.remaining;
  let unexecuted = 0;
  for (let k = order.step; k < order.horizon; k++) {
    const { slice } = decide(policy, { ...order, step: k, remaining }, market);
    remaining -= slice.quantity;
    unexecuted = slice.unexecuted;
  }
  return { executed: order.remaining - remaining, unexecuted };
}

export function policyContract(
  t: Test,
  name: string,
  make: (order: Order, market: MarketState) => Policy,
  arb: fc.Arbitrary<State> = stateArb,
): void {
  t.test(`${name}: every slice keeps the invariants`, async (t) => {
    fc.assert(
      fc.property(arb, ({ order, market }) => {
        const problem = checkSliceInvariants(order, market, make(order, market));
        if (problem) throw new Error(problem);
      }),
      { numRuns: RUNS, seed: 42 },
    );
    t.pass(`${RUNS} random states`);
  });

  t.test(`${name}: a whole run executes exactly the remaining inventory by T`, async (t) => {
    fc.assert(
      fc.property(arb, ({ order, market }) => {
        const policy = make(order, market);
        const { executed, unexecuted } = runToHorizon(policy, order, market);
        if (executed + unexecuted !== order.remaining) throw new Error(`executed ${executed} + unexecuted ${unexecuted} != ${order.remaining}`);
        const blocked = order.limitPrice !== undefined && (order.side === 'sell' ? market.bid < order.limitPrice : market.ask > order.limitPrice);
        if (!blocked && unexecuted !== 0) throw new Error('unexecuted without a blocking limit');
      }),
      { numRuns: RUNS, seed: 7 },
    );
    t.pass(`${RUNS} random runs`);
  });
}
