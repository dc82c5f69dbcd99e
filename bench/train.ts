/**
 * Training speed next to the compute ceiling, measured in one run (docs/BENCHMARKS.md 3).
 * Usage: npm run bench:train [-- --seconds 2 --backends cpu,wasm --episodes 30 --default-model on|off]
 *
 * 1. Simulator steps/s (ExecutionEnv over the regime-liquidity and intraday scenarios): env.step
 *    alone, and env.step plus what the trainer reads each step (observation, action mask).
 * 2. Per backend: DqnAgent.train on a batch of 64 (Double DQN targets, forward + backward, global-norm clip,
 *    Adam) in updates/s, its FLOPs and achieved GFLOP/s, next to the same backend's GFLOP/s on one 512x512
 *    matMul (the one-core compute ceiling) and on matMuls of the network's own shapes, plus the kernel count
 *    of one update (tf.profile, plus the direct kernel calls of src/models/training/kernel-update.ts) and the per-kernel
 *    overhead that explains the gap; next to the same update through the TF.js engine (the path the trainer takes
 *    on the cpu backend, and took on wasm before) and the generic TF.js update the trainer used first (autodiff,
 *    tf.train.adam), all measured in the same interleaved rounds.
 *    FLOPs of one update, batch B, layers (n_in -> n_out), M = sum n_in*n_out (8-64-64-39: M = 7,104):
 *      forward 2BM; backward 4BM (dW and dX of every layer); the Double DQN targets add two forwards on the
 *      next states (online and target), 4BM; Adam ~10 FLOPs per parameter P (7,271).
 *      gradient step = 6BM = 2.73 MFLOP at B = 64; whole DQN update = 10BM + 10P = 4.62 MFLOP.
 * 3. A short fixed training run (trainDqn on regime-liquidity, --episodes, no validation) on the wasm backend:
 *    wall time, and the simulator's share of it from 1 and 2.
 * 4. The default model trained by its own recipe (`npm run train:default`, docs/MODEL.md), wall time, and whether
 *    its weights.bin is the committed one (SHA-256).
 * Each case runs a warm-up that is not kept, then the measured pass; prints JSON with p50/p99 and a table.
 */
import * as tf from '../src/models/tf.js';
import '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionCount, actionMask, actionProposal, DEFAULT_ACTION_SPACE } from '../src/core/actions.js';
import { ExecutionEnv } from '../src/core/environment.js';
import { OBSERVATION_FEATURES } from '../src/core/observation.js';
import { Rng } from '../src/core/rng.js';
import { createScenario } from '../src/core/scenarios/index.js';
import { DqnAgent } from '../src/models/training/dqn-agent.js';
import { doubleDqnTargets } from '../src/models/training/double-dqn.js';
import { ReplayBuffer, type Batch } from '../src/models/training/replay-buffer.js';
import { DEFAULT_DQN_CONFIG, trainDqn } from '../src/models/training/trainer.js';
import { countKernelCalls, EngineDqnAgent } from './dqn-agent-probes.js';
import { flag, forSeconds, machine, numberFlag, ratio, summary, table } from './lib.js';

const seconds = numberFlag('seconds', 2);
const backends = flag('backends', 'cpu,wasm').split(',');
const episodes = numberFlag('episodes', 30);
const log = (s: string) => process.stderr.write(`${s}\n`);

const SPACE = DEFAULT_ACTION_SPACE;
const SHAPE = { inputSize: OBSERVATION_FEATURES.length, hidden: [...DEFAULT_DQN_CONFIG.hidden], outputSize: actionCount(SPACE) };
const B = DEFAULT_DQN_CONFIG.batchSize;
const layers = [SHAPE.inputSize, ...SHAPE.hidden, SHAPE.outputSize];
const M = layers.slice(1).reduce((s, out, i) => s + layers[i] * out, 0);
const P = layers.slice(1).reduce((s, out, i) => s + layers[i] * out + out, 0);
const FLOP = { gradientStep: 6 * B * M, dqnUpdate: 10 * B * M + 10 * P };
let sink = 0;

