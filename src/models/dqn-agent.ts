/**
 * The learning half of the DQN policy (TF.js): an online and a target Q-network, Adam, one Double DQN update on
 * a replay minibatch with a Huber loss and gradients clipped by their global norm, and the target update (hard
 * copy every N updates, or Polyak averaging). The forward passes are plain matMul/relu ops over the layers'
 * variables (the Layers API's predict costs ~5x more per call on these tiny batches), and acting goes through a
 * lean mirror of the online weights, i.e. the very code that serves the model.
 */
import * as tf from '@tensorflow/tfjs';
import { doubleDqnTargets } from './double-dqn.js';
import { LeanNetwork, type Activation, type DenseLayer } from './lean-network.js';
import { maskedArgmax } from './masking.js';
import { buildQNetwork, copyWeights, polyakUpdate, type NetworkShape } from './q-network.js';
import type { Batch } from './replay-buffer.js';

export type TargetUpdate = { readonly kind: 'hard'; readonly every: number } | { readonly kind: 'polyak'; readonly tau: number };

export interface AgentConfig {
  readonly shape: NetworkShape;
  readonly seed: number;
  readonly learningRate: number;
  readonly gamma: number;
  readonly huberDelta: number;
  readonly gradientClipNorm: number;
  readonly targetUpdate: TargetUpdate;
}

/** Scales every gradient by min(1, clip / global norm) (Pascanu et al. 2013): direction kept, size bounded. */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): { grads: tf.NamedTensorMap; norm: number } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))).dataSync()[0]);
  if (!(norm > clipNorm)) return { grads, norm };
  const scale = clipNorm / norm;
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = tf.mul(grads[n], scale);
  return { grads: clipped, norm };
}

export class DqnAgent {
  readonly online: tf.Sequential;
  readonly target: tf.Sequential;
  private readonly optimizer: tf.Optimizer;
  private updates = 0;
  private mirror: LeanNetwork | undefined;

  constructor(readonly config: AgentConfig) {
    this.online = buildQNetwork(config.shape, config.seed);
    this.target = buildQNetwork(config.shape, config.seed);
    this.target.trainable = false;
    copyWeights(this.online, this.target);
    this.optimizer = tf.train.adam(config.learningRate);
  }

  /** Q-values of one normalised state under the online network (lean mirror, refreshed after each update). */
  qValues(state: Float32Array): Float32Array {
    this.mirror ??= leanMirror(this.online);
    return this.mirror.forward(state);
  }

  /** Greedy action among the feasible ones. */
  greedy(state: Float32Array, mask: readonly boolean[]): number {
    return maskedArgmax(this.qValues(state), mask);
  }

  private predictBatch(model: tf.LayersModel, states: Float32Array, size: number): Float32Array {
    const width = this.config.shape.inputSize;
    return tf.tidy(
      () => forward(variablesOf(model), tf.tensor2d(states, [size, width]), activationsOf(model)).dataSync() as Float32Array,
    );
  }

  /** One gradient step on a minibatch; returns the Huber loss before the step. */
  train(batch: Batch): number {
    const { shape, gamma, huberDelta, gradientClipNorm, targetUpdate } = this.config;
    const targets = doubleDqnTargets({
      rewards: batch.rewards,
      dones: batch.dones,
      nextOnlineQ: this.predictBatch(this.online, batch.nextStates, batch.size),
      nextTargetQ: this.predictBatch(this.target, batch.nextStates, batch.size),
      nextMasks: batch.nextMasks,
      actionCount: shape.outputSize,
      gamma,
    });
    const variables = variablesOf(this.online);
    // The Chebyshev basis layer is fixed: differentiate only the trainable variables.
    const trainable = this.online.trainableWeights.map((w) => w.read() as tf.Variable);
    const activations = activationsOf(this.online);
    const loss = tf.tidy(() => {
      const states = tf.tensor2d(batch.states, [batch.size, shape.inputSize]);
      const chosen = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), shape.outputSize);
      const y = tf.tensor1d(targets);
      const { value, grads } = this.optimizer.computeGradients(() => {
        const q = forward(variables, states, activations);
        const qTaken = tf.sum(tf.mul(q, chosen), 1);
        return tf.losses.huberLoss(y, qTaken, undefined, huberDelta) as tf.Scalar;
      }, trainable);
      const clipped = clipByGlobalNorm(grads, gradientClipNorm).grads;
      this.optimizer.applyGradients(clipped);
      return value.dataSync()[0];
    });
    this.updates++;
    this.mirror = undefined;
    if (targetUpdate.kind === 'hard') {
      if (this.updates % targetUpdate.every === 0) copyWeights(this.online, this.target);
    } else {
      polyakUpdate(this.online, this.target, targetUpdate.tau);
    }
    return loss;
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}

/** The Dense layers' variables in layer order: kernel, bias, kernel, bias, ... */
function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.layers.flatMap((layer) => layer.weights.map((w) => w.read() as tf.Variable));
}

function activationsOf(model: tf.LayersModel): Activation[] {
  return model.layers.map((layer) => {
    const activation = layer.getConfig().activation;
    if (activation !== 'relu' && activation !== 'linear') throw new Error(`unsupported activation ${String(activation)}`);
    return activation;
  });
}

/** x W + b per Dense layer with its activation (the layout buildQNetwork creates). */
function forward(variables: readonly tf.Tensor[], x: tf.Tensor2D, activations: readonly Activation[]): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < variables.length; i += 2) {
    const z = tf.add(tf.matMul(h, variables[i] as tf.Tensor2D), variables[i + 1]) as tf.Tensor2D;
    h = activations[i / 2] === 'relu' ? tf.relu(z) : z;
  }
  return h;
}

/** The online weights copied into the serving network's Float32Arrays. */
export function leanMirror(model: tf.LayersModel): LeanNetwork {
  const values = variablesOf(model);
  const activations = activationsOf(model);
  const layers: DenseLayer[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const [inSize, outSize] = values[i].shape;
    layers.push({
      inSize,
      outSize,
      kernel: values[i].dataSync() as Float32Array,
      bias: values[i + 1].dataSync() as Float32Array,
      activation: activations[i / 2],
    });
  }
  return new LeanNetwork(layers);
}
