/**
 * Trains a DQN execution policy and writes its artifact (model.json, weights.bin, metadata.json).
 *
 *   npm run train -- --scenario regime-liquidity --episodes 3000 --seed 1 --out models/default
 *   npm run train -- --scenario lob-replay --data day1.zip --reward vwap --out models/lob
 *
 * Training runs in a worker thread; this process draws a progress bar on a TTY and plain log lines otherwise.
 * TF_BACKEND=wasm|cpu picks the TF.js backend (wasm by default).
 */
import { parseArgs } from 'node:util';
import { REWARD_TYPES, type RewardType } from '../core/environment.js';
import type { ActionSpace } from '../core/actions.js';
import { isObservationSpec, OBSERVATION_SPECS } from '../core/observation.js';
import { requestedBackend } from '../models/training/backend.js';
import { HELD_OUT_BASELINES } from '../models/training/held-out.js';
import type { TrainingJobSpec, TrainingMessage } from '../models/training/training-job.js';
import { startTrainingWorker } from '../models/training/training-runner.js';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from '../models/training/trainer.js';
import { defaultEpsilonSchedule } from '../models/training/epsilon.js';
import { trainingConfigIssues } from '../models/training/training-config.js';
import { outDirProblem } from './out-dir.js';
import type { QHead } from '../models/training/q-network.js';
import type { RewardShaping } from '../models/training/reward-shaping.js';
import { TRAINING_SCENARIOS } from '../models/training/scenario-env.js';
import type { ScenarioName } from '../core/scenarios/index.js';
import { parseScenarioParams } from './params.js';

