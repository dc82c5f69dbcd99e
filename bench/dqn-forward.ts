/**
 * Usage: node --import tsx bench/dqn-forward.ts [models/default]
 * Per-decision latency of the served DQN model: the lean Float32Array forward pass alone, one whole decision
 * (ServedModel.infer: observation, normalisation, forward, mask, argmax, proposal), and TF.js predict on the same weights for
 * comparison. Warm-up first (not kept), then measured passes; prints JSON with p50/p99 in microseconds.
 */
import * as tf from '../src/models/tf.js';
import { denseLayersOf } from '../src/models/artifact/artifact.js';
import { readArtifact } from '../src/models/artifact/artifact-store.js';
import { initBackend } from '../src/models/training/backend.js';
import { LeanNetwork } from '../src/models/serving/lean-network.js';
import { servingModelOf } from '../src/models/serving/serving.js';
import { importModel } from '../src/models/artifact/tf-artifact.js';

const dir = process.argv[2] ?? 'models/default';
const WARMUP = 2_000;
const RUNS = 20_000;
const BATCH = 100; // timer resolution: time 100 calls at once, report per call

function measure(run: (i: number) => void, runs: number): { p50: number; p99: number; mean: number } {
  for (let i = 0; i < WARMUP; i++) run(i);
  const samples: number[] = [];
  for (let b = 0; b < runs / BATCH; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) run(b * BATCH + i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / BATCH);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(2));
  return { p50: at(0.5), p99: at(0.99), mean: Number((samples.reduce((s, x) => s + x, 0) / samples.length).toFixed(2)) };
}

const artifact = await readArtifact(dir);
const lean = new LeanNetwork(denseLayersOf(artifact));
const model = servingModelOf('bench', artifact);
const width = lean.inputSize;
const inputs = Array.from({ length: 64 }, (_, i) => Float32Array.from({ length: width }, (_, j) => Math.sin(i * width + j)));
const orders = Array.from({ length: 64 }, (_, i) => ({
  side: 'sell' as const,
  quantity: 100_000,
  horizon: 20,
  step: i % 20,
  remaining: 100_000 - (i % 20) * 4000,
  arrivalPrice: 99.99,
  executedNotional: (i % 20) * 4000 * 99.98,
}));
const market = { bid: 99.97, ask: 99.99, volume: 90_000, averageVolume: 50_000, volatility: 0.05 };

const leanForward = measure((i) => lean.forward(inputs[i % 64]), RUNS);
const decide = measure((i) => model.infer(orders[i % 64], market), RUNS);
await initBackend();
const tfModel = await importModel(artifact);
const tfPredict = measure(
  (i) => tf.tidy(() => (tfModel.predict(tf.tensor2d(inputs[i % 64], [1, width])) as tf.Tensor).dataSync()),
  2_000,
);
process.stdout.write(
  `${JSON.stringify({ model: dir, unit: 'us per decision', leanForward, decide, tfjsPredict: { backend: tf.getBackend(), ...tfPredict } }, null, 2)}\n`,
);
