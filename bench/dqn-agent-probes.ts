/**
 * What benchmarks and tests need of the training agent beyond what training does: the same update through the
 * TF.js engine on the WASM backend (the reference the direct kernel calls are measured and checked against), a
 * count of those direct calls, and a TF.js model's weights as a LeanNetwork. None of it runs in production.
 */
import * as tf from '../src/models/tf.js';
import { LeanNetwork, type DenseLayer } from '../src/models/serving/lean-network.js';
import { DqnAgent } from '../src/models/training/dqn-agent.js';
import type { KernelUpdate } from '../src/models/training/kernel-update.js';

/** A DqnAgent whose update's products go through the TF.js engine on every backend (the cpu backend's path). */
export class EngineDqnAgent extends DqnAgent {
  protected override directUpdate(): KernelUpdate | undefined {
    return undefined;
  }
}

/**
 * Counts the direct kernel calls (src/models/training/wasm-kernels.ts) of every agent created after this call on the
 * active WASM backend: it wraps the backend module's `cwrap`, through which WasmKernels binds its kernels (the
 * engine's own kernels were bound when the backend started, so they are not counted). Stays installed.
 */
export function countKernelCalls(): { readonly calls: number } {
  const counter = { calls: 0 };
  const wasm = (tf.backend() as unknown as { wasm?: { cwrap(...args: unknown[]): (...args: unknown[]) => unknown } }).wasm;
  if (!wasm) return counter;
  const cwrap = wasm.cwrap.bind(wasm);
  wasm.cwrap = (...args) => {
    const kernel = cwrap(...args);
    return (...kernelArgs) => {
      counter.calls++;
      return kernel(...kernelArgs);
    };
  };
  return counter;
}

/** A TF.js Dense stack's current weights in the serving network (JS loops), e.g. to compare or time them. */
export function leanMirror(model: tf.LayersModel): LeanNetwork {
  const layers: DenseLayer[] = model.layers.map((layer) => {
    const [kernel, bias] = layer.weights.map((w) => w.read()) as [tf.Tensor2D, tf.Tensor1D];
    const activation = layer.getConfig().activation;
    if (activation !== 'relu' && activation !== 'linear') throw new Error(`unsupported activation ${String(activation)}`);
    return { inSize: kernel.shape[0], outSize: kernel.shape[1], kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, activation };
  });
  return new LeanNetwork(layers, 'js');
}
