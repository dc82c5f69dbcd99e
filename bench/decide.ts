/**
 * In-process decision latency and Q-network batch throughput, no HTTP (docs/BENCHMARKS.md 2).
 * Usage: npm run bench:decide [-- --iterations 50000 --seconds 1 --backends cpu,wasm --model models/default]
 *
 * 1. One decision per policy (what POST /v1/decisions does after validation): baselines through decide(), dqn
 *    through the serving model (observation, normalisation, lean forward pass, mask, argmax) and the constraint
 *    layer. The dqn model is models/default when it exists, else a network of the default shape (11-64-64-39)
 *    with seeded random weights: latency depends on the shape, not on the weight values.
 * 2. Q-network forward pass, decisions/s for batch 1, 32, 256, on each TF.js backend (cpu, wasm; tfjs-node is not
 *    installable here), through Layers predict() and through plain matMul/add/relu ops (what the trainer uses),
 *    input upload and dataSync() download included, next to the floor: the same weights in LeanNetwork's plain JS
 *    loops over Float32Arrays, and in its SIMD kernel (what serving runs), measured in the same run.
 * Each case runs a warm-up that is not kept, then the measured pass; prints JSON with p50/p99 per call and a table.
 */
import * as tf from '../src/models/tf.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyConstraints } from '../src/core/constraints.js';
import { decide } from '../src/core/decide.js';
import { actionCount, DEFAULT_ACTION_SPACE } from '../src/core/actions.js';
import { OBSERVATION_FEATURES_V2 } from '../src/core/observation.js';
import { createBaseline, type BaselineSpec } from '../src/core/policies/index.js';
import type { MarketState, Order } from '../src/core/types.js';
import { LeanNetwork } from '../src/models/serving/lean-network.js';
import { sha256Hex } from '../src/models/artifact/artifact.js';
import { METADATA_FORMAT, type ModelMetadata } from '../src/models/artifact/metadata.js';
import { buildQNetwork } from '../src/models/training/q-network.js';
import { loadServingModel, servingModelOf, type DqnModel } from '../src/models/serving/serving.js';
import { exportModel } from '../src/models/artifact/tf-artifact.js';
import { leanMirror } from './dqn-agent-probes.js';
import { flag, forSeconds, machine, numberFlag, ratio, summary, table } from './lib.js';

const iterations = numberFlag('iterations', 50000);
const seconds = numberFlag('seconds', 1);
const backends = flag('backends', 'cpu,wasm').split(',');
const modelDir = flag('model', join('models', 'default'));

const order: Order = {
  side: 'sell', quantity: 100000, horizon: 20, step: 3, remaining: 85000, arrivalPrice: 99.99,
  executedNotional: 1499850, lotSize: 100, maxParticipation: 0.2,
};
const market: MarketState = { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, averageVolume: 50000, volatility: 0.05 };
// The default model's shape: obs-v2's inputs, two hidden layers of 64, one output per action level.
const SHAPE = { inputSize: OBSERVATION_FEATURES_V2.length, hidden: [64, 64], outputSize: actionCount(DEFAULT_ACTION_SPACE) };
let sink = 0;

/** Per-call microseconds, timing `batch` calls per sample so the clock's resolution does not dominate. */
function perCall(fn: () => void, calls: number, batch = 50): number[] {
  const samples: number[] = [];
  for (let i = 0; i < calls / batch; i++) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / batch);
  }
  return samples;
}


/** A model of the default shape with seeded weights, when no trained default model exists. */
async function syntheticModel(): Promise<DqnModel> {
  const network = buildQNetwork(SHAPE, 1);
  const { modelJson, weightData } = await exportModel(network);
  network.dispose();
  const metadata = {
    format: METADATA_FORMAT,
    version: 'bench',
    codeVersion: 'bench',
    createdAt: new Date(0).toISOString(),
    observation: { spec: 'obs-v2', features: [...OBSERVATION_FEATURES_V2], mean: Array(SHAPE.inputSize).fill(0), std: Array(SHAPE.inputSize).fill(1) },
    actionSpace: DEFAULT_ACTION_SPACE,
    network: SHAPE,
    reward: { type: 'shortfall', scale: 1 },
    training: { scenario: 'none', seed: 1, config: {}, episodes: 0, wallTimeMs: 0, backend: 'cpu', stoppedEarly: false },
    weightsSha256: sha256Hex(weightData),
  } satisfies ModelMetadata;
  return servingModelOf('synthetic', { modelJson, weightData, metadata });
}

await tf.setBackend('cpu');
const trained = existsSync(join(modelDir, 'metadata.json'));
const model = trained ? await loadServingModel(modelDir, 'default') : await syntheticModel();

// 1. One decision per policy.
const specs: Array<[string, BaselineSpec]> = [
  ['twap', { type: 'twap' }],
  ['vwap', { type: 'vwap' }],
  ['pov', { type: 'pov', rate: 0.1 }],
  ['almgren-chriss', { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 }],
];
const decisionCases: Array<[string, () => void]> = [
  ...specs.map(([name, spec]): [string, () => void] => [name, () => (sink += decide(createBaseline(spec), order, market).slice.quantity)]),
  ['dqn', () => (sink += applyConstraints(order, market, model.infer(order, market).proposal).quantity)],
];
for (const [, fn] of decisionCases) perCall(fn, iterations); // warm-up, not kept
const decisions: Record<string, { p50us: number; p99us: number }> = {};
for (const [name, fn] of decisionCases) {
  const s = summary(perCall(fn, iterations));
  decisions[name] = { p50us: s.p50, p99us: s.p99 };
}

