/**
 * The Double DQN target (van Hasselt, Guez & Silver 2016, eq. 4): the online network chooses the next action,
 * the target network values it. The choice is restricted to the next state's feasible actions, so the
 * bootstrap never relies on a slice the constraint layer would have changed.
 *
 *   y = r                                                   if the episode ended
 *   y = r + gamma * Q_target(s', argmax_{a' feasible} Q_online(s', a'))   otherwise
 */
import { maskedArgmax } from '../serving/masking.js';

export interface TargetInputs {
  readonly rewards: ArrayLike<number>;
  readonly dones: ArrayLike<number>;
  /** Row-major [batch, actions]. */
  readonly nextOnlineQ: ArrayLike<number>;
  readonly nextTargetQ: ArrayLike<number>;
  readonly nextMasks: ArrayLike<number | boolean>;
  readonly actionCount: number;
  readonly gamma: number;
}

export function doubleDqnTargets(inputs: TargetInputs): Float32Array {
  const { rewards, dones, nextOnlineQ, nextTargetQ, nextMasks, actionCount, gamma } = inputs;
  const targets = new Float32Array(rewards.length);
  for (let i = 0; i < rewards.length; i++) {
    if (dones[i]) {
      targets[i] = rewards[i];
      continue;
    }
    const offset = i * actionCount;
    const best = maskedArgmax(nextOnlineQ, nextMasks, offset, actionCount);
    targets[i] = rewards[i] + gamma * nextTargetQ[offset + best];
  }
  return targets;
}
