/**
 * The SIMD kernel of the serving forward pass (src/models/serving/wasm/dense.wat, assembled by `npm run build:wasm` and
 * committed): the same f64 arithmetic in the same order as LeanNetwork's JS loops, so its outputs are
 * bit-identical to them (test/models/lean-network.test.ts), two outputs per instruction and no bounds check per
 * weight. One instance per network, with the network's weights copied into its memory once, as float32: the
 * kernel widens each to f64 as it loads it (exactly, as Float64Array.set would), so a decision streams half the
 * bytes through the first-level cache that the HTTP path around it shares (docs/BENCHMARKS.md 2).
 */
import { readFileSync } from 'node:fs';

// The WebAssembly global, as far as it is used here (this project's lib settings carry no DOM types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: unknown };
};

interface DenseExports {
  readonly memory: WasmMemory;
  layer(x: number, w: number, b: number, out: number, ranges: number, n: number, m: number, relu: number): void;
}

export interface WasmLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly relu: boolean;
  /** Per output group (blocks of 8, then single outputs), the input range [from, to) with nonzero weights. */
  readonly from: Int32Array;
  readonly to: Int32Array;
}

let compiled: WasmModule | null | undefined;

/** The compiled kernel, or null where this runtime has no WebAssembly SIMD (the JS loops serve then). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(new URL('./wasm/dense.wasm', import.meta.url)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function wasmSimdAvailable(): boolean {
  return kernelModule() !== null;
}

/** A network's layers in one wasm memory; `run` returns a view of the last layer's output (overwritten next call). */
export class WasmDense {
  private readonly exports: DenseExports;
  private readonly input: Float32Array;
  private readonly output: Float32Array;
  private readonly calls: Int32Array; // per layer: x, w, b, out, ranges, n, m, relu

  constructor(layers: readonly WasmLayer[]) {
    const module = kernelModule();
    if (!module) throw new Error('WebAssembly SIMD is not available');
    // Layout, 16-byte aligned: input, then per layer its weights (f32), biases (f64), ranges (i32 pairs), output (f32).
    let at = 0;
    const take = (bytes: number) => {
      const start = at;
      at += Math.ceil(bytes / 16) * 16;
      return start;
    };
    const inputAt = take(layers[0].inSize * 4);
    let xAt = inputAt;
    const plan = layers.map((l) => {
      const p = { x: xAt, w: take(l.inSize * l.outSize * 4), b: take(l.outSize * 8), ranges: take(l.from.length * 8), out: take(l.outSize * 4) };
      xAt = p.out;
      return p;
    });
    const instance = new WebAssembly.Instance(module);
    this.exports = instance.exports as unknown as DenseExports;
    const pages = Math.ceil(at / 65536);
    const have = this.exports.memory.buffer.byteLength / 65536;
    if (pages > have) this.exports.memory.grow(pages - have);
    const buffer = this.exports.memory.buffer;
    layers.forEach((l, k) => {
      const p = plan[k];
      new Float32Array(buffer, p.w, l.kernel.length).set(l.kernel);
      new Float64Array(buffer, p.b, l.outSize).set(l.bias);
      const ranges = new Int32Array(buffer, p.ranges, l.from.length * 2);
      for (let g = 0; g < l.from.length; g++) {
        ranges[2 * g] = l.from[g];
        ranges[2 * g + 1] = l.to[g];
      }
    });
    this.input = new Float32Array(buffer, inputAt, layers[0].inSize);
    const last = layers.length - 1;
    this.output = new Float32Array(buffer, plan[last].out, layers[last].outSize);
    this.calls = new Int32Array(layers.flatMap((l, k) => [plan[k].x, plan[k].w, plan[k].b, plan[k].out, plan[k].ranges, l.inSize, l.outSize, l.relu ? 1 : 0]));
  }

  run(input: ArrayLike<number>): Float32Array {
    this.input.set(input);
    const c = this.calls;
    for (let k = 0; k < c.length; k += 8) this.exports.layer(c[k], c[k + 1], c[k + 2], c[k + 3], c[k + 4], c[k + 5], c[k + 6], c[k + 7]);
    return this.output;
  }
}