const rate = (samples: number[], per = 1) => Math.round((per * samples.length) / (samples.reduce((a, b) => a + b, 0) / 1e6));

// 1. Simulator steps/s.
let stepsTaken = 0;
function envRunner(scenario: 'regime-liquidity' | 'intraday', withTrainerReads: boolean): () => void {
  const env = new ExecutionEnv(createScenario(scenario, {}));
  const rng = new Rng(7);
  let seed = 0;
  let view = env.reset(seed++);
  /** One episode per call: random feasible twap-multiple actions, as exploration does. */
  return () => {
    for (;;) {
      stepsTaken++;
      let proposal: number;
      if (withTrainerReads) {
        sink += view.observation[0];
        const mask = actionMask(SPACE, view.order, view.market);
        let a = Math.floor(rng.uniform() * mask.length);
        if (!mask[a]) a = 0;
        proposal = actionProposal(SPACE, a, view.order);
      } else {
        proposal = (view.order.remaining / (view.order.horizon - view.order.step)) * (0.5 + rng.uniform());
      }
      const r = env.step(proposal);
      if (r.done) break;
      view = r.view;
    }
    view = env.reset(seed++);
  };
}
const simulator: Record<string, { stepsPerSecond: number; episodeP50us: number; episodeP99us: number; horizon: number }> = {};
for (const scenario of ['regime-liquidity', 'intraday'] as const) {
  const horizon = createScenario(scenario, {}).horizon;
  for (const reads of [false, true]) {
    const run = envRunner(scenario, reads);
    forSeconds(run, seconds / 4); // warm-up, not kept
    stepsTaken = 0;
    const samples = forSeconds(run, seconds);
    if (stepsTaken !== samples.length * horizon) throw new Error(`${scenario}: ${stepsTaken} steps in ${samples.length} episodes of ${horizon}`);
    const s = summary(samples);
    simulator[`${scenario}${reads ? ' + observation, mask' : ''}`] = { stepsPerSecond: rate(samples, horizon), episodeP50us: s.p50, episodeP99us: s.p99, horizon };
  }
}
log('simulator done');

// 2. Updates/s and GFLOP/s per backend, next to the matMul ceiling.
function filledBuffer(): ReplayBuffer {
  const buffer = new ReplayBuffer(10_000, SHAPE.inputSize, SHAPE.outputSize);
  const rng = new Rng(3);
  const vec = () => Array.from({ length: SHAPE.inputSize }, () => rng.uniform() * 2 - 1);
  for (let i = 0; i < 10_000; i++) {
    buffer.add({
      state: vec(), action: Math.floor(rng.uniform() * SHAPE.outputSize), reward: -rng.uniform(), nextState: vec(),
      done: rng.uniform() < 0.05, nextMask: Array.from({ length: SHAPE.outputSize }, (_, a) => a === 0 || rng.uniform() < 0.8),
    });
  }
  return buffer;
}
const buffer = filledBuffer();

