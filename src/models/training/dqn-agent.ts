/**
 * The learning half of the DQN policy (TF.js): an online and a target Q-network, Adam, one Double DQN update on
 * a replay minibatch with a Huber loss and gradients clipped by their global norm, and the target update (hard
 * copy every N updates, or Polyak averaging).
 *
 * Why the update is written out by hand: on the WASM backend every TF.js op costs ~10 us of dispatch whatever its
 * size, and the generic path (Layers forward, autodiff tape, Huber loss ops, tf.train.adam, the clip) ran ~230 ops
 * per update for ~4.6 MFLOP of arithmetic (docs/BENCHMARKS.md 3). Here TF.js runs only the products: fused
 * matMul+bias+relu forwards, and the backward pass of a Dense stack (dZ = dH * [H > 0], dW = H_prev^T dZ,
 * db = sum dZ, dH_prev = dZ W^T, ~24 ops); the loss, its gradient, the global-norm clip and Adam are plain JS over
 * Float32Arrays. test/models/q-network.test.ts checks the gradients against TF.js autodiff of the same loss.
 * On the WASM backend the products skip the engine too (kernel-update.ts: the same kernel calls, the same
 * weights to the last bit, 1.4x-1.8x faster); this engine path remains for the cpu backend and as reference.
 * Acting goes through a lean mirror of the online weights, i.e. the very code that serves the model.
 */
import * as tf from '../tf.js';
import { Adam, globalNormScale } from './adam.js';
import { doubleDqnTargets } from './double-dqn.js';
import { KernelUpdate, type StackLayer } from './kernel-update.js';
import { LeanNetwork, type Activation, type DenseLayer } from '../serving/lean-network.js';
import { maskedArgmax } from '../serving/masking.js';
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
  /**
   * A large-margin pull towards an anchor action (DQfD, Hester et al. 2018), added to the TD loss of every sampled
   * state: weight x [max_a (Q(s, a) + margin |a - anchor| / unit) - Q(s, anchor)]. The greedy policy then leaves
   * the anchor (the TWAP slice) only where the TD evidence outweighs the margin. The margin grows with the
   * distance from the anchor, a shape a smooth (Chebyshev) head can take.
   */
  readonly anchor?: Anchor;
}

export interface Anchor {
  /** Index of the anchor action (e.g. the 1x-TWAP level). */
  readonly action: number;
  /** Margin per `unit` actions away from the anchor, reward units. */
  readonly margin: number;
  /** Actions per unit of distance (for twap-multiple levels: the levels per 1x the TWAP slice). */
  readonly unit: number;
  readonly weight: number;
}

export class DqnAgent {
  private readonly onlineModel: tf.Sequential;
  private readonly targetModel: tf.Sequential;
  private readonly trainable: tf.Variable[];
  /** The trainable weights' values: Adam updates them here and uploads them, so no TF.js op runs for Adam. */
  private readonly params: Float32Array[];
  private readonly optimizer: Adam;
  /** The update through the WASM backend's kernels; while it runs, the models' variables are updated on demand. */
  private readonly kernelUpdate: KernelUpdate | undefined;
  /** The layers' sizes, activations and initial weights (the fixed basis layer's stay these). */
  private readonly layout: readonly StackLayer[];
  private onlineStale = false;
  private targetStale = false;
  private updates = 0;
  private mirror: LeanNetwork | undefined;

  constructor(readonly config: AgentConfig) {
    this.onlineModel = buildQNetwork(config.shape, config.seed);
    this.targetModel = buildQNetwork(config.shape, config.seed);
    this.targetModel.trainable = false;
    copyWeights(this.onlineModel, this.targetModel);
    // The Chebyshev basis layer is fixed: only the trainable variables are differentiated and updated.
    this.trainable = this.onlineModel.trainableWeights.map((w) => w.read() as tf.Variable);
    this.layout = denseLayersOf(this.onlineModel).map(({ kernel, bias, activation, trainable }) => ({
      inSize: kernel.shape[0],
      outSize: kernel.shape[1],
      activation,
      trainable,
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
    }));
    // Copies (the cpu backend's dataSync can hand out the tensor's own storage; Adam updates these in place), in
    // the order of trainableWeights: kernel, bias per trainable layer.
    this.params = this.layout.filter((l) => l.trainable).flatMap((l) => [l.kernel.slice(), l.bias.slice()]);
    this.optimizer = new Adam(this.params.map((p) => p.length), { learningRate: config.learningRate });
    this.kernelUpdate = this.directUpdate(this.layout);
  }

  /**
   * The update through the WASM backend's kernels, or undefined to run its products through the TF.js engine: the
   * cpu backend's only path, and the reference a subclass may choose on WASM too (bench/dqn-agent-probes.ts).
   */
  protected directUpdate(layout: readonly StackLayer[]): KernelUpdate | undefined {
    return KernelUpdate.create(layout);
  }

