/**
 * The self-describing half of a model artifact (docs/DESIGN.md 3): what the network expects as input (observation
 * spec and normalisation), what its outputs mean (action space), what it was trained for (reward, scenario or
 * data, config, seed) and how it did (evaluation). Loading checks it before any weight is trusted.
 */
import { actionCount, type ActionSpace } from '../../core/actions.js';
import { featuresOf, isObservationSpec, OBSERVATION_SPECS, type ObservationSpec } from '../../core/observation.js';
import { ArtifactError } from './artifact-error.js';
import { validateDomain, type ModelDomain } from './domain.js';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';

export const METADATA_FORMAT = 'dqn-artifact-v1';

import { REWARD_TYPES, type RewardType } from '../../core/environment.js';

export interface ModelMetadata {
  readonly format: typeof METADATA_FORMAT;
  /** The model's own version label (e.g. "1.0.0"), set by whoever trains it. */
  readonly version: string;
  /** The code that trained it: git commit when available. */
  readonly codeVersion: string;
  readonly createdAt: string;
  readonly observation: {
    readonly spec: ObservationSpec;
    readonly features: readonly string[];
    readonly mean: readonly number[];
    readonly std: readonly number[];
  };
  readonly actionSpace: ActionSpace;
  /**
   * Sizes of the stored Dense layers. `hidden` lists every layer before the output, including a Chebyshev head's
   * coefficient layer; `head` says how the last layer was trained (informational: serving runs the stack as is).
   */
  readonly network: {
    readonly inputSize: number;
    readonly hidden: readonly number[];
    readonly outputSize: number;
    readonly head?: { readonly kind: 'independent' } | { readonly kind: 'chebyshev'; readonly degree: number };
  };
  readonly reward: { readonly type: RewardType; readonly scale: number; readonly riskAversion?: number };
  readonly training: {
    readonly scenario: string;
    readonly scenarioParams?: Record<string, unknown>;
    readonly data?: readonly string[];
    /** Sessions (`ES 2013-10-07`) trained and validated on: evaluating on them is refused unless asked for. */
    readonly sessions?: { readonly train: readonly string[]; readonly validation: readonly string[] };
    readonly seed: number;
    readonly config: Record<string, unknown>;
    readonly episodes: number;
    readonly wallTimeMs: number;
    readonly backend: string;
    readonly stoppedEarly: boolean;
    /** Mean IS (bps) of the checkpointed model on the held-out validation seeds during training. */
    readonly bestValidationShortfallBps?: number;
  };
  /** Results on held-out test episodes, against the baselines (filled by the training CLI or later). */
  readonly evaluation?: Record<string, unknown>;
  /** Where the model may answer (domain.ts, docs/MODEL.md); absent on models that predate it ("unknown"). */
  readonly domain?: ModelDomain;
  /** SHA-256 (hex) of weights.bin, so a corrupted weight file of the right length is refused too. */
  readonly weightsSha256: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteArray = (v: unknown, length: number): v is number[] =>
  Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function validateActionSpace(v: unknown): ActionSpace {
  if (!isObject(v)) throw new ArtifactError('metadata.actionSpace', 'must be an object');
  const levels = v.levels;
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 2 || levels > 1000) {
    throw new ArtifactError('metadata.actionSpace.levels', `must be an integer in [2, 1000], got ${String(levels)}`);
  }
  if (v.kind === 'fraction') return { kind: 'fraction', levels };
  if (v.kind === 'twap-multiple') {
    if (typeof v.max !== 'number' || !(v.max > 0) || !Number.isFinite(v.max)) {
      throw new ArtifactError('metadata.actionSpace.max', `must be a positive number, got ${String(v.max)}`);
    }
    if (v.clipAtBound !== undefined && typeof v.clipAtBound !== 'boolean') {
      throw new ArtifactError('metadata.actionSpace.clipAtBound', `must be a boolean, got ${String(v.clipAtBound)}`);
    }
    return { kind: 'twap-multiple', levels, max: v.max, ...(v.clipAtBound === true ? { clipAtBound: true } : {}) };
  }
  throw new ArtifactError(
    'metadata.actionSpace.kind',
    `unsupported action space "${String(v.kind)}"; supported: "fraction", "twap-multiple"`,
  );
}

/** @throws ArtifactError naming the first field that is missing, unsupported or inconsistent. */
export function validateMetadata(raw: unknown): ModelMetadata {
  if (!isObject(raw)) throw new ArtifactError('metadata', 'must be a JSON object');
  const deep = tooDeep(raw, 'metadata');
  if (deep) throw new ArtifactError(deep, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (raw.format !== METADATA_FORMAT) {
    throw new ArtifactError('metadata.format', `unsupported format "${String(raw.format)}"; expected "${METADATA_FORMAT}"`);
  }
  const obs = raw.observation;
  if (!isObject(obs)) throw new ArtifactError('metadata.observation', 'must be an object');
  if (!isObservationSpec(obs.spec)) {
    throw new ArtifactError(
      'metadata.observation.spec',
      `unsupported observation spec "${String(obs.spec)}"; this service builds ${OBSERVATION_SPECS.map((s) => `"${s}"`).join(', ')} — retrain the model`,
    );
  }
  const features = featuresOf(obs.spec);
  const n = features.length;
  if (!Array.isArray(obs.features) || obs.features.join(',') !== features.join(',')) {
    throw new ArtifactError('metadata.observation.features', `must be [${features.join(', ')}] for ${obs.spec}`);
  }
  if (!isFiniteArray(obs.mean, n)) throw new ArtifactError('metadata.observation.mean', `must be ${n} finite numbers`);
  if (!isFiniteArray(obs.std, n) || obs.std.some((s) => s <= 0)) {
    throw new ArtifactError('metadata.observation.std', `must be ${n} positive finite numbers`);
  }
  const actionSpace = validateActionSpace(raw.actionSpace);
  const net = raw.network;
  if (!isObject(net) || !Array.isArray(net.hidden) || !net.hidden.every((h) => Number.isInteger(h) && h > 0)) {
    throw new ArtifactError('metadata.network', 'must be { inputSize, hidden: positive integers[], outputSize }');
  }
  if (net.inputSize !== n) {
    throw new ArtifactError('metadata.network.inputSize', `must equal the observation size ${n}, got ${String(net.inputSize)}`);
  }
  if (net.outputSize !== actionCount(actionSpace)) {
    throw new ArtifactError(
      'metadata.network.outputSize',
      `must equal the action count ${actionCount(actionSpace)} of the action space, got ${String(net.outputSize)}`,
    );
  }
  const reward = raw.reward;
  if (!isObject(reward) || !REWARD_TYPES.includes(reward.type as RewardType)) {
    throw new ArtifactError('metadata.reward.type', `must be one of ${REWARD_TYPES.join(', ')}`);
  }
  if (!isObject(raw.training) || typeof raw.training.scenario !== 'string') {
    throw new ArtifactError('metadata.training.scenario', 'must name the scenario or data set the model was trained on');
  }
  if (typeof raw.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(raw.weightsSha256)) {
    throw new ArtifactError('metadata.weightsSha256', 'must be the 64-hex-digit SHA-256 of weights.bin');
  }
  for (const key of ['version', 'codeVersion', 'createdAt'] as const) {
    if (typeof raw[key] !== 'string') throw new ArtifactError(`metadata.${key}`, 'must be a string');
  }
  const domain = raw.domain === undefined ? undefined : validateDomain(raw.domain, features);
  return { ...(raw as unknown as ModelMetadata), actionSpace, ...(domain ? { domain } : {}) };
}