/** One m x k x n matMul per call (its result read back), and its GFLOP/s from the p50 of `samples`. */
function matMulRunner(m: number, k: number, n: number) {
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  return {
    run: () => tf.tidy(() => void (sink += tf.matMul(a, b).dataSync()[0])),
    result: (samples: number[]) => {
      const st = summary(samples);
      return { gflops: Number(((2 * m * k * n) / (st.p50 * 1e3)).toFixed(3)), p50us: st.p50, p99us: st.p99 };
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function matMulGflops(m: number, k: number, n: number, s: number): { gflops: number; p50us: number; p99us: number } {
  const runner = matMulRunner(m, k, n);
  forSeconds(runner.run, s / 4); // warm-up, not kept
  const samples = forSeconds(runner.run, s);
  runner.dispose();
  return runner.result(samples);
}

/**
 * The generic TF.js update this project used before (kept here as the reference the hand-written one is measured
 * against): Layers variables through matMul/add/relu, oneHot + huberLoss, autodiff, global-norm clip with tensor
 * ops and tf.train.adam; the Double DQN targets from two forwards whose dataSync() ran inside tf.tidy.
 */
function genericUpdater(agent: DqnAgent): { update: (batch: Batch) => number; dispose: () => void } {
  const { shape, gamma, huberDelta, gradientClipNorm } = agent.config;
  const optimizer = tf.train.adam(agent.config.learningRate);
  const variablesOf = (model: tf.LayersModel) => model.layers.flatMap((layer) => layer.weights.map((w) => w.read()));
  const relu = agent.online.layers.map((layer) => layer.getConfig().activation === 'relu');
  const forward = (variables: tf.Tensor[], x: tf.Tensor2D) => {
    let h: tf.Tensor2D = x;
    for (let i = 0; i < variables.length; i += 2) {
      const z = tf.add(tf.matMul(h, variables[i] as tf.Tensor2D), variables[i + 1]) as tf.Tensor2D;
      h = relu[i / 2] ? tf.relu(z) : z;
    }
    return h;
  };
  const predict = (model: tf.LayersModel, states: Float32Array, size: number) =>
    tf.tidy(() => forward(variablesOf(model), tf.tensor2d(states, [size, shape.inputSize])).dataSync() as Float32Array);
  const trainable = agent.online.trainableWeights.map((w) => w.read() as tf.Variable);
  const update = (batch: Batch) => {
    const targets = doubleDqnTargets({
      rewards: batch.rewards, dones: batch.dones, nextMasks: batch.nextMasks, actionCount: shape.outputSize, gamma,
      nextOnlineQ: predict(agent.online, batch.nextStates, batch.size),
      nextTargetQ: predict(agent.target, batch.nextStates, batch.size),
    });
    const variables = variablesOf(agent.online);
    return tf.tidy(() => {
      const states = tf.tensor2d(batch.states, [batch.size, shape.inputSize]);
      const chosen = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), shape.outputSize);
      const y = tf.tensor1d(targets);
      const { value, grads } = optimizer.computeGradients(() => {
        const qTaken = tf.sum(tf.mul(forward(variables, states), chosen), 1);
        return tf.losses.huberLoss(y, qTaken, undefined, huberDelta) as tf.Scalar;
      }, trainable);
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))).dataSync()[0];
      const scale = norm > gradientClipNorm ? gradientClipNorm / norm : 1;
      optimizer.applyGradients(names.map((name) => ({ name, tensor: scale === 1 ? grads[name] : tf.mul(grads[name], scale) })));
      return value.dataSync()[0];
    });
  };
  return { update, dispose: () => optimizer.dispose() };
}

interface Variant {
  readonly batch: number;
  /**
   * shipped: DqnAgent.train as the trainer runs it (on wasm, direct kernel calls); engine: DqnAgent.train with the
   * same ops through the TF.js engine; generic: the generic TF.js update above.
   */
  readonly path: 'shipped' | 'engine' | 'generic';
}
/** kernels: ops run through the TF.js engine (tf.profile) plus direct kernel calls, in one update. */
type Measured = { updatesPerSecond: number; p50us: number; p99us: number; kernels: number; directCalls: number };

/**
 * Updates/s of each variant, measured in interleaved rounds (variant A, B, C, ... then again) so the machine's
 * drift hits every variant alike; each variant has its own agent and a warm-up that is not kept.
 */
/**
 * The 512x512 matMul ceiling is one more participant of the same rounds: a machine whose speed drifts (other
 * tenants, shared caches) then moves the ceiling and the updates alike, and the ratio compares like with like.
 */