// 2. Batch throughput: the floor first (plain loops), then each backend with the same weights.
const BATCHES = [1, 32, 256];
const inputs = new Map(BATCHES.map((b) => [b, Float32Array.from({ length: b * SHAPE.inputSize }, (_, i) => Math.sin(i))]));
const reference = buildQNetwork(SHAPE, 1); // on cpu; every backend rebuilds it from the same seed
const lean = leanMirror(reference);
reference.dispose();

type Row = { p50us: number; p99us: number; decisionsPerSecond: number };
const measureBatch = (run: (batch: number) => void, batch: number): Row => {
  forSeconds(() => run(batch), seconds / 4); // warm-up, not kept
  const samples = forSeconds(() => run(batch), seconds);
  const s = summary(samples);
  const total = samples.reduce((a, b) => a + b, 0);
  return { p50us: s.p50, p99us: s.p99, decisionsPerSecond: Math.round((batch * samples.length) / (total / 1e6)) };
};

// The floor as the issue defines it: the forward pass as plain JS loops over Float32Arrays (LeanNetwork's 'js'
// kernel, the fallback); then what serving runs, the same arithmetic in the SIMD kernel of src/models/serving/wasm-dense.ts.
const loops = new LeanNetwork(lean.layers, 'js');
const simdNetwork = new LeanNetwork(lean.layers);
const leanRun = (network: LeanNetwork) => (batch: number) => {
  const x = inputs.get(batch)!;
  for (let r = 0; r < batch; r++) sink += network.forward(x.subarray(r * SHAPE.inputSize, (r + 1) * SHAPE.inputSize))[0];
};
const floor: Record<string, Row> = {};
for (const b of BATCHES) floor[`batch ${b}`] = measureBatch(leanRun(loops), b);

const probe = inputs.get(1)!;
const served = simdNetwork.kernel === 'wasm' ? simdNetwork : undefined;
const sameResult = served ? served.forward(probe).every((q, a) => q === loops.forward(probe)[a]) : undefined;
const simd: Record<string, Row & { xFloor: number }> = {};
if (served) {
  for (const b of BATCHES) {
    const row = measureBatch(leanRun(served), b);
    simd[`batch ${b}`] = { ...row, xFloor: ratio(row.decisionsPerSecond, floor[`batch ${b}`].decisionsPerSecond) };
  }
}

const throughput: Record<string, Record<string, Row & { xFloor: number }>> = {};
for (const backend of backends) {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  await tf.ready();
  const net = buildQNetwork(SHAPE, 1);
  const vars = net.weights.map((w) => w.read());
  const predict = (batch: number) => {
    const out = tf.tidy(() => (net.predict(tf.tensor2d(inputs.get(batch)!, [batch, SHAPE.inputSize])) as tf.Tensor).dataSync());
    sink += out[0];
  };
  const ops = (batch: number) => {
    const out = tf.tidy(() => {
      let h = tf.tensor2d(inputs.get(batch)!, [batch, SHAPE.inputSize]) as tf.Tensor2D;
      for (let i = 0; i < vars.length; i += 2) {
        const z = tf.add(tf.matMul(h, vars[i] as tf.Tensor2D), vars[i + 1]) as tf.Tensor2D;
        h = i + 2 < vars.length ? tf.relu(z) : z;
      }
      return h.dataSync();
    });
    sink += out[0];
  };
  for (const [path, run] of [['predict', predict], ['ops', ops]] as const) {
    const rows: Record<string, Row & { xFloor: number }> = {};
    for (const b of BATCHES) {
      const row = measureBatch(run, b);
      rows[`batch ${b}`] = { ...row, xFloor: ratio(row.decisionsPerSecond, floor[`batch ${b}`].decisionsPerSecond) };
    }
    throughput[`${backend} ${path}`] = rows;
  }
  net.dispose();
}

const report = {
  bench: 'decide',
  machine: machine(),
  settings: { iterations, seconds, backends, network: SHAPE, dqnModel: trained ? modelDir : 'synthetic (seeded weights, default shape; models/default absent)' },
  decisions,
  floor: { what: "LeanNetwork forward, plain JS loops over Float32Arrays (kernel 'js'), row by row", ...floor },
  throughput,
  served: served ? { what: 'LeanNetwork forward, SIMD kernel (what serving runs)', bitIdenticalToFloor: sameResult, ...simd } : 'WebAssembly SIMD unavailable: serving runs the floor',
  sink: sink !== 0,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
process.stdout.write(`${table(Object.entries(decisions).map(([policy, d]) => ({ policy, 'p50 us': d.p50us, 'p99 us': d.p99us })))}\n\n`);
process.stdout.write(
  `${table([
    ...BATCHES.map((b) => ({ path: 'floor (lean loops)', batch: b, 'decisions/s': floor[`batch ${b}`].decisionsPerSecond, 'p50 us/call': floor[`batch ${b}`].p50us, 'p99 us/call': floor[`batch ${b}`].p99us, 'x floor': 1 })),
    ...(served ? BATCHES.map((b) => ({ path: 'served: lean, wasm SIMD kernel', batch: b, 'decisions/s': simd[`batch ${b}`].decisionsPerSecond, 'p50 us/call': simd[`batch ${b}`].p50us, 'p99 us/call': simd[`batch ${b}`].p99us, 'x floor': simd[`batch ${b}`].xFloor })) : []),
    ...Object.entries(throughput).flatMap(([path, rows]) =>
      BATCHES.map((b) => ({ path, batch: b, 'decisions/s': rows[`batch ${b}`].decisionsPerSecond, 'p50 us/call': rows[`batch ${b}`].p50us, 'p99 us/call': rows[`batch ${b}`].p99us, 'x floor': rows[`batch ${b}`].xFloor })),
    ),
  ])}\n`,
);
