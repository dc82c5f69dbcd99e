/**
 * The Q-network: a small MLP from the normalised observation to one Q-value per action. Kernel initialisers are
 * seeded so that two training runs with the same seed start from the same weights.
 *
 * Two heads. `independent`: one free output per action. `chebyshev`: the network outputs the coefficients of a
 * degree-d Chebyshev polynomial in the action level, and a fixed (non-trainable) Dense layer evaluates it at every
 * level, so Q(s, .) is smooth across neighbouring slice sizes. With 39 levels and noisy costs, independent outputs
 * carry ~1 bps of noise each and the argmax chases it; the smooth head shares what one level teaches with its
 * neighbours. Either way the stored model is a plain stack of Dense layers (serving needs nothing special).
 */
import * as tf from '../tf.js';

export type QHead = { readonly kind: 'independent' } | { readonly kind: 'chebyshev'; readonly degree: number };

export interface NetworkShape {
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
  readonly head?: QHead;
}

/** T_j(x) at x = -1 .. 1 over `levels` actions, as a [degree+1, levels] row-major kernel. */
export function chebyshevBasis(degree: number, levels: number): Float32Array {
  const basis = new Float32Array((degree + 1) * levels);
  for (let a = 0; a < levels; a++) {
    const x = levels === 1 ? 0 : (2 * a) / (levels - 1) - 1;
    let previous = 1;
    let current = x;
    for (let j = 0; j <= degree; j++) {
      const value = j === 0 ? 1 : j === 1 ? x : 2 * x * current - previous;
      if (j >= 2) {
        previous = current;
        current = value;
      }
      basis[j * levels + a] = value;
    }
  }
  return basis;
}

/** The sizes of every Dense layer after the input, as stored in the artifact's metadata.network.hidden. */
export function storedHidden(shape: NetworkShape): number[] {
  return shape.head?.kind === 'chebyshev' ? [...shape.hidden, shape.head.degree + 1] : [...shape.hidden];
}

export function buildQNetwork(shape: NetworkShape, seed: number): tf.Sequential {
  const model = tf.sequential();
  const dense = (units: number, activation: 'relu' | 'linear', index: number, glorot = false) =>
    tf.layers.dense({
      units,
      activation,
      inputShape: index === 0 ? [shape.inputSize] : undefined,
      kernelInitializer: glorot ? tf.initializers.glorotUniform({ seed: seed + index }) : tf.initializers.heUniform({ seed: seed + index }),
      biasInitializer: 'zeros',
    });
  shape.hidden.forEach((units, i) => model.add(dense(units, 'relu', i)));
  const head = shape.head ?? { kind: 'independent' };
  if (head.kind === 'independent') {
    model.add(dense(shape.outputSize, 'linear', shape.hidden.length, true));
    return model;
  }
  const coefficients = head.degree + 1;
  model.add(dense(coefficients, 'linear', shape.hidden.length, true));
  const basis = tf.layers.dense({ units: shape.outputSize, activation: 'linear', trainable: false });
  model.add(basis);
  basis.setWeights([tf.tensor2d(chebyshevBasis(head.degree, shape.outputSize), [coefficients, shape.outputSize]), tf.zeros([shape.outputSize])]);
  return model;
}

/** Hard update: target <- online. */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  to.setWeights(from.getWeights());
}

/** Polyak update: target <- tau * online + (1 - tau) * target. */
export function polyakUpdate(from: tf.LayersModel, to: tf.LayersModel, tau: number): void {
  const source = from.getWeights();
  tf.tidy(() => {
    const mixed = to.getWeights().map((w, i) => tf.add(tf.mul(w, 1 - tau), tf.mul(source[i], tau)));
    to.setWeights(mixed);
  });
}
