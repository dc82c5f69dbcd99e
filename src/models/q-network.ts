/**
 * The Q-network: a small MLP from the normalised observation to one Q-value per action. Kernel initialisers are
 * seeded so that two training runs with the same seed start from the same weights.
 */
import * as tf from '@tensorflow/tfjs';

export interface NetworkShape {
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
}

export function buildQNetwork(shape: NetworkShape, seed: number): tf.Sequential {
  const model = tf.sequential();
  shape.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        inputShape: i === 0 ? [shape.inputSize] : undefined,
        kernelInitializer: tf.initializers.heUniform({ seed: seed + i }),
        biasInitializer: 'zeros',
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: shape.outputSize,
      activation: 'linear',
      inputShape: shape.hidden.length === 0 ? [shape.inputSize] : undefined,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + shape.hidden.length }),
      biasInitializer: 'zeros',
    }),
  );
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
    const mixed = to.getWeights().map((w, i) => w.mul(1 - tau).add(source[i].mul(tau)));
    to.setWeights(mixed);
  });
}
