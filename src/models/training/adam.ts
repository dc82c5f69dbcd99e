/**
 * Adam (Kingma & Ba 2015) with TF.js's exact update rule and defaults, over Float32Arrays, plus clipping by the
 * global gradient norm. Why not tf.train.adam: on the WASM backend every TF.js op costs ~5-12 us of dispatch
 * whatever its size, and Adam is ~16 ops per variable plus ~14 for the clip, half of an update's ~230 kernels for
 * ~70k FLOPs of arithmetic (docs/BENCHMARKS.md 3a). The same arithmetic in one JS loop takes tens of microseconds.
 * test/models/adam.test.ts checks it against tf.train.adam within float32 precision.
 */

export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  /** TF.js's default is the backend's epsilon, 1e-7 for float32 on cpu and wasm. */
  readonly epsilon?: number;
}

/** min(1, clip / ||g||) over all gradients together (Pascanu et al. 2013): direction kept, size bounded. */
export function globalNormScale(grads: readonly Float32Array[], clipNorm: number): { scale: number; norm: number } {
  let sumSquares = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sumSquares += g[i] * g[i];
  const norm = Math.sqrt(sumSquares);
  return { norm, scale: norm > clipNorm ? clipNorm / norm : 1 };
}

export class Adam {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  /** beta^t, as TF.js keeps them (starting at beta, updated after each step). */
  private accBeta1: number;
  private accBeta2: number;

  private learningRate: number;

  constructor(sizes: readonly number[], options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
  }

  /** For a learning-rate schedule; the moments are kept. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** One step in place on `params`, each gradient multiplied by `gradScale` first (the clip). */
  step(params: readonly Float32Array[], grads: readonly Float32Array[], gradScale = 1): void {
    const { beta1, beta2, epsilon } = this;
    const lr = this.learningRate;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      if (g.length !== p.length || m.length !== p.length) throw new Error(`Adam: parameter ${k} has ${p.length} values, gradient ${g.length}, state ${m.length}`);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] * gradScale;
        const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
        p[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
    }
    this.accBeta1 *= beta1;
    this.accBeta2 *= beta2;
  }
}
