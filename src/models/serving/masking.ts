/**
 * Action masking shared by acting, the Double DQN target and serving: an infeasible action is never chosen and
 * never bootstrapped from. Action 0 is always feasible (actions.ts), so a masked argmax always has an answer.
 */

/** Index of the largest feasible value in values[offset .. offset+count); ties go to the lowest index. */
export function maskedArgmax(
  values: ArrayLike<number>,
  mask: ArrayLike<boolean | number>,
  offset = 0,
  count = values.length - offset,
): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let a = 0; a < count; a++) {
    if (!mask[offset + a]) continue;
    const v = values[offset + a];
    if (best === -1 || v > bestValue) {
      best = a;
      bestValue = v;
    }
  }
  if (best === -1) throw new Error('maskedArgmax: every action is masked (action 0 should always be feasible)');
  return best;
}

/** Masked actions as a list of feasible indices, for uniform exploration among them. */
export function feasibleActions(mask: readonly boolean[]): number[] {
  const out: number[] = [];
  for (let a = 0; a < mask.length; a++) if (mask[a]) out.push(a);
  return out;
}

/**
 * The mask the learner uses. Where the constraint layer decides the slice whatever the action (the terminal step
 * forces the remainder, a blocking limit price forbids trading), actions.ts leaves every action open; for
 * learning those states have one canonical action, 0. Otherwise Q(s_{T-1}, a) would be learnt separately for 39
 * equivalent actions, most rarely visited, and the target's max at T-2 would pick whichever is overestimated.
 * A policy anchored on TWAP uses the TWAP action as the canonical one: with action 0 the forced final trade's
 * value leaks into Q(s, 0) of the states just before it, where trading nothing under a binding cap is the worst
 * choice.
 */
export function learningMask(servingMask: readonly boolean[], decidedByConstraints: boolean, canonical = 0): boolean[] {
  if (!decidedByConstraints) return servingMask.slice();
  const mask = new Array<boolean>(servingMask.length).fill(false);
  mask[canonical] = true;
  return mask;
}
