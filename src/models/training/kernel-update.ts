/**
 * The products of a DQN update (the next-state forwards, the forward on the states and the Dense stack's backward
 * pass) run as direct calls into the WASM backend's kernels (wasm-kernels.ts) on matrices kept on its heap: the
 * online and target weights, and per batch size every activation, transpose and gradient of the update. Nothing
 * goes through the TF.js engine, and nothing is allocated on the heap per update.
 *
 * Why it is kept, though it reaches into tfjs-backend-wasm's internals (wasm-kernels.ts): the update of the default
 * network (8-64-64-39, batch 64) runs 1.4x to 1.8x faster than the same ops through the engine. Measured 2026-12-07
 * on the loaded 2-core machine, both paths in the same run: `npm run bench:train -- --seconds 1 --backends wasm
 * --episodes 10 --default-model off` gave p50 401 us against 560 us (1.40x; 1,317 against 784 updates/s, 1.68x),
 * and runs of 1,200 updates per path (bench/dqn-agent-probes.ts EngineDqnAgent), interleaved in 60 rounds, gave
 * median per-round ratios of 1.43x to 1.91x. 29 direct calls replace 62 engine ops per update.
 *
 * The calls are the engine path's (dqn-agent.ts `gradients`), op for op, so an agent trained either way holds the
 * same weights to the last bit (test/models/kernel-update.test.ts). The Polyak mix, which the engine ran as
 * float32 mul and add kernels, is JS over float32 values: one float32 product or sum, rounded once, is the same
 * number in either.
 */
import type { Activation } from '../serving/lean-network.js';
import { WasmKernels, type HeapMatrix } from './wasm-kernels.js';

/** One Dense layer of the Q-network: sizes, activation, whether Adam updates it, its initial weights. */
export interface StackLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly activation: Activation;
  readonly trainable: boolean;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

interface HeapLayer {
  readonly kernel: HeapMatrix;
  readonly bias: HeapMatrix;
}

/** Every matrix one update at batch size B uses. */
interface BatchMatrices {
  /** The network's input, then each layer's output: online on the states (kept for the backward pass). */
  readonly activations: HeapMatrix[];
  /** Online and target outputs on the next states (the input is shared). */
  readonly nextOnline: HeapMatrix[];
  readonly nextTarget: HeapMatrix[];
  /** dL/d(output) of each layer; for a relu layer step(output) and dL/dZ = dL/d(output) * step(output). */
  readonly dOutputs: HeapMatrix[];
  readonly masks: HeapMatrix[];
  readonly dz: HeapMatrix[];
  /** Each layer's input transposed, [in, B]; dZ transposed, [out, B]; the kernel transposed, [out, in]. */
  readonly inputsT: HeapMatrix[];
  readonly dzT: HeapMatrix[];
  readonly kernelsT: HeapMatrix[];
  readonly dKernels: HeapMatrix[];
  readonly dBiases: HeapMatrix[];
}

export class KernelUpdate {
  private readonly online: HeapLayer[];
  private readonly target: HeapLayer[];
  private readonly batches = new Map<number, BatchMatrices>();

  /** undefined when the active backend is not WASM (or lacks what wasm-kernels.ts needs). */
  static create(layers: readonly StackLayer[]): KernelUpdate | undefined {
    const kernels = WasmKernels.forCurrentBackend();
    return kernels && new KernelUpdate(kernels, layers);
  }

  private constructor(
    private readonly kernels: WasmKernels,
    private readonly layers: readonly StackLayer[],
  ) {
    const upload = (l: StackLayer): HeapLayer => {
      const layer = { kernel: kernels.allocate(l.inSize, l.outSize), bias: kernels.allocate(1, l.outSize) };
      kernels.write(layer.kernel, l.kernel);
      kernels.write(layer.bias, l.bias);
      return layer;
    };
    this.online = layers.map(upload);
    this.target = layers.map(upload);
  }

  /** The online (argmax) and target (value) networks' Q on the next states, row-major [B, actions]. */
  nextStateQ(nextStates: Float32Array, size: number): { online: Float32Array; target: Float32Array } {
    const m = this.batch(size);
    this.kernels.write(m.activations[0], nextStates);
    this.forward(this.online, m.activations[0], m.nextOnline);
    // Copied out: a heap view is only valid until the next allocation.
    const online = this.kernels.view(m.nextOnline.at(-1)!).slice();
    this.forward(this.target, m.activations[0], m.nextTarget);
    return { online, target: this.kernels.view(m.nextTarget.at(-1)!).slice() };
  }