  /** The online network as a TF.js model (for export), its variables brought up to date first. */
  get online(): tf.Sequential {
    if (this.onlineStale) {
      this.uploadParams();
      this.onlineStale = false;
    }
    return this.onlineModel;
  }

  /** The target network as a TF.js model, brought up to date first. */
  get target(): tf.Sequential {
    if (this.targetStale && this.kernelUpdate) {
      const weights = this.kernelUpdate.targetWeights();
      tf.tidy(() => this.targetModel.layers.forEach((layer, l) => layer.setWeights(layer.weights.map((w, i) => tf.tensor(weights[2 * l + i], w.shape as number[])))));
      this.targetStale = false;
    }
    return this.targetModel;
  }

  /** Q-values of one normalised state under the online network (lean mirror, refreshed after each update). */
  qValues(state: Float32Array): Float32Array {
    this.mirror ??= this.paramsMirror();
    return this.mirror.forward(state);
  }

  /** Greedy action among the feasible ones. */
  greedy(state: Float32Array, mask: readonly boolean[]): number {
    return maskedArgmax(this.qValues(state), mask);
  }

  private predictBatch(model: tf.LayersModel, states: tf.Tensor2D): Float32Array {
    // Read the values after tidy: returned from inside, the Float32Array would be walked as a tensor container.
    const out = tf.tidy(() => forward(denseLayersOf(model), states).at(-1)!);
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  }

  /**
   * The Huber loss of the taken actions' Q-values against `targets` and the gradient of every trainable weight,
   * through TF.js ops (the engine path).
   */
  gradients(states: Float32Array, actions: Int32Array, targets: Float32Array, anchors?: Int32Array): { loss: number; grads: Float32Array[] } {
    const { inputSize, outputSize } = this.config.shape;
    const size = targets.length;
    const layers = denseLayersOf(this.online);
    const grads: Float32Array[] = [];
    let loss = 0;
    // Nothing is returned from tidy: it would walk every returned Float32Array element by element.
    tf.tidy(() => {
      const activations = forward(layers, tf.tensor2d(states, [size, inputSize]));
      const dq = new Float32Array(size * outputSize);
      const q = activations.at(-1)!.dataSync() as Float32Array;
      loss = huberGradient(q, actions, targets, this.config.huberDelta, dq);
      if (this.config.anchor) loss += anchorGradient(q, size, this.config.anchor, dq, anchors);
      let dh: tf.Tensor2D = tf.tensor2d(dq, [size, outputSize]);
      for (let l = layers.length - 1; l >= 0; l--) {
        const { kernel, activation, trainable } = layers[l];
        const dz = activation === 'relu' ? tf.mul(dh, tf.step(activations[l + 1])) : dh;
        if (trainable) {
          // Explicit transposes: wasm runs matMul with a transpose flag several times slower than a plain one.
          grads.unshift(tf.sum(dz, 0).dataSync() as Float32Array);
          grads.unshift(tf.matMul(tf.transpose(activations[l]), dz).dataSync() as Float32Array);
        }
        if (l > 0) dh = tf.matMul(dz, tf.transpose(kernel));
      }
    });
    return { loss, grads };
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
  }

  /** One gradient step on a minibatch; returns the Huber loss before the step. */
  train(batch: Batch): number {
    const { shape, gamma, gradientClipNorm, huberDelta } = this.config;
    const next = this.kernelUpdate?.nextStateQ(batch.nextStates, batch.size) ?? this.nextStateQ(batch);
    const targets = doubleDqnTargets({
      rewards: batch.rewards,
      dones: batch.dones,
      nextOnlineQ: next.online,
      nextTargetQ: next.target,
      nextMasks: batch.nextMasks,
      actionCount: shape.outputSize,
      gamma,
    });
    let loss: number;
    let grads: Float32Array[];
    if (this.kernelUpdate) {
      loss = 0;
      grads = this.kernelUpdate.gradients(batch.states, batch.size, (q, dq) => {
        loss = huberGradient(q, batch.actions, targets, huberDelta, dq);
        if (this.config.anchor) loss += anchorGradient(q, batch.size, this.config.anchor, dq, batch.anchors);
      });
    } else {
      ({ loss, grads } = this.gradients(batch.states, batch.actions, targets, batch.anchors));
    }
    this.optimizer.step(this.params, grads, globalNormScale(grads, gradientClipNorm).scale);
    if (this.kernelUpdate) {
      this.kernelUpdate.setOnline(this.params);
      this.onlineStale = true;
    } else {
      this.uploadParams();
    }
    this.updates++;
    this.mirror = undefined;
    this.updateTarget();
    return loss;
  }

  dispose(): void {
    this.kernelUpdate?.dispose();
    this.onlineModel.dispose();
    this.targetModel.dispose();
  }