async function measureUpdates(variants: readonly Variant[], s: number, rounds = 3): Promise<{ updates: Measured[]; ceiling: ReturnType<typeof matMulGflops> }> {
  const ceiling = matMulRunner(512, 512, 512);
  const ceilingSamples: number[] = [];
  forSeconds(ceiling.run, s / 4); // warm-up, not kept
  const kernelCalls = countKernelCalls();
  const runs = variants.map((v) => {
    const config = { shape: SHAPE, seed: 1, learningRate: 1e-3, gamma: 1, huberDelta: 1, gradientClipNorm: 10, targetUpdate: { kind: 'hard', every: 500 } } as const;
    const agent = v.path === 'shipped' ? new DqnAgent(config) : new EngineDqnAgent(config);
    const rng = new Rng(5);
    const generic = v.path === 'generic' ? genericUpdater(agent) : undefined;
    const train = generic ? generic.update : (batch: Batch) => agent.train(batch);
    const dispose = () => {
      generic?.dispose();
      agent.dispose();
    };
    return { v, agent, dispose, update: () => void (sink += train(buffer.sample(v.batch, rng))), samples: [] as number[] };
  });
  for (const r of runs) forSeconds(r.update, s / 4); // warm-up, not kept
  for (let round = 0; round < rounds; round++) {
    ceilingSamples.push(...forSeconds(ceiling.run, s / rounds));
    for (const r of runs) {
      r.samples.push(...forSeconds(r.update, s / rounds));
    }
  }
  ceiling.dispose();
  const out: Measured[] = [];
  for (const r of runs) {
    const callsBefore = kernelCalls.calls;
    const engineOps = (await tf.profile(() => void r.update())).kernels.length;
    const directCalls = kernelCalls.calls - callsBefore;
    r.dispose();
    const st = summary(r.samples);
    out.push({ updatesPerSecond: rate(r.samples), p50us: st.p50, p99us: st.p99, kernels: engineOps + directCalls, directCalls });
  }
  return { updates: out, ceiling: ceiling.result(ceilingSamples) };
}

const perBackend: Record<string, unknown> = {};
const updateRate: Record<string, number> = {};
for (const backend of backends) {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  await tf.ready();
  // As shipped (DqnAgent.train), the same ops through the TF.js engine, the generic TF.js update they replaced,
  // and a 4x batch (same ops, 4x the FLOPs); interleaved rounds with the matMul ceiling.
  const {
    updates: [measured, engine, generic, batch256],
    ceiling,
  } = await measureUpdates(
    [
      { batch: B, path: 'shipped' },
      { batch: B, path: 'engine' },
      { batch: B, path: 'generic' },
      { batch: 256, path: 'shipped' },
    ],
    seconds * 1.5,
  );
  const st = measured;
  const updatesPerSecond = measured.updatesPerSecond;
  updateRate[backend] = 1e6 / measured.p50us;
  const kernels = measured.kernels;
  // One tiny kernel's round trip: the fixed cost every op of an update pays whatever its size.
  const tiny = tf.ones([B, 1]);
  const tinyRun = () => tf.tidy(() => void tf.add(tiny, 1));
  forSeconds(tinyRun, seconds / 8);
  const tinyUs = summary(forSeconds(tinyRun, seconds / 2)).p50;
  tiny.dispose();
  const tried = (m: { p50us: number; updatesPerSecond: number }) => {
    const gflops = (FLOP.dqnUpdate * 1e6) / m.p50us / 1e9;
    return { updatesPerSecond: m.updatesPerSecond, p50us: m.p50us, shippedSpeedUp: ratio(m.p50us, st.p50us), achievedGflops: Number(gflops.toFixed(3)), ratioToCeiling: ratio(gflops, ceiling.gflops) };
  };
  const ownShapes = {
    [`${B}x${layers[0]}x${layers[1]}`]: matMulGflops(B, layers[0], layers[1], seconds / 2),
    [`${B}x${layers[1]}x${layers[2]}`]: matMulGflops(B, layers[1], layers[2], seconds / 2),
    [`${B}x${layers[2]}x${layers[3]}`]: matMulGflops(B, layers[2], layers[3], seconds / 2),
  };
  // GFLOP/s from the median update (the mean is skewed by a noisy machine's descheduling); both rates printed.
  const achieved = (FLOP.dqnUpdate * 1e6) / st.p50us / 1e9;
  perBackend[backend] = {
    update: { updatesPerSecond, updatesPerSecondAtP50: Math.round(1e6 / st.p50us), p50us: st.p50us, p99us: st.p99us },
    achievedGflops: Number(achieved.toFixed(3)),
    achievedGflopsGradientStepOnly: Number(((FLOP.gradientStep * 1e6) / st.p50us / 1e9).toFixed(3)),
    matMul512Ceiling: ceiling,
    ratioToCeiling: ratio(achieved, ceiling.gflops),
    goal: 0.3,
    met: achieved / ceiling.gflops >= 0.3,
    tried: {
      note: 'shippedSpeedUp = this p50 / shipped p50; GFLOP/s from the p50',
      sameOpsThroughEngine: { ...tried(engine), kernelsPerUpdate: engine.kernels },
      genericTfjsUpdate: { ...tried(generic), kernelsPerUpdate: generic.kernels },
      batch256: {
        updatesPerSecond: batch256.updatesPerSecond, p50us: batch256.p50us,
        achievedGflops: Number((((10 * 256 * M + 10 * P) * batch256.updatesPerSecond) / 1e9).toFixed(3)),
        ratioToCeiling: ratio(((10 * 256 * M + 10 * P) * batch256.updatesPerSecond) / 1e9, ceiling.gflops),
      },
    },
    why: {
      updatePath: measured.directCalls > 0 ? 'direct kernel calls (src/models/training/kernel-update.ts)' : 'TF.js engine',
      kernelsPerUpdate: kernels,
      microsecondsPerKernel: Number((st.p50us / kernels).toFixed(2)),
      tinyKernelUs: tinyUs,
      kernelOverheadShare: ratio((kernels * tinyUs) / st.p50us, 1, 2),
      matMulAtNetworkShapes: ownShapes,
    },
  };
  log(`${backend} done: ${updatesPerSecond} updates/s`);
}

