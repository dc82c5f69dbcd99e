/**
 * The TF.js WASM backend's own kernels (its XNNPACK products, transpose, sum, step and multiply), called directly on matrices kept
 * on the backend's heap, without the TF.js engine in between.
 *
 * Why: a DQN update on this project's small networks is ~60 ops of a few microseconds of arithmetic each, and
 * through the engine every op also pays 5-10 us of bookkeeping (tensor records, allocation, scopes) — about half
 * of the update (docs/BENCHMARKS.md 3a). The arithmetic is unchanged: each call here is the one the backend's
 * kernel function makes for tf.fused.matMul, tf.matMul, tf.transpose, tf.sum, tf.step or tf.mul on 2-D float32
 * tensors, with the
 * same arguments, so the results are the same to the last bit (test/models/kernel-update.test.ts checks whole
 * training runs against the engine path).
 *
 * This reaches into tfjs-backend-wasm's internals (its emscripten module and id counter), pinned by
 * package-lock.json; `forCurrentBackend()` returns undefined when they are not there, and callers fall back to
 * the engine.
 *
 * One hazard, from the backend's design: it caches one XNNPACK operator per right-hand operand id (and bias id),
 * with that operand's values packed inside. A matrix whose values change must be marked `changed()` before it is
 * next used as `b` or `bias`, or the product silently uses its old values (tested).
 */
import * as tf from '../tf.js';

interface EmscriptenModule {
  cwrap(name: string, returns: null, args: readonly string[]): (...args: unknown[]) => void;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

/** What this module uses of tfjs-backend-wasm's BackendWasm. */
interface BackendWasmInternals {
  wasm: EmscriptenModule;
  /** The backend's id counter; ids taken from it never collide with the engine's tensors. */
  dataIdNextNumber: number;
}

/** A row-major float32 matrix on the backend's heap, registered with the backend under its own id. */
export interface HeapMatrix {
  readonly id: number;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  /** [1, rows, cols] as the kernels take shapes: int32 bytes. */
  readonly shape3: Uint8Array;
}

// tfjs-backend-wasm's FusableActivation (cc/fusable_activations.h) and CppDType (cc/backend.h).
const ACTIVATION = { linear: 0, relu: 1 } as const;
const FLOAT32 = 0;
const TRANSPOSE_2D = new Uint8Array(new Int32Array([1, 0]).buffer);

export class WasmKernels {
  private readonly wasm: EmscriptenModule;
  private readonly fusedMatMulKernel;
  private readonly batchMatMulKernel;
  private readonly transposeKernel;
  private readonly sumKernel;
  private readonly stepKernel;
  private readonly multiplyKernel;
  private readonly allocated = new Set<HeapMatrix>();

  /** The kernels of the active backend if it is TF.js's WASM backend with the internals this module needs. */
  static forCurrentBackend(): WasmKernels | undefined {
    if (tf.getBackend() !== 'wasm') return undefined;
    const backend = tf.backend() as unknown as Partial<BackendWasmInternals>;
    const wasm = backend.wasm;
    if (typeof backend.dataIdNextNumber !== 'number' || typeof wasm?.cwrap !== 'function' || typeof wasm._malloc !== 'function' || typeof wasm.tfjs?.registerTensor !== 'function') return undefined;
    return new WasmKernels(backend as BackendWasmInternals);
  }

  private constructor(private readonly backend: BackendWasmInternals) {
    this.wasm = backend.wasm;
    // Signatures as the backend's kernels/*.js declare them.
    const n = 'number';
    const array = 'array';
    this.fusedMatMulKernel = this.wasm.cwrap('_FusedMatMul', null, [n, array, n, n, array, n, n, n, n, n, n, n, n]);
    this.batchMatMulKernel = this.wasm.cwrap('BatchMatMul', null, [n, array, n, n, array, n, n, n, n]);
    this.transposeKernel = this.wasm.cwrap('Transpose', null, [n, array, n, n, n, array, n]);
    this.sumKernel = this.wasm.cwrap('Sum', null, [n, n, n, n]);
    this.stepKernel = this.wasm.cwrap('Step', null, [n, n, n, n]);
    this.multiplyKernel = this.wasm.cwrap('Multiply', null, [n, array, n, n, array, n, n, n]);
  }

  /** A rows x cols matrix (contents undefined until written). */
  allocate(rows: number, cols: number): HeapMatrix {
    const size = rows * cols;
    const offset = this.wasm._malloc(size * 4) >>> 0;
    const id = this.backend.dataIdNextNumber++;
    this.wasm.tfjs.registerTensor(id, size, offset);
    const matrix = { id, offset, rows, cols, size, shape3: new Uint8Array(new Int32Array([1, rows, cols]).buffer) };
    this.allocated.add(matrix);
    return matrix;
  }

