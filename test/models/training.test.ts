import t from 'tap';
import { applyConstraints, isTerminalStep } from '../../src/core/constraints.js';
import { ExecutionEnv } from '../../src/core/environment.js';
import { EVAL_SEED } from '../../src/core/evaluation.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { initBackend } from '../../src/models/training/backend.js';
import { sha256Hex } from '../../src/models/artifact/artifact.js';
import { epsilonAt } from '../../src/models/training/epsilon.js';
import {
  DEFAULT_DQN_CONFIG,
  trainDqn,
  trainingEpisodeSeed,
  validationEpisodeSeed,
  type DqnConfig,
  type TrainingProgress,
} from '../../src/models/training/trainer.js';

const small: DqnConfig = {
  ...DEFAULT_DQN_CONFIG,
  episodes: 8,
  hidden: [16],
  batchSize: 16,
  bufferSize: 500,
  warmupSteps: 40,
  targetUpdate: { kind: 'hard', every: 10 },
  epsilon: { start: 1, end: 0.1, decayEpisodes: 6 },
  normalizationEpisodes: 3,
  evalEvery: 4,
  evalEpisodes: 2,
  patience: 0,
};

const env = () => new ExecutionEnv(new RegimeLiquidityMarket());

async function run(config: DqnConfig) {
  const progress: TrainingProgress[] = [];
  const outcome = await trainDqn(env(), env(), config, (p) => progress.push(p));
  return { outcome, progress, weights: sha256Hex(outcome.model.weightData) };
}

t.before(async () => {
  await initBackend();
});

t.test('a short seeded training run is bit-for-bit deterministic', async (t) => {
  const a = await run(small);
  const b = await run(small);
  t.equal(b.weights, a.weights, 'identical weights');
  t.same(b.outcome.normalization, a.outcome.normalization, 'identical normalisation');
  t.same(
    b.progress.map((p) => [p.loss, p.movingShortfallBps, p.validation?.shortfallBps]),
    a.progress.map((p) => [p.loss, p.movingShortfallBps, p.validation?.shortfallBps]),
    'identical losses and costs',
  );
  t.ok(a.progress.some((p) => Number.isFinite(p.loss)), 'updates happened (the comparison is not vacuous)');
  const c = await run({ ...small, seed: small.seed + 1 });
  t.not(c.weights, a.weights, 'another seed trains another network');
});

t.test('a learning-rate schedule changes training only when it changes the rate', async (t) => {
  const constant = await run(small);
  const sameRate = await run({ ...small, learningRateEnd: small.learningRate });
  t.equal(sameRate.weights, constant.weights, 'learningRateEnd = learningRate trains exactly as no schedule');
  const decayed = await run({ ...small, learningRateEnd: small.learningRate / 10 });
  t.not(decayed.weights, constant.weights, 'a decaying rate trains another network');
});

t.test('masking when acting in training: exploration and greedy steps only take feasible actions', async (t) => {
  // A 5% participation cap: in the thin regime only 500 shares a step are allowed, far below 2x TWAP.
  const inner = new ExecutionEnv(new RegimeLiquidityMarket(), { maxParticipation: 0.05 });
  let current = inner.reset(0);
  let steps = 0;
  const violations: string[] = [];
  const recording = {
    reset(seed: number) {
      current = inner.reset(seed);
      return current;
    },
    step(proposal: number) {
      const slice = applyConstraints(current.order, current.market, proposal);
      if (!isTerminalStep(current.order) && slice.capped) violations.push(`step ${current.order.step}: ${proposal}`);
      steps++;
      const r = inner.step(proposal);
      current = r.view;
      return r;
    },
    shortfallBps: () => inner.shortfallBps(),
  };
  // Validation runs in its own environment: it also plays TWAP as a reference, which the cap does cut.
  await trainDqn(recording, env(), { ...small, episodes: 6 }, () => {});
  t.ok(steps > 100, `${steps} steps checked`);
  t.same(violations, [], 'no proposal needed capping');
});

t.test('polyak updates and the fraction action space train too', async (t) => {
  const r = await run({ ...small, episodes: 4, targetUpdate: { kind: 'polyak', tau: 0.01 }, actionSpace: { kind: 'fraction', levels: 10 } });
  const weights = r.outcome.model.modelJson.weightsManifest[0].weights;
  t.same(weights.at(-1)?.shape, [11], '11 outputs for {0, 1/10, ..., 1}');
  t.equal(r.outcome.episodesRun, 4);
});

t.test('early stopping ends the run after `patience` validations without improvement', async (t) => {
  const r = await run({ ...small, episodes: 40, evalEvery: 1, evalEpisodes: 1, patience: 2 });
  const validations = r.progress.filter((p) => p.validation);
  t.ok(r.outcome.stoppedEarly, 'stopped early');
  t.ok(r.outcome.episodesRun < 40);
  const tail = validations.slice(-2);
  t.ok(tail.every((p) => !p.validation!.best), 'the last two validations did not improve');
  t.equal(r.outcome.bestValidationShortfallBps, Math.min(...validations.map((p) => p.validation!.shortfallBps)), 'checkpoint = best validation');
});

t.test('training and validation seeds never reach the evaluation seeds', async (t) => {
  for (let e = 0; e < 5000; e++) {
    for (const seed of [1, 42]) {
      const s = trainingEpisodeSeed(seed, e);
      const v = validationEpisodeSeed(seed, e);
      if (!(s >= 0 && s < EVAL_SEED / 2 && v >= EVAL_SEED / 2 && v < EVAL_SEED)) {
        t.fail(`episode ${e}: training ${s}, validation ${v}`);
        return;
      }
    }
  }
  t.pass('5000 episodes x 2 seeds checked');
});

t.test('epsilon decays linearly then stays flat', async (t) => {
  const s = { start: 1, end: 0.1, decayEpisodes: 10 };
  t.equal(epsilonAt(s, 0), 1);
  t.ok(Math.abs(epsilonAt(s, 5) - 0.55) < 1e-12);
  t.equal(epsilonAt(s, 10), 0.1);
  t.equal(epsilonAt(s, 1000), 0.1);
});