// 3. A short fixed training run on wasm (the trainer's default backend), and the simulator's share.
let shortRun: Record<string, unknown> | undefined;
if (backends.includes('wasm')) {
  await tf.setBackend('wasm');
  const env = new ExecutionEnv(createScenario('regime-liquidity', {}));
  const validationEnv = new ExecutionEnv(createScenario('regime-liquidity', {}));
  const config = { ...DEFAULT_DQN_CONFIG, episodes, normalizationEpisodes: 20, warmupSteps: 200, evalEvery: 0, evalEpisodes: 0, patience: 0, epsilon: { start: 1, end: 0.05, decayEpisodes: episodes } };
  const t0 = performance.now();
  const outcome = await trainDqn(env, validationEnv, config);
  const wallMs = performance.now() - t0;
  const horizon = env.horizon;
  const steps = (episodes + config.normalizationEpisodes) * horizon;
  const updates = Math.max(0, episodes * horizon - config.warmupSteps);
  const envMs = (steps / simulator['regime-liquidity + observation, mask'].stepsPerSecond) * 1e3;
  const updateMs = (updates / updateRate.wasm) * 1e3;
  shortRun = {
    what: `trainDqn, regime-liquidity, ${episodes} episodes + 20 normalisation episodes, batch ${B}, one update per step after ${config.warmupSteps} warm-up steps, no validation, wasm`,
    wallMs: Math.round(wallMs),
    episodesRun: outcome.episodesRun,
    environmentSteps: steps,
    updates,
    expectedFromParts: { simulatorMs: Math.round(envMs), updatesMs: Math.round(updateMs), other: 'acting (lean forward), replay adds, normalisation' },
    simulatorShareOfWall: ratio(envMs, wallMs),
  };
  log('short training run done');
}