  /**
   * The gradient of every trainable weight (kernel, bias per trainable layer, in order) given dL/dQ, which
   * `lossGradient` writes from the online Q-values on `states` (a view on the heap, valid during the call): the
   * backward pass of dqn-agent.ts `gradients`.
   */
  gradients(states: Float32Array, size: number, lossGradient: (q: Float32Array, dq: Float32Array) => void): Float32Array[] {
    const { kernels, layers } = this;
    const m = this.batch(size);
    kernels.write(m.activations[0], states);
    this.forward(this.online, m.activations[0], m.activations.slice(1));
    const last = layers.length - 1;
    const dq = new Float32Array(size * layers[last].outSize);
    lossGradient(kernels.view(m.activations[last + 1]), dq);
    kernels.write(m.dOutputs[last], dq);
    const grads: Float32Array[] = [];
    for (let l = last; l >= 0; l--) {
      let dz = m.dOutputs[l];
      if (layers[l].activation === 'relu') {
        // In the backend's vector kernels: a JS loop mispredicts a branch on every other element (~4x slower).
        kernels.step(m.activations[l + 1], m.masks[l]);
        kernels.multiply(dz, m.masks[l], m.dz[l]);
        dz = m.dz[l];
        kernels.changed(dz);
      }
      if (layers[l].trainable) {
        kernels.transpose(m.activations[l], m.inputsT[l]);
        kernels.matMul(m.inputsT[l], dz, m.dKernels[l]);
        kernels.sumColumns(dz, m.dzT[l], m.dBiases[l]);
        grads.unshift(kernels.view(m.dKernels[l]).slice(), kernels.view(m.dBiases[l]).slice());
      }
      if (l > 0) {
        kernels.transpose(this.online[l].kernel, m.kernelsT[l]);
        kernels.changed(m.kernelsT[l]);
        kernels.matMul(dz, m.kernelsT[l], m.dOutputs[l - 1]);
        kernels.changed(m.dOutputs[l - 1]);
      }
    }
    return grads;
  }

  /** New values of the trainable weights (kernel, bias per trainable layer, in order) for the online network. */
  setOnline(params: readonly Float32Array[]): void {
    let k = 0;
    this.layers.forEach((layer, l) => {
      if (!layer.trainable) return;
      this.kernels.write(this.online[l].kernel, params[k++]);
      this.kernels.write(this.online[l].bias, params[k++]);
    });
  }

  /** Hard target update: target <- online. */
  copyToTarget(): void {
    this.layers.forEach((_, l) => {
      for (const part of ['kernel', 'bias'] as const) this.kernels.write(this.target[l][part], this.kernels.view(this.online[l][part]).slice());
    });
  }

  /** Polyak: target <- (1 - tau) target + tau online, in float32 as TF.js's mul and add compute it. */
  polyak(tau: number): void {
    const keep = Math.fround(1 - tau);
    const take = Math.fround(tau);
    this.layers.forEach((_, l) => {
      for (const part of ['kernel', 'bias'] as const) {
        const t = this.kernels.view(this.target[l][part]);
        const o = this.kernels.view(this.online[l][part]);
        for (let i = 0; i < t.length; i++) t[i] = Math.fround(t[i] * keep) + Math.fround(o[i] * take);
        this.kernels.changed(this.target[l][part]);
      }
    });
  }

  /** The target network's weights (kernel, bias per layer), copied out. */
  targetWeights(): Float32Array[] {
    return this.target.flatMap(({ kernel, bias }) => [this.kernels.view(kernel).slice(), this.kernels.view(bias).slice()]);
  }

  dispose(): void {
    this.kernels.dispose();
    this.batches.clear();
  }

  private forward(network: readonly HeapLayer[], input: HeapMatrix, outputs: readonly HeapMatrix[]): void {
    let x = input;
    network.forEach(({ kernel, bias }, l) => {
      this.kernels.fusedMatMul(x, kernel, bias, this.layers[l].activation, outputs[l]);
      x = outputs[l];
    });
  }

  private batch(size: number): BatchMatrices {
    let m = this.batches.get(size);
    if (m) return m;
    const { kernels, layers } = this;
    const perLayer = (rows: (l: StackLayer) => number, cols: (l: StackLayer) => number) => layers.map((l) => kernels.allocate(rows(l), cols(l)));
    m = {
      activations: [kernels.allocate(size, layers[0].inSize), ...perLayer(() => size, (l) => l.outSize)],
      nextOnline: perLayer(() => size, (l) => l.outSize),
      nextTarget: perLayer(() => size, (l) => l.outSize),
      dOutputs: perLayer(() => size, (l) => l.outSize),
      masks: perLayer(() => size, (l) => l.outSize),
      dz: perLayer(() => size, (l) => l.outSize),
      inputsT: perLayer((l) => l.inSize, () => size),
      dzT: perLayer((l) => l.outSize, () => size),
      kernelsT: perLayer((l) => l.outSize, (l) => l.inSize),
      dKernels: perLayer((l) => l.inSize, (l) => l.outSize),
      dBiases: perLayer(() => 1, (l) => l.outSize),
    };
    this.batches.set(size, m);
    return m;
  }
}
