/**
 * A whole training job, as run inside the worker: build the environments, train, evaluate the best checkpoint on
 * the harness's held-out episodes against the baselines, and write the artifact. The caller sees only progress
 * messages, so it can run from the CLI or from the service's job queue alike.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { actionCount } from '../../core/actions.js';
import { featuresOf, type ObservationSpec } from '../../core/observation.js';
import type { RewardType } from '../../core/environment.js';
import { sha256Hex, type ModelArtifact } from '../artifact/artifact.js';
import { writeArtifact } from '../artifact/artifact-store.js';
import { initBackend, type BackendName } from './backend.js';
import { METADATA_FORMAT, type ModelMetadata } from '../artifact/metadata.js';
import { heldOutEvaluation } from './held-out.js';
import { sampleDomain } from './domain-sampling.js';
import { servingModelOf } from '../serving/serving.js';
import { envFactory, replaySplit, type ScenarioSpec } from './scenario-env.js';
import { storedHidden } from './q-network.js';
import { trainDqn, type DqnConfig, type TrainingProgress } from './trainer.js';

export interface TrainingJobSpec {
  readonly scenario: ScenarioSpec;
  readonly reward: RewardType;
  /** lambda of the risk-adjusted reward. */
  readonly riskAversion?: number;
  readonly config: DqnConfig;
  /** Observation spec of the model (default: obs-v2 for the generalist scenario, obs-v1 for the others). */
  readonly observation?: ObservationSpec;
  /** Directory the artifact is written to (e.g. models/default). */
  readonly out: string;
  readonly version: string;
  /** Held-out evaluation after training (0 episodes skips it). */
  readonly evaluation: { readonly episodes: number; readonly baselines: readonly string[] };
  readonly backend?: BackendName;
}

export type TrainingMessage =
  | { readonly type: 'started'; readonly backend: string }
  | { readonly type: 'progress'; readonly progress: TrainingProgress }
  | { readonly type: 'evaluating'; readonly episodes: number }
  | { readonly type: 'done'; readonly out: string; readonly metadata: ModelMetadata };

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const head = git('rev-parse', '--short', 'HEAD');
    // Uncommitted changes to the code mean HEAD alone does not say what trained the model.
    return git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'package.json', 'package-lock.json') ? `${head}+dirty` : head;
  } catch {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return `${pkg.version}+uncommitted`;
  }
}

/** The spec a job trains with: the generalist needs the side-aware, scale-free obs-v2; the single-market recipes
 * keep obs-v1 so their shipped models stay reproducible. */
export function observationSpecOf(spec: Pick<TrainingJobSpec, 'observation' | 'scenario'>): ObservationSpec {
  return spec.observation ?? (spec.scenario.scenario === 'generalist' ? 'obs-v2' : 'obs-v1');
}

export async function runTrainingJob(spec: TrainingJobSpec, report: (m: TrainingMessage) => void): Promise<ModelMetadata> {
  const backend = await initBackend(spec.backend);
  report({ type: 'started', backend });
  const observation = observationSpecOf(spec);
  const features = featuresOf(observation);
  const envConfig = { reward: spec.reward, riskAversion: spec.riskAversion, observation };
  const trainingEnv = await envFactory(spec.scenario, 'train', envConfig);
  // Checkpoints are chosen on validation episodes, never on test ones (a replay's validation sessions).
  const validationEnv = await envFactory(spec.scenario, 'validation', envConfig);
  const outcome = await trainDqn(trainingEnv(), validationEnv(), spec.config, (progress) => report({ type: 'progress', progress }));
  const sessions = spec.scenario.scenario === 'replay' ? await replaySplit(spec.scenario) : undefined;

  const { config } = spec;
  const base: Omit<ModelMetadata, 'evaluation' | 'domain'> = {
    format: METADATA_FORMAT,
    version: spec.version,
    codeVersion: codeVersion(),
    createdAt: new Date().toISOString(),
    observation: { spec: observation, features: [...features], ...outcome.normalization },
    actionSpace: config.actionSpace,
    network: {
      inputSize: features.length,
      hidden: storedHidden({ inputSize: features.length, hidden: config.hidden, outputSize: 0, head: config.head }),
      outputSize: actionCount(config.actionSpace),
      head: config.head,
    },
    reward: { type: spec.reward, scale: config.rewardScale, ...(spec.riskAversion !== undefined ? { riskAversion: spec.riskAversion } : {}) },
    training: {
      scenario: spec.scenario.scenario,
      ...(spec.scenario.params ? { scenarioParams: spec.scenario.params } : {}),
      ...(spec.scenario.data ? { data: [...spec.scenario.data] } : {}),
      ...(sessions ? { sessions: { train: sessions.train, validation: sessions.validation } } : {}),
      seed: config.seed,
      config: { ...config },
      episodes: outcome.episodesRun,
      wallTimeMs: Math.round(outcome.wallTimeMs),
      backend,
      stoppedEarly: outcome.stoppedEarly,
      ...(outcome.bestValidationShortfallBps !== undefined
        ? { bestValidationShortfallBps: outcome.bestValidationShortfallBps }
        : {}),
    },
    weightsSha256: sha256Hex(outcome.model.weightData),
  };
  // The domain the model will be served in: the training distribution's states, the model's own included.
  const domain = await sampleDomain({
    scenario: spec.scenario,
    envConfig,
    spec: observation,
    actionSpace: config.actionSpace,
    seed: config.seed,
    // As many episodes as training saw, within [200, 2000]: a tiny job stays quick, a real one is well covered.
    episodes: Math.max(200, Math.min(2000, outcome.episodesRun)),
    model: servingModelOf('candidate', { ...outcome.model, metadata: base }),
  });
  let metadata: ModelMetadata = { ...base, domain };
  if (spec.evaluation.episodes > 0) {
    report({ type: 'evaluating', episodes: spec.evaluation.episodes });
    const { episodes, baselines } = spec.evaluation;
    metadata = { ...metadata, evaluation: await heldOutEvaluation({ ...outcome.model, metadata }, spec.scenario, envConfig, episodes, baselines) };
  }
  const artifact: ModelArtifact = { ...outcome.model, metadata };
  await writeArtifact(spec.out, artifact);
  report({ type: 'done', out: spec.out, metadata });
  return metadata;
}