// 4. The default model trained by its own recipe (docs/MODEL.md, its card: `npm run train:default`, two seeds at
// once, one per core), timed, and its weights compared with the committed models/default: the wall time measured
// rather than extrapolated, and a check that the trainer still gives the shipped weights. --default-model off
// skips it (several minutes).
let defaultModel: Record<string, unknown> | undefined;
if (flag('default-model', 'on') === 'on') {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-default-model-')), 'default');
  const t0 = performance.now();
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train-default.ts', '--out', out], { encoding: 'utf8', env: { ...process.env, TF_BACKEND: 'wasm' }, maxBuffer: 64 * 1024 * 1024 });
  const endToEndMs = performance.now() - t0;
  if (run.status !== 0) throw new Error(`the default recipe failed: ${run.stderr}`);
  const trained = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) as { weightsSha256: string; training: { wallTimeMs: number; seed: number } };
  const committed = JSON.parse(readFileSync('models/default/metadata.json', 'utf8')) as { weightsSha256: string };
  rmSync(join(out, '..'), { recursive: true, force: true });
  defaultModel = {
    command: 'npm run train:default -- --out DIR',
    keptSeed: trained.training.seed,
    trainingWallMs: Math.round(trained.training.wallTimeMs),
    endToEndMs: Math.round(endToEndMs),
    endToEndIncludes: 'the build check, two trainings at once (normalisation fit, training with validations), choosing, writing the artifact',
    weightsSha256: trained.weightsSha256,
    sameWeightsAsCommitted: trained.weightsSha256 === committed.weightsSha256,
  };
  log('default model trained');
}

const envShare = (backend: string) => {
  const env = 1 / simulator['regime-liquidity + observation, mask'].stepsPerSecond;
  return ratio(env, env + 1 / updateRate[backend]);
};
const report = {
  bench: 'train',
  machine: machine(),
  settings: { seconds, backends, batch: B, network: layers, M, parameters: P, flopPerUpdate: FLOP },
  simulator,
  backends: perBackend,
  simulatorShareOfTraining: Object.fromEntries(backends.map((b) => [b, { share: envShare(b), goal: '< 0.2', met: envShare(b) < 0.2 }])),
  shortRun,
  defaultModel,
  sink: sink !== 0,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
process.stdout.write(`${table(Object.entries(simulator).map(([k, v]) => ({ simulator: k, 'steps/s': v.stepsPerSecond, 'episode p50 us': v.episodeP50us, 'episode p99 us': v.episodeP99us })))}\n\n`);
process.stdout.write(
  `${table(
    Object.entries(perBackend).map(([b, v]) => {
      const r = v as { update: { updatesPerSecond: number; p50us: number; p99us: number }; achievedGflops: number; matMul512Ceiling: { gflops: number }; ratioToCeiling: number; met: boolean; why: { updatePath: string; kernelsPerUpdate: number; microsecondsPerKernel: number }; tried: { sameOpsThroughEngine: { p50us: number; ratioToCeiling: number } } };
      return { backend: b, path: r.why.updatePath.startsWith('direct') ? 'direct' : 'engine', 'updates/s': r.update.updatesPerSecond, 'p50 us': r.update.p50us, 'p99 us': r.update.p99us, GFLOPs: r.achievedGflops, 'matMul512 GFLOPs': r.matMul512Ceiling.gflops, ratio: r.ratioToCeiling, 'goal 0.3': r.met ? 'met' : 'NOT met', kernels: r.why.kernelsPerUpdate, 'us/kernel': r.why.microsecondsPerKernel, 'engine p50 us': r.tried.sameOpsThroughEngine.p50us, 'engine ratio': r.tried.sameOpsThroughEngine.ratioToCeiling };
    }),
  )}\n`,
);
if (defaultModel) {
  process.stdout.write(`\ndefault model (${String(defaultModel.command)}): training ${String(defaultModel.trainingWallMs)} ms, end to end ${String(defaultModel.endToEndMs)} ms, weights ${defaultModel.sameWeightsAsCommitted ? 'identical to' : 'DIFFERENT from'} models/default\n`);
}
