/**
 * Observation normalisation: a per-feature mean and standard deviation fitted once on exploratory rollouts,
 * then frozen and stored in the model's metadata, so training and serving scale inputs identically.
 */

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * A feature that barely moved in the fit (e.g. a constant spread) must not be divided by ~0: a served request with a
 * different value would then feed the network inputs in the thousands. Its std is floored at 10% of its mean
 * magnitude (and 1 when the mean is ~0 too), and every normalised input is clipped to +-CLIP as in the training data.
 */
const RELATIVE_STD_FLOOR = 0.1;
const MIN_STD = 1e-6;
export const NORMALIZED_CLIP = 10;

/** Welford accumulator over observation vectors. */
export class NormalizationFit {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  add(observation: readonly number[]): void {
    this.count++;
    for (let i = 0; i < this.size; i++) {
      const delta = observation[i] - this.mean[i];
      this.mean[i] += delta / this.count;
      this.m2[i] += delta * (observation[i] - this.mean[i]);
    }
  }

  result(): Normalization {
    const mean = Array.from(this.mean);
    const std = Array.from(this.m2, (m2, i) => {
      const s = this.count > 1 ? Math.sqrt(m2 / (this.count - 1)) : 0;
      const floor = RELATIVE_STD_FLOOR * Math.abs(mean[i]);
      if (s >= floor && s > MIN_STD) return s;
      return floor > MIN_STD ? floor : 1;
    });
    return { mean, std };
  }
}

export function identityNormalization(size: number): Normalization {
  return { mean: new Array<number>(size).fill(0), std: new Array<number>(size).fill(1) };
}

/** clip((x - mean) / std, +-NORMALIZED_CLIP) into `out` (allocated when omitted). */
export function normalize(norm: Normalization, observation: readonly number[], out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(observation.length);
  for (let i = 0; i < observation.length; i++) {
    const z = (observation[i] - norm.mean[i]) / norm.std[i];
    result[i] = z > NORMALIZED_CLIP ? NORMALIZED_CLIP : z < -NORMALIZED_CLIP ? -NORMALIZED_CLIP : z;
  }
  return result;
}