  /**
   * The matrix's values, a view on the heap: valid until the next allocation anywhere in the backend (the heap
   * may grow and move), so take it, use it, and do not keep it.
   */
  view(matrix: HeapMatrix): Float32Array {
    return new Float32Array(this.wasm.HEAPU8.buffer, matrix.offset, matrix.size);
  }

  /** Copies `values` in and marks the matrix changed. */
  write(matrix: HeapMatrix, values: Float32Array): void {
    if (values.length !== matrix.size) throw new Error(`write: ${values.length} values for a ${matrix.rows}x${matrix.cols} matrix`);
    this.view(matrix).set(values);
    this.changed(matrix);
  }

  /** Drops the backend's cached operator that holds this matrix's old values packed (see the module comment). */
  changed(matrix: HeapMatrix): void {
    this.wasm.tfjs.disposeData(matrix.id);
    this.wasm.tfjs.registerTensor(matrix.id, matrix.size, matrix.offset);
  }

  /** out = activation(a b + bias): tf.fused.matMul's kernel call for 2-D a and b. */
  fusedMatMul(a: HeapMatrix, b: HeapMatrix, bias: HeapMatrix, activation: 'linear' | 'relu', out: HeapMatrix): void {
    this.checkProduct(a, b, out);
    if (bias.size !== b.cols) throw new Error(`fusedMatMul: bias of ${bias.size} for ${b.cols} outputs`);
    this.fusedMatMulKernel(a.id, a.shape3, 3, b.id, b.shape3, 3, false, false, ACTIVATION[activation], bias.id, 0, 0, out.id);
  }

  /** out = a b: tf.matMul's kernel call for 2-D a and b. */
  matMul(a: HeapMatrix, b: HeapMatrix, out: HeapMatrix): void {
    this.checkProduct(a, b, out);
    this.batchMatMulKernel(a.id, a.shape3, 3, b.id, b.shape3, 3, false, false, out.id);
  }

  /** out = x^T: tf.transpose's kernel call for a 2-D x (a copy when one side is 1, as the backend does). */
  transpose(x: HeapMatrix, out: HeapMatrix): void {
    if (out.rows !== x.cols || out.cols !== x.rows) throw new Error(`transpose: ${x.rows}x${x.cols} into ${out.rows}x${out.cols}`);
    if (x.rows === 1 || x.cols === 1) {
      this.view(out).set(this.view(x));
      return;
    }
    this.transposeKernel(x.id, x.shape3.subarray(4), 2, FLOAT32, out.id, TRANSPOSE_2D, 2);
  }

  /** out = x > 0 ? 1 : 0, elementwise: tf.step's kernel call (alpha 0). */
  step(x: HeapMatrix, out: HeapMatrix): void {
    this.checkSameShape(x, out);
    this.stepKernel(x.id, 0, FLOAT32, out.id);
  }

  /** out = a * b, elementwise on matrices of one shape: tf.mul's kernel call. */
  multiply(a: HeapMatrix, b: HeapMatrix, out: HeapMatrix): void {
    this.checkSameShape(a, b);
    this.checkSameShape(a, out);
    const shape = a.shape3.subarray(4);
    this.multiplyKernel(a.id, shape, 2, b.id, shape, 2, FLOAT32, out.id);
  }

  /** out[j] = sum_i x[i, j], as tf.sum(x, 0) runs it: the backend transposes x into `scratch`, then sums rows. */
  sumColumns(x: HeapMatrix, scratch: HeapMatrix, out: HeapMatrix): void {
    if (out.size !== x.cols) throw new Error(`sumColumns: ${out.size} outputs for ${x.cols} columns`);
    // With a side of 1 the backend's transpose is a plain copy: x's layout is already x^T's.
    if (x.rows === 1 || x.cols === 1) {
        this.sumKernel(x.id, x.rows, FLOAT32, out.id);
      return;
    }
    this.transpose(x, scratch);
    this.sumKernel(scratch.id, x.rows, FLOAT32, out.id);
  }

  free(matrix: HeapMatrix): void {
    if (!this.allocated.delete(matrix)) return;
    this.wasm.tfjs.disposeData(matrix.id);
    this.wasm._free(matrix.offset);
  }

  /** Frees every matrix this instance allocated. */
  dispose(): void {
    for (const matrix of [...this.allocated]) this.free(matrix);
  }

  private checkSameShape(a: HeapMatrix, b: HeapMatrix): void {
    if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`elementwise: ${a.rows}x${a.cols} and ${b.rows}x${b.cols}`);
  }

  private checkProduct(a: HeapMatrix, b: HeapMatrix, out: HeapMatrix): void {
    if (a.cols !== b.rows || out.rows !== a.rows || out.cols !== b.cols) {
      throw new Error(`matMul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols} into ${out.rows}x${out.cols}`);
    }
  }
}