  private nextStateQ(batch: Batch): { online: Float32Array; target: Float32Array } {
    const nextStates = tf.tensor2d(batch.nextStates, [batch.size, this.config.shape.inputSize]);
    const q = { online: this.predictBatch(this.onlineModel, nextStates), target: this.predictBatch(this.targetModel, nextStates) };
    nextStates.dispose();
    return q;
  }

  private updateTarget(): void {
    const { targetUpdate } = this.config;
    if (targetUpdate.kind === 'hard' && this.updates % targetUpdate.every !== 0) return;
    if (this.kernelUpdate) {
      if (targetUpdate.kind === 'hard') this.kernelUpdate.copyToTarget();
      else this.kernelUpdate.polyak(targetUpdate.tau);
      this.targetStale = true;
    } else if (targetUpdate.kind === 'hard') {
      copyWeights(this.onlineModel, this.targetModel);
    } else {
      polyakUpdate(this.onlineModel, this.targetModel, targetUpdate.tau);
    }
  }

  private uploadParams(): void {
    // A copy: the cpu backend keeps an uploaded array as the tensor's storage, and Adam updates params in place.
    tf.tidy(() => this.trainable.forEach((v, i) => v.assign(tf.tensor(this.params[i].slice(), v.shape))));
  }

  /**
   * The acting mirror, built from the parameters themselves: the same values the variables hold (or will hold,
   * on the kernels path, where they are only brought up to date on demand). Rebuilt after every update for one
   * forward per environment step: the JS loops, which cost nothing to set up (the SIMD kernel's instance and weight
   * copy would cost more than it saves here); the outputs are bit-identical.
   */
  private paramsMirror(): LeanNetwork {
    let k = 0;
    const layers: DenseLayer[] = this.layout.map(({ inSize, outSize, activation, trainable, kernel, bias }) => ({
      inSize,
      outSize,
      kernel: trainable ? this.params[k++] : kernel,
      bias: trainable ? this.params[k++] : bias,
      activation,
    }));
    return new LeanNetwork(layers, 'js');
  }
}

/**
 * Huber loss with TF.js's default reduction (mean over the batch) of the taken actions' Q-values against
 * `targets`; writes dL/dQ into `dq` (only the taken action's Q has a gradient) and returns the loss.
 */
function huberGradient(q: Float32Array, actions: Int32Array, targets: Float32Array, delta: number, dq: Float32Array): number {
  const size = targets.length;
  const outputSize = q.length / size;
  let loss = 0;
  for (let b = 0; b < size; b++) {
    const error = q[b * outputSize + actions[b]] - targets[b];
    const quadratic = Math.min(Math.abs(error), delta);
    loss += 0.5 * quadratic * quadratic + delta * (Math.abs(error) - quadratic);
    dq[b * outputSize + actions[b]] = Math.max(-delta, Math.min(delta, error)) / size;
  }
  return loss / size;
}

/**
 * The anchor's large-margin term (see AgentConfig.anchor), mean over the batch; adds its gradient to `dq` and
 * returns the term. Zero where the anchor already leads every other action by the margin. `anchors` gives each
 * state's own anchor action (-1: none), e.g. the TWAP slice clipped to a binding cap; otherwise `anchor.action`.
 */
export function anchorGradient(q: Float32Array, size: number, anchor: Anchor, dq: Float32Array, anchors?: Int32Array): number {
  const outputSize = q.length / size;
  const { margin, weight, unit } = anchor;
  let loss = 0;
  for (let b = 0; b < size; b++) {
    const action = anchors ? anchors[b] : anchor.action;
    if (action < 0) continue;
    const row = b * outputSize;
    let best = action;
    let bestValue = q[row + action];
    for (let a = 0; a < outputSize; a++) {
      const v = q[row + a] + (margin * Math.abs(a - action)) / unit;
      if (v > bestValue) {
        best = a;
        bestValue = v;
      }
    }
    if (best === action) continue;
    loss += weight * (bestValue - q[row + action]);
    dq[row + best] += weight / size;
    dq[row + action] -= weight / size;
  }
  return loss / size;
}

interface DenseVariables {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
  readonly activation: Activation;
  readonly trainable: boolean;
}

/** The Dense layers (the layout buildQNetwork creates), in order. */
function denseLayersOf(model: tf.LayersModel): DenseVariables[] {
  return model.layers.map((layer) => {
    const [kernel, bias] = layer.weights.map((w) => w.read());
    const activation = layer.getConfig().activation;
    if (activation !== 'relu' && activation !== 'linear') throw new Error(`unsupported activation ${String(activation)}`);
    return { kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D, activation, trainable: layer.trainable };
  });
}

/** x W + b per layer with its activation, one fused op each; returns the input and every layer's output. */
function forward(layers: readonly DenseVariables[], x: tf.Tensor2D): tf.Tensor2D[] {
  const outputs = [x];
  for (const { kernel, bias, activation } of layers) outputs.push(tf.fused.matMul({ a: outputs.at(-1)!, b: kernel, bias, activation }) as tf.Tensor2D);
  return outputs;
}