const USAGE = `usage: npm run train -- --scenario <${TRAINING_SCENARIOS.join('|')}> [options]
  --data FILE...            LOBSTER files (lob-replay; trains on the training windows only), or market data
                            files, folders, globs (replay)
  --train-until DATE  --test-from DATE
                            replay: sessions up to DATE train, from DATE test, those between validate
  --param key=value         scenario parameter override (repeatable), e.g. --param rho=0.95
  --episodes N              training episodes (default ${DEFAULT_DQN_CONFIG.episodes})
  --seed S                  seed of everything random (default ${DEFAULT_DQN_CONFIG.seed})
  --out DIR                 artifact directory (default models/<scenario>); its name is the model's name
  --force                   overwrite DIR when it already holds files (refused otherwise)
  --reward shortfall|vwap|risk-adjusted   (default shortfall)
  --risk-aversion L         lambda of the risk-adjusted reward (default 1e-6)
  --actions twap-multiple|fraction        action space (default twap-multiple, 39 levels to 2x TWAP)
  --levels K                action levels (default 39 for twap-multiple, 20 for fraction)
  --max-multiple M          twap-multiple: the largest level as a multiple of the TWAP slice (default 2)
  --clip-at-bound           twap-multiple: the first level past the cap or the remaining inventory stays open and
                            trades at the bound (default: masked)
  --hidden 64,64            hidden layer sizes
  --head independent|chebyshev[:d]  Q head: one output per action, or a smooth degree-d polynomial over levels
  --lr X  --gamma G  --batch B  --buffer N  --target-every N | --polyak TAU
  --lr-end X                the learning rate falls linearly from --lr to X over the episodes (default: constant)
  --eps-decay N             episodes of epsilon decay (default episodes/2, as for admin training jobs)
  --n-steps N               n-step returns (default ${DEFAULT_DQN_CONFIG.nSteps})
  --shaping mark-to-market|mark-to-model|none  potential-based shaping of the reward (policy-invariant; default
                            mark-to-market; mark-to-model also drops the mid's zero-mean shock: simulators that report it, or
                            whose mid has no drift)
  --huber-delta D           Huber loss threshold in reward units, bps (default ${DEFAULT_DQN_CONFIG.huberDelta})
  --reward-normalization episode-cost
                            divide each episode's rewards by its cost scale (half spread + impact at the TWAP
                            rate); validation then ranks by the mean paired difference to TWAP in those units
  --anchor-margin M  --anchor-weight W
                            large-margin pull towards the 1x-TWAP action: margin M (reward units) per 1x TWAP
                            away, weight W (default: off)
  --anchor-source twap|demonstration
                            what the anchor pulls towards: the TWAP slice (default) or the simulator's privileged
                            planner (generalist: the true regime and its persistence, whether the book predicts), as in DQfD
  --clip-norm C             gradient clipping by global norm (default ${DEFAULT_DQN_CONFIG.gradientClipNorm})
  --train-every N           one update every N environment steps (default ${DEFAULT_DQN_CONFIG.trainEvery})
  --eval-every N  --eval-episodes N  --patience N   validation on held-out seeds, early stopping
  --test-episodes N         held-out evaluation vs baselines after training (default 1000; 0 skips)
  --model-version V         version label stored in the metadata (default 1.0.0)
  --observation obs-v1|obs-v2  observation spec (default obs-v2 for generalist, obs-v1 for the other scenarios)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function num(name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) fail(`--${name} must be ${integer ? 'an integer' : 'a number'}, got "${raw}"`);
  return value;
}

function parseAnchorSource(raw: string | undefined): 'twap' | 'demonstration' {
  if (raw === undefined || raw === 'twap' || raw === 'demonstration') return raw ?? 'twap';
  fail(`--anchor-source must be twap or demonstration, got "${raw}"`);
}

function parseHead(raw: string | undefined): QHead {
  if (raw === undefined) return DEFAULT_DQN_CONFIG.head;
  if (raw === 'independent') return { kind: 'independent' };
  const match = /^chebyshev(?::(\d+))?$/.exec(raw);
  if (!match) fail(`--head must be independent or chebyshev[:degree], got "${raw}"`);
  return { kind: 'chebyshev', degree: match[1] ? Number(match[1]) : 4 };
}

function parseShaping(raw: string | undefined): RewardShaping {
  if (raw === undefined) return DEFAULT_DQN_CONFIG.rewardShaping;
  if (raw !== 'none' && raw !== 'mark-to-market' && raw !== 'mark-to-model') fail(`--shaping must be none, mark-to-market or mark-to-model, got "${raw}"`);
  return raw;
}

function parseNormalization(raw: string): 'episode-cost' {
  if (raw !== 'episode-cost') fail(`--reward-normalization must be episode-cost, got "${raw}"`);
  return raw;
}

function scenarioParams(scenario: ScenarioName, pairs: readonly string[]): Record<string, unknown> | undefined {
  if (pairs.length === 0) return undefined;
  try {
    return parseScenarioParams(scenario, pairs);
  } catch (err) {
    return fail((err as Error).message);
  }
}

function dataFiles(flagged: readonly string[], positionals: readonly string[]): string[] | undefined {
  if (positionals.length > 0 && flagged.length === 0) fail(`unexpected argument "${positionals[0]}"`);
  const files = [...flagged, ...positionals];
  return files.length > 0 ? files : undefined;
}

function parseCli(argv: string[]): TrainingJobSpec {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      data: { type: 'string', multiple: true },
      'train-until': { type: 'string' },
      'test-from': { type: 'string' },
      param: { type: 'string', multiple: true },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      reward: { type: 'string' },
      'risk-aversion': { type: 'string' },
      actions: { type: 'string' },
      levels: { type: 'string' },
      'max-multiple': { type: 'string' },
      'clip-at-bound': { type: 'boolean' },
      hidden: { type: 'string' },
      head: { type: 'string' },
      lr: { type: 'string' },
      'lr-end': { type: 'string' },
      gamma: { type: 'string' },
      batch: { type: 'string' },
      buffer: { type: 'string' },
      'target-every': { type: 'string' },
      polyak: { type: 'string' },
      'eps-decay': { type: 'string' },
      'huber-delta': { type: 'string' },
      'reward-normalization': { type: 'string' },
      'anchor-margin': { type: 'string' },
      'anchor-weight': { type: 'string' },
      'anchor-source': { type: 'string' },
      shaping: { type: 'string' },
      'n-steps': { type: 'string' },
      'clip-norm': { type: 'string' },
      'train-every': { type: 'string' },
      'eval-every': { type: 'string' },
      'eval-episodes': { type: 'string' },
      patience: { type: 'string' },
      'test-episodes': { type: 'string' },
      'model-version': { type: 'string' },
      observation: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    // Extra file names after --data are data files too (`--data msg.csv book.csv`).
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const scenario = values.scenario ?? fail('--scenario is required');
  if (!(TRAINING_SCENARIOS as readonly string[]).includes(scenario)) fail(`unknown scenario "${scenario}"`);
  const reward = (values.reward ?? 'shortfall') as RewardType;
  if (!REWARD_TYPES.includes(reward)) fail(`--reward must be one of ${REWARD_TYPES.join(', ')}`);
  const d = DEFAULT_DQN_CONFIG;
  const episodes = num('episodes', values.episodes, d.episodes, true);
  const kind = values.actions ?? 'twap-multiple';
  let actionSpace: ActionSpace;
  if (kind === 'twap-multiple') actionSpace = { kind, levels: num('levels', values.levels, 39, true), max: num('max-multiple', values['max-multiple'], 2), ...(values['clip-at-bound'] ? { clipAtBound: true } : {}) };
  else if (kind === 'fraction') actionSpace = { kind, levels: num('levels', values.levels, 20, true) };
  else fail(`--actions must be twap-multiple or fraction, got "${kind}"`);
  const hidden = values.hidden ? values.hidden.split(',').map((h) => num('hidden', h, 0, true)) : [...d.hidden];
  const config: DqnConfig = {
    ...d,
    episodes,
    seed: num('seed', values.seed, d.seed, true),
    actionSpace,
    hidden,
    head: parseHead(values.head),
    learningRate: num('lr', values.lr, d.learningRate),
    ...(values['lr-end'] !== undefined ? { learningRateEnd: num('lr-end', values['lr-end'], d.learningRate) } : {}),
    gamma: num('gamma', values.gamma, d.gamma),
    batchSize: num('batch', values.batch, d.batchSize, true),
    bufferSize: num('buffer', values.buffer, d.bufferSize, true),
    targetUpdate:
      values.polyak !== undefined
        ? { kind: 'polyak', tau: num('polyak', values.polyak, 0.005) }
        : { kind: 'hard', every: num('target-every', values['target-every'], 500, true) },
    rewardShaping: parseShaping(values.shaping),
    nSteps: num('n-steps', values['n-steps'], d.nSteps, true),
    huberDelta: num('huber-delta', values['huber-delta'], d.huberDelta),
    gradientClipNorm: num('clip-norm', values['clip-norm'], d.gradientClipNorm),
    trainEvery: num('train-every', values['train-every'], d.trainEvery, true),
    epsilon: { ...defaultEpsilonSchedule(episodes), ...(values['eps-decay'] !== undefined ? { decayEpisodes: num('eps-decay', values['eps-decay'], 0, true) } : {}) },
    evalEvery: num('eval-every', values['eval-every'], d.evalEvery, true),
    evalEpisodes: num('eval-episodes', values['eval-episodes'], d.evalEpisodes, true),
    patience: num('patience', values.patience, d.patience, true),
    ...(values['reward-normalization'] !== undefined ? { rewardNormalization: parseNormalization(values['reward-normalization']) } : {}),
    ...(values['anchor-margin'] !== undefined || values['anchor-weight'] !== undefined || values['anchor-source'] !== undefined
      ? {
          anchor: {
            margin: num('anchor-margin', values['anchor-margin'], 1),
            weight: num('anchor-weight', values['anchor-weight'], 1),
            source: parseAnchorSource(values['anchor-source']),
          },
        }
      : {}),
  };
  const observation = values.observation;
  if (observation !== undefined && !isObservationSpec(observation)) fail(`--observation must be one of ${OBSERVATION_SPECS.join(', ')}, got "${observation}"`);
  const configIssues = trainingConfigIssues(config, 'config');
  if (configIssues.length) fail(configIssues.map((i) => `${i.path} ${i.reason}`).join('; '));
  const out = values.out ?? `models/${scenario}`;
  const outProblem = outDirProblem(out, values.force === true);
  if (outProblem) fail(outProblem);
  return {
    scenario: {
      scenario,
      params: scenarioParams(scenario as ScenarioName, values.param ?? []),
      data: dataFiles(values.data ?? [], positionals),
      ...(values['train-until'] || values['test-from'] ? { split: { trainUntil: values['train-until'], testFrom: values['test-from'] } } : {}),
    },
    ...(observation !== undefined ? { observation } : {}),
    reward,
    riskAversion: reward === 'risk-adjusted' ? num('risk-aversion', values['risk-aversion'], 1e-6) : undefined,
    config,
    out,
    version: values['model-version'] ?? '1.0.0',
    evaluation: { episodes: num('test-episodes', values['test-episodes'], 1000, true), baselines: HELD_OUT_BASELINES },
    backend: requestedBackend(),
  };
}

const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function progressReporter(tty: boolean): (m: TrainingMessage) => void {
  let best = Infinity;
  let lastLine = 0;
  return (m) => {
    if (m.type === 'started') process.stderr.write(`training on TF.js backend "${m.backend}"\n`);
    if (m.type === 'evaluating') {
      if (tty) process.stderr.write('\n');
      process.stderr.write(`evaluating the best checkpoint on ${m.episodes} held-out episodes\n`);
    }
    if (m.type !== 'progress') return;
    const p = m.progress;
    if (p.validation?.best) best = p.validation.shortfallBps;
    const status = `ep ${p.episode}/${p.episodes} eps ${fmt(p.epsilon)} loss ${fmt(p.loss, 4)} IS(100) ${fmt(p.movingShortfallBps)}bps best val ${fmt(best)}bps`;
    if (tty) {
      const width = 24;
      const filled = Math.round((width * p.episode) / p.episodes);
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${status}   `);
      if (p.validation) {
        const v = p.validation;
        process.stderr.write(`\n  validation ${fmt(v.shortfallBps)}bps (TWAP ${fmt(v.twapShortfallBps)}bps)${v.best ? ' best, checkpointed' : ''}\n`);
      }
    } else if (p.validation || p.episode - lastLine >= 100 || p.episode === p.episodes) {
      lastLine = p.episode;
      const v = p.validation;
      const val = v ? ` validation ${fmt(v.shortfallBps)}bps (TWAP ${fmt(v.twapShortfallBps)}bps)${v.best ? ' best' : ''}` : '';
      process.stderr.write(`${new Date().toISOString()} ${status}${val}\n`);
    }
  };
}

async function main(): Promise<void> {
  const spec = parseCli(process.argv.slice(2));
  const started = Date.now();
  const handle = startTrainingWorker(spec, progressReporter(process.stderr.isTTY === true));
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: stopping the training worker (no artifact written)\n');
    void handle.cancel();
  });
  const metadata = await handle.done;
  const wall = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`wrote ${spec.out} in ${wall}s (training ${(metadata.training.wallTimeMs / 1000).toFixed(1)}s, ${metadata.training.episodes} episodes${metadata.training.stoppedEarly ? ', stopped early' : ''})\n`);
  process.stdout.write(`${JSON.stringify({ out: spec.out, wallTimeSeconds: Number(wall), training: metadata.training, evaluation: metadata.evaluation }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
