import { applyConstraints } from './constraints.js';
import type { MarketState, Order, Policy, Slice } from './types.js';

export interface Decision {
  /** The policy's raw proposal before the constraint layer. */
  readonly proposal: number;
  readonly slice: Slice;
}

/** One decision: the policy proposes, the constraint layer decides. */
export function decide(policy: Policy, order: Order, market: MarketState): Decision {
  const proposal = policy.propose(order, market);
  return { proposal, slice: applyConstraints(order, market, proposal) };
}
