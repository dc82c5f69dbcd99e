/**
 * Serving's forward pass: the trained dense layers as Float32Arrays and plain loops, no TF.js (a decision is a
 * few thousand multiply-adds, where TF.js would spend its time in tensor bookkeeping). Kernels are row-major
 * [in, out] as TF.js stores them; accumulation is in double and each layer's output rounds to float32 as in TF.js.
 */

export type Activation = 'relu' | 'linear';

export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

export class LeanNetwork {
  private readonly buffers: Float32Array[];
  /** Double-precision sums, rounded to float32 once per output as TF.js's float32 results are. */
  private readonly accumulators: Float64Array[];
  private readonly input: Float32Array;
  /** Per layer and input row, the span [from, to) of its nonzero weights: an ensemble's block-diagonal kernels
   * (src/models/ensemble.ts) cost K times less; a dense row spans every output. */
  private readonly spans: { from: Int32Array; to: Int32Array }[];

  constructor(readonly layers: readonly DenseLayer[]) {
    if (layers.length === 0) throw new Error('LeanNetwork needs at least one layer');
    layers.forEach((l, i) => {
      if (l.kernel.length !== l.inSize * l.outSize || l.bias.length !== l.outSize) {
        throw new Error(`LeanNetwork layer ${i}: kernel/bias sizes do not match [${l.inSize}, ${l.outSize}]`);
      }
      if (i > 0 && layers[i - 1].outSize !== l.inSize) {
        throw new Error(`LeanNetwork layer ${i}: input size ${l.inSize} != previous output ${layers[i - 1].outSize}`);
      }
    });
    this.buffers = layers.map((l) => new Float32Array(l.outSize));
    this.accumulators = layers.map((l) => new Float64Array(l.outSize));
    this.input = new Float32Array(layers[0].inSize);
    this.spans = layers.map(({ inSize, outSize, kernel }) => {
      const from = new Int32Array(inSize);
      const to = new Int32Array(inSize);
      for (let i = 0; i < inSize; i++) {
        let lo = 0;
        let hi = outSize;
        while (lo < hi && kernel[i * outSize + lo] === 0) lo++;
        while (hi > lo && kernel[i * outSize + hi - 1] === 0) hi--;
        from[i] = lo;
        to[i] = hi;
      }
      return { from, to };
    });
  }

  get inputSize(): number {
    return this.layers[0].inSize;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].outSize;
  }

  /** Returns a fresh array (callers may keep it); intermediate buffers are reused. */
  forward(input: ArrayLike<number>): Float32Array {
    if (input.length !== this.inputSize) {
      throw new Error(`LeanNetwork.forward: input has ${input.length} values, expected ${this.inputSize}`);
    }
    // Monomorphic inner loop: every layer reads a Float32Array.
    this.input.set(input);
    let x = this.input;
    for (let li = 0; li < this.layers.length; li++) {
      const { inSize, outSize, kernel, bias } = this.layers[li];
      const relu = this.layers[li].activation === 'relu';
      const out = this.buffers[li];
      // Row-major [in, out]: accumulate input i's contribution to every output, walking the kernel linearly.
      const acc = this.accumulators[li];
      const { from, to } = this.spans[li];
      for (let j = 0; j < outSize; j++) acc[j] = bias[j];
      for (let i = 0; i < inSize; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const row = i * outSize;
        const end = to[i];
        for (let j = from[i]; j < end; j++) acc[j] += xi * kernel[row + j];
      }
      for (let j = 0; j < outSize; j++) {
        const v = acc[j];
        out[j] = relu && v < 0 ? 0 : v;
      }
      x = out;
    }
    return x.slice();
  }
}
