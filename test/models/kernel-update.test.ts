import * as tf from '../../src/models/tf.js';
import t from 'tap';
import { initBackend } from '../../src/models/training/backend.js';
import { countKernelCalls, EngineDqnAgent, leanMirror } from '../../bench/dqn-agent-probes.js';
import { DqnAgent, type AgentConfig } from '../../src/models/training/dqn-agent.js';
import type { Batch } from '../../src/models/training/replay-buffer.js';
import { WasmKernels } from '../../src/models/training/wasm-kernels.js';

t.before(async () => {
  await initBackend('wasm');
});

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let x = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

t.test('each direct kernel call gives what the TF.js op gives, bit for bit', async (t) => {
  const kernels = WasmKernels.forCurrentBackend();
  if (!kernels) return t.fail('the WASM backend should expose its kernels');
  t.teardown(() => kernels.dispose());
  for (const [m, k, n] of [[64, 8, 64], [64, 64, 39], [1, 16, 5], [7, 1, 3], [5, 3, 1]]) {
    const a = values(m * k, m + k);
    const b = values(k * n, k + n);
    const bias = values(n, n);
    const A = kernels.allocate(m, k);
    const B = kernels.allocate(k, n);
    const Bias = kernels.allocate(1, n);
    kernels.write(A, a);
    kernels.write(B, b);
    kernels.write(Bias, bias);
    const out = kernels.allocate(m, n);
    const expected = tf.tidy(() => {
      const ta = tf.tensor2d(a, [m, k]);
      const tb = tf.tensor2d(b, [k, n]);
      return {
        fused: Array.from(tf.fused.matMul({ a: ta, b: tb, bias: tf.tensor1d(bias), activation: 'relu' }).dataSync()),
        linear: Array.from(tf.fused.matMul({ a: ta, b: tb, bias: tf.tensor1d(bias), activation: 'linear' }).dataSync()),
        product: Array.from(tf.matMul(ta, tb).dataSync()),
        transposed: Array.from(tf.transpose(ta).dataSync()),
        columnSums: Array.from(tf.sum(ta, 0).dataSync()),
        masked: Array.from(tf.mul(ta, tf.step(tf.neg(ta))).dataSync()),
      };
    });
    const shape = `${m}x${k} times ${k}x${n}`;
    kernels.fusedMatMul(A, B, Bias, 'relu', out);
    t.same(Array.from(kernels.view(out)), expected.fused, `fused relu ${shape}`);
    kernels.fusedMatMul(A, B, Bias, 'linear', out);
    t.same(Array.from(kernels.view(out)), expected.linear, `fused linear ${shape}`);
    kernels.matMul(A, B, out);
    t.same(Array.from(kernels.view(out)), expected.product, `matMul ${shape}`);
    const At = kernels.allocate(k, m);
    kernels.transpose(A, At);
    t.same(Array.from(kernels.view(At)), expected.transposed, `transpose ${m}x${k}`);
    const sums = kernels.allocate(1, k);
    kernels.sumColumns(A, At, sums);
    t.same(Array.from(kernels.view(sums)), expected.columnSums, `column sums ${m}x${k}`);
    const negated = kernels.allocate(m, k);
    kernels.write(negated, a.map((v) => -v));
    const mask = kernels.allocate(m, k);
    kernels.step(negated, mask);
    t.ok(kernels.view(mask).every((v) => v === 0 || v === 1), 'step gives 0 or 1');
    kernels.multiply(A, mask, negated);
    t.same(Array.from(kernels.view(negated)), expected.masked, `step and multiply ${m}x${k}`);
  }
  t.throws(() => kernels.matMul(kernels.allocate(2, 3), kernels.allocate(2, 3), kernels.allocate(2, 3)), /2x3 times 2x3/);
});

t.test('a right-hand operand whose values change must be marked changed: the backend caches it packed', async (t) => {
  const kernels = WasmKernels.forCurrentBackend()!;
  t.teardown(() => kernels.dispose());
  const a = kernels.allocate(4, 3);
  const b = kernels.allocate(3, 5);
  const out = kernels.allocate(4, 5);
  kernels.write(a, values(12, 1));
  kernels.write(b, values(15, 2));
  kernels.matMul(a, b, out);
  const first = Array.from(kernels.view(out));
  t.ok(first.some((v) => v !== 0), 'a nonzero product');
  kernels.view(b).fill(0);
  kernels.matMul(a, b, out);
  t.same(Array.from(kernels.view(out)), first, 'not marked: the cached operator still holds the old b (why write() marks it)');
  kernels.changed(b);
  kernels.matMul(a, b, out);
  t.same(Array.from(kernels.view(out)), new Array(20).fill(0), 'marked: the product sees the new b');
});

