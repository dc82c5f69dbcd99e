/**
 * n-step returns (Sutton & Barto 2018, 7.1; as in Rainbow): a transition carries the discounted sum of the next
 * n rewards and bootstraps from the state n steps later with gamma^n. A terminal cost (the forced last trade)
 * then reaches the decisions that caused it n times faster than through one-step bootstrapping.
 */
import type { Transition } from './replay-buffer.js';

interface Pending {
  readonly state: ArrayLike<number>;
  readonly action: number;
  readonly anchor?: number;
  reward: number;
  steps: number;
}

export class NStepAccumulator {
  private pending: Pending[] = [];

  constructor(
    readonly n: number,
    readonly gamma: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`nSteps must be an integer >= 1, got ${n}`);
  }

  /**
   * Adds one environment step; returns the transitions that are now complete: the oldest one once it has n
   * rewards, and every pending one when the episode ends (they then end in the terminal state, no bootstrap).
   */
  push(step: Transition): Transition[] {
    for (const p of this.pending) {
      p.reward += Math.pow(this.gamma, p.steps) * step.reward;
      p.steps++;
    }
    this.pending.push({ state: step.state, action: step.action, reward: step.reward, steps: 1, ...(step.anchor !== undefined ? { anchor: step.anchor } : {}) });
    const ready: Transition[] = [];
    const emit = (p: Pending): void => {
      ready.push({
        state: p.state,
        action: p.action,
        reward: p.reward,
        nextState: step.nextState,
        done: step.done,
        nextMask: step.nextMask,
        ...(p.anchor !== undefined ? { anchor: p.anchor } : {}),
      });
    };
    if (step.done) {
      for (const p of this.pending) emit(p);
      this.pending = [];
    } else if (this.pending[0].steps === this.n) {
      emit(this.pending.shift()!);
    }
    return ready;
  }
}
