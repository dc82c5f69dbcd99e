/**
 * Discrete action spaces of docs/DESIGN.md 3 and their masks. An action maps to a raw proposal in shares; the mask
 * marks the actions the constraint layer would change (above the remaining inventory or the participation cap),
 * so a learned policy neither acts on nor bootstraps from an action it could never take.
 */
import { isTerminalStep, limitBlocks, participationCap } from './constraints.js';
import type { MarketState, Order } from './types.js';

export type ActionSpace =
  | { readonly kind: 'fraction'; readonly levels: number } // {0, 1/K, ..., 1} of the remaining inventory
  | {
      readonly kind: 'twap-multiple';
      readonly levels: number;
      readonly max: number;
      /**
       * When true, the lowest action above the bound (the cap or the remaining inventory) stays feasible: the
       * constraint layer clips it to the bound, so the policy can trade exactly at a binding cap, as a clipped
       * TWAP does, instead of the highest level below it (whose shortfall piles up into the forced final trade).
       */
      readonly clipAtBound?: boolean;
    }; // 0 .. max x TWAP slice

export const DEFAULT_ACTION_SPACE: ActionSpace = { kind: 'twap-multiple', levels: 39, max: 2 };

export function actionCount(space: ActionSpace): number {
  return space.kind === 'fraction' ? space.levels + 1 : space.levels;
}

/** The raw proposal (shares) of action `a`. */
export function actionProposal(space: ActionSpace, a: number, order: Order): number {
  if (space.kind === 'fraction') return (order.remaining * a) / space.levels;
  const twapSlice = order.remaining / (order.horizon - order.step);
  return (twapSlice * space.max * a) / (space.levels - 1);
}

/**
 * Feasible actions: proposals within the remaining inventory and the cap. Action 0 (trade nothing) is always
 * feasible, so the mask is never empty; at the terminal step or behind a limit the constraint layer decides the
 * slice whatever the action, so every action is left open there.
 */
export function actionMask(space: ActionSpace, order: Order, market: MarketState): boolean[] {
  const n = actionCount(space);
  if (isTerminalStep(order) || limitBlocks(order, market)) return new Array<boolean>(n).fill(true);
  const bound = Math.min(order.remaining, participationCap(order, market));
  const mask = new Array<boolean>(n);
  let above = false;
  for (let a = 0; a < n; a++) {
    const within = a === 0 || actionProposal(space, a, order) <= bound * (1 + 1e-9);
    // clipAtBound: the first action past the bound means "trade at the bound".
    mask[a] = within || (space.kind === 'twap-multiple' && space.clipAtBound === true && !above);
    if (!within) above = true;
  }
  return mask;
}