function randomBatch(size: number, inputSize: number, actions: number, seed: number): Batch {
  const u = values(size * 3, seed);
  return {
    size,
    states: values(size * inputSize, seed + 1).map((v) => v * 2),
    actions: Int32Array.from(u.subarray(0, size), (v) => Math.floor(((v + 1) / 2) * actions)),
    rewards: u.subarray(size, 2 * size).map((v) => v * 3),
    nextStates: values(size * inputSize, seed + 2).map((v) => v * 2),
    dones: Uint8Array.from(u.subarray(2 * size), (v) => (v > 0.6 ? 1 : 0)),
    nextMasks: Uint8Array.from(values(size * actions, seed + 3), (v) => (v > -0.5 ? 1 : 0)),
  };
}

const weightsOf = (model: tf.LayersModel) => leanMirror(model).layers.flatMap((l) => [Array.from(l.kernel), Array.from(l.bias)]);

const cases: { name: string; shape: AgentConfig['shape']; targetUpdate: AgentConfig['targetUpdate'] }[] = [
  { name: 'independent head, hard target updates', shape: { inputSize: 8, hidden: [64, 64], outputSize: 39 }, targetUpdate: { kind: 'hard', every: 7 } },
  { name: 'Chebyshev head, Polyak target', shape: { inputSize: 8, hidden: [32, 16], outputSize: 39, head: { kind: 'chebyshev', degree: 5 } }, targetUpdate: { kind: 'polyak', tau: 0.05 } },
];

for (const { name, shape, targetUpdate } of cases) {
  t.test(`training through the direct kernels gives the engine path's weights to the last bit (${name})`, async (t) => {
    const config: AgentConfig = { shape, seed: 11, learningRate: 3e-3, gamma: 0.99, huberDelta: 0.5, gradientClipNorm: 1, targetUpdate };
    const counter = countKernelCalls();
    const direct = new DqnAgent(config);
    const engine = new EngineDqnAgent(config);
    t.teardown(() => {
      direct.dispose();
      engine.dispose();
    });
    const start = weightsOf(direct.online);
    const lossesDirect: number[] = [];
    const lossesEngine: number[] = [];
    let grown: tf.Tensor | undefined;
    for (let i = 0; i < 40; i++) {
      // Halfway, a large tensor makes the backend's heap grow (and move): views taken before would be stale.
      if (i === 20) {
        const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
        const before = heapBytes();
        grown = tf.zeros([before / 4 + 4 * 1024 * 1024]); // more than the whole heap holds now
        t.ok(heapBytes() > before, `the heap grew (${before} -> ${heapBytes()} bytes)`);
      }
      if (i === 30) grown?.dispose();
      // Two batch sizes: the direct path keeps one set of matrices per size.
      const batch = randomBatch(i % 5 === 4 ? 16 : 64, shape.inputSize, shape.outputSize, 100 + i);
      const before = counter.calls;
      lossesDirect.push(direct.train(batch));
      if (i === 0) t.ok(counter.calls > before, `the default agent calls the kernels directly (${counter.calls - before} calls)`);
      const between = counter.calls;
      lossesEngine.push(engine.train(batch));
      if (i === 0) t.equal(counter.calls, between, 'the engine agent makes no direct call');
      // Acting between updates reads the same values either way.
      if (i % 10 === 0) t.same(Array.from(direct.qValues(batch.states.subarray(0, 8))), Array.from(engine.qValues(batch.states.subarray(0, 8))), `acting after update ${i + 1}`);
    }
    t.same(lossesDirect, lossesEngine, 'the same loss at every update');
    const trained = weightsOf(direct.online);
    t.notSame(trained[0], start[0], 'the weights moved');
    t.same(trained, weightsOf(engine.online), 'online weights identical');
    t.same(weightsOf(direct.target), weightsOf(engine.target), 'target weights identical');
  });
}

t.test('on the cpu backend (no such kernels) the agent trains through the engine', async (t) => {
  await tf.setBackend('cpu');
  t.teardown(async () => {
    await tf.setBackend('wasm');
  });
  t.equal(WasmKernels.forCurrentBackend(), undefined);
  const agent = new DqnAgent({ shape: { inputSize: 8, hidden: [8], outputSize: 39 }, seed: 2, learningRate: 1e-3, gamma: 1, huberDelta: 1, gradientClipNorm: 10, targetUpdate: { kind: 'hard', every: 3 } });
  t.teardown(() => agent.dispose());
  const before = weightsOf(agent.online)[0];
  for (let i = 0; i < 3; i++) agent.train(randomBatch(16, 8, 39, i));
  t.notSame(weightsOf(agent.online)[0], before, 'and it trains');
});
