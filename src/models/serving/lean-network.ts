/**
 * Serving's forward pass: the trained dense layers, no TF.js (a decision is a few thousand multiply-adds, where
 * TF.js would spend its time in tensor bookkeeping). Kernels are row-major [in, out] as TF.js stores them;
 * accumulation is in double and each layer's output rounds to float32 as in TF.js. Two implementations of the
 * same arithmetic: JS loops over Float32Arrays (below) and a WebAssembly SIMD kernel (wasm-dense.ts, ~3x faster,
 * bit-identical), used wherever the runtime has it.
 */

import { WasmDense, wasmSimdAvailable } from './wasm-dense.js';

export type Activation = 'relu' | 'linear';

export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** Outputs computed together: eight running sums stay in registers while the inputs stream past once. */
const BLOCK = 8;

export type LeanKernel = 'wasm' | 'js';

export class LeanNetwork {
  /** Which loops run: the SIMD kernel of wasm-dense.ts where the runtime has it, else (or when asked) the JS below. */
  readonly kernel: LeanKernel;
  private readonly wasm: WasmDense | undefined;
  private readonly buffers: Float32Array[];
  private readonly input: Float32Array;
  /**
   * Per layer and block of BLOCK outputs (then per output of the last partial block), the input range [from, to)
   * holding its nonzero weights: an ensemble's block-diagonal kernels (src/models/artifact/ensemble.ts) cost K times less;
   * a dense layer's ranges span every input.
   */
  private readonly ranges: { from: Int32Array; to: Int32Array }[];

  constructor(
    readonly layers: readonly DenseLayer[],
    kernel: LeanKernel = wasmSimdAvailable() ? 'wasm' : 'js',
  ) {
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
    this.input = new Float32Array(layers[0].inSize);
    this.ranges = layers.map(({ inSize, outSize, kernel }) => {
      const groups = groupsOf(outSize);
      const from = new Int32Array(groups.length);
      const to = new Int32Array(groups.length);
      for (let g = 0; g < groups.length; g++) {
        const [j0, j1] = groups[g];
        let lo = 0;
        let hi = inSize;
        while (lo < hi && allZero(kernel, lo * outSize + j0, lo * outSize + j1)) lo++;
        while (hi > lo && allZero(kernel, (hi - 1) * outSize + j0, (hi - 1) * outSize + j1)) hi--;
        from[g] = lo;
        to[g] = hi;
      }
      return { from, to };
    });
    this.kernel = kernel;
    this.wasm =
      kernel === 'wasm'
        ? new WasmDense(layers.map((l, i) => ({ ...l, relu: l.activation === 'relu', ...this.ranges[i] })))
        : undefined;
  }

  get inputSize(): number {
    return this.layers[0].inSize;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].outSize;
  }

  /**
   * The network's output, in a fresh array (callers may keep it); intermediate buffers are reused. Each output is its bias plus
   * the products in input order, summed in double and rounded to float32 once, as TF.js's float32 results are.
   */
  forward(input: ArrayLike<number>): Float32Array {
    return this.run(input).slice();
  }

  /**
   * The same values in a plain array: on the request path a fresh Float32Array of 39 values is an off-heap buffer
   * that the garbage collector has to track and free, which cost more than the copy.
   */
  forwardValues(input: ArrayLike<number>): number[] {
    const y = this.run(input);
    const values = new Array<number>(y.length);
    for (let i = 0; i < y.length; i++) values[i] = y[i];
    return values;
  }

  /** The last layer's output, in a buffer the next call overwrites. */
  private run(input: ArrayLike<number>): Float32Array {
    if (input.length !== this.inputSize) {
      throw new Error(`LeanNetwork.forward: input has ${input.length} values, expected ${this.inputSize}`);
    }
    if (this.wasm) return this.wasm.run(input);
    // Monomorphic loops: every layer reads a Float32Array.
    this.input.set(input);
    let x = this.input;
    for (let li = 0; li < this.layers.length; li++) {
      const { outSize: m, kernel: w, bias: b } = this.layers[li];
      const relu = this.layers[li].activation === 'relu';
      const out = this.buffers[li];
      const { from, to } = this.ranges[li];
      // Row-major [in, out]: output j of input i is w[i * m + j].
      let g = 0;
      let j = 0;
      for (; j + BLOCK <= m; j += BLOCK, g++) {
        let s0 = b[j], s1 = b[j + 1], s2 = b[j + 2], s3 = b[j + 3], s4 = b[j + 4], s5 = b[j + 5], s6 = b[j + 6], s7 = b[j + 7];
        for (let i = from[g], o = from[g] * m + j; i < to[g]; i++, o += m) {
          const xi = x[i];
          if (xi === 0) continue; // a ReLU's zeros: about half of a hidden layer
          s0 += xi * w[o];
          s1 += xi * w[o + 1];
          s2 += xi * w[o + 2];
          s3 += xi * w[o + 3];
          s4 += xi * w[o + 4];
          s5 += xi * w[o + 5];
          s6 += xi * w[o + 6];
          s7 += xi * w[o + 7];
        }
        out[j] = relu && s0 < 0 ? 0 : s0;
        out[j + 1] = relu && s1 < 0 ? 0 : s1;
        out[j + 2] = relu && s2 < 0 ? 0 : s2;
        out[j + 3] = relu && s3 < 0 ? 0 : s3;
        out[j + 4] = relu && s4 < 0 ? 0 : s4;
        out[j + 5] = relu && s5 < 0 ? 0 : s5;
        out[j + 6] = relu && s6 < 0 ? 0 : s6;
        out[j + 7] = relu && s7 < 0 ? 0 : s7;
      }
      for (; j < m; j++, g++) {
        let s = b[j];
        for (let i = from[g], o = from[g] * m + j; i < to[g]; i++, o += m) s += x[i] * w[o];
        out[j] = relu && s < 0 ? 0 : s;
      }
      x = out;
    }
    return x;
  }
}

function allZero(values: Float32Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (values[k] !== 0) return false;
  return true;
}

/** [first, end) output columns of each group: full blocks of BLOCK, then one group per remaining output. */
function groupsOf(outSize: number): [number, number][] {
  const groups: [number, number][] = [];
  let j = 0;
  for (; j + BLOCK <= outSize; j += BLOCK) groups.push([j, j + BLOCK]);
  for (; j < outSize; j++) groups.push([j, j + 1]);
  return groups;
}
