/**
 * Experience replay in preallocated typed arrays (a ring buffer): no per-transition objects, so a long training
 * run does not churn the garbage collector. Stores normalised states and the next state's action mask, which the
 * Double DQN target needs to keep infeasible actions out of its max.
 */
import type { Rng } from '../../core/rng.js';

export interface Transition {
  readonly state: ArrayLike<number>;
  readonly action: number;
  readonly reward: number;
  readonly nextState: ArrayLike<number>;
  readonly done: boolean;
  /** Feasible actions at the next state (ignored when done). */
  readonly nextMask: readonly boolean[];
  /** The anchor (TWAP) action at this state, when the learner is anchored (dqn-agent.ts Anchor). */
  readonly anchor?: number;
}

/** A sampled minibatch, row-major: row i of `states` is states[i*stateSize .. (i+1)*stateSize). */
export interface Batch {
  readonly size: number;
  readonly states: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly nextStates: Float32Array;
  readonly dones: Uint8Array;
  readonly nextMasks: Uint8Array;
  /** The anchor action of each state (-1: none recorded). */
  readonly anchors?: Int32Array;
}

export class ReplayBuffer {
  private readonly states: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly nextStates: Float32Array;
  private readonly dones: Uint8Array;
  private readonly nextMasks: Uint8Array;
  private readonly anchors: Int32Array;
  private next = 0;
  private filled = 0;

  constructor(
    readonly capacity: number,
    readonly stateSize: number,
    readonly actionCount: number,
  ) {
    this.states = new Float32Array(capacity * stateSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.nextStates = new Float32Array(capacity * stateSize);
    this.dones = new Uint8Array(capacity);
    this.nextMasks = new Uint8Array(capacity * actionCount);
    this.anchors = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.filled;
  }

  add(t: Transition): void {
    const i = this.next;
    for (let j = 0; j < this.stateSize; j++) {
      this.states[i * this.stateSize + j] = t.state[j];
      this.nextStates[i * this.stateSize + j] = t.nextState[j];
    }
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.dones[i] = t.done ? 1 : 0;
    this.anchors[i] = t.anchor ?? -1;
    for (let a = 0; a < this.actionCount; a++) this.nextMasks[i * this.actionCount + a] = t.nextMask[a] ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
  }

  /** Uniform sampling with replacement, drawn from the trainer's own seeded stream. */
  sample(batchSize: number, rng: Rng): Batch {
    if (this.filled === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    const s = this.stateSize;
    const n = this.actionCount;
    const batch: Batch = {
      size: batchSize,
      states: new Float32Array(batchSize * s),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextStates: new Float32Array(batchSize * s),
      dones: new Uint8Array(batchSize),
      nextMasks: new Uint8Array(batchSize * n),
      anchors: new Int32Array(batchSize),
    };
    for (let b = 0; b < batchSize; b++) {
      const i = Math.floor(rng.uniform() * this.filled);
      batch.states.set(this.states.subarray(i * s, (i + 1) * s), b * s);
      batch.nextStates.set(this.nextStates.subarray(i * s, (i + 1) * s), b * s);
      batch.nextMasks.set(this.nextMasks.subarray(i * n, (i + 1) * n), b * n);
      batch.actions[b] = this.actions[i];
      batch.rewards[b] = this.rewards[i];
      batch.dones[b] = this.dones[i];
      batch.anchors![b] = this.anchors[i];
    }
    return batch;
  }
}
