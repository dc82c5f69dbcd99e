/** Schemas of the admin API (training jobs, model registry, evaluations). Objects are closed, like the public API. */
import { Type, type Static } from 'typebox';
import { MODEL_NAME_MAX, MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../registry/model-name.js';
import { EVALUATION_BASELINES, MODEL_PREFIX } from '../core/policy-ref.js';

const closed = { additionalProperties: false } as const;
export const ModelName = Type.String({ pattern: MODEL_NAME_PATTERN, maxLength: MODEL_NAME_MAX, description: `Model name: ${MODEL_NAME_RULE}` });
const ScenarioName = Type.Union(
  [Type.Literal('almgren-chriss'), Type.Literal('regime-liquidity'), Type.Literal('intraday'), Type.Literal('lob-replay'), Type.Literal('generalist')],
  { description: 'The market to train or evaluate on (docs/SCENARIOS.md)' },
);
const ScenarioParams = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }), Type.Number(), {
  description: 'Scenario parameters to override (e.g. {"rho": 0.8})',
  maxProperties: 64,
});
const DataFiles = Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), {
  minItems: 1,
  maxItems: 16,
  description: 'LOBSTER files on the server (zip or CSV pair), for lob-replay',
});

export const AgentConfig = Type.Object(
  {
    hidden: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 1024, description: 'units in the layer' }), { minItems: 1, maxItems: 4, description: 'Hidden layer widths' })),
    learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Adam step size (per update)' })),
    learningRateEnd: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'learning rate at the last episode (linear decay from learningRate); default constant' }),
    ),
    gamma: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Discount per step' })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, description: 'Transitions per update' })),
    bufferSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Replay buffer capacity, transitions' })),
    warmupSteps: Type.Optional(Type.Integer({ minimum: 0, description: 'Environment steps before the first update' })),
    trainEvery: Type.Optional(Type.Integer({ minimum: 1, description: 'Environment steps per update' })),
    huberDelta: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Huber loss threshold, reward units' })),
    gradientClipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Global gradient norm cap' })),
    rewardScale: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Reward multiplier (reward units per bps)' })),
    normalizationEpisodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Episodes that fit the observation normalizer' })),
    evalEvery: Type.Optional(Type.Integer({ minimum: 0, description: 'Episodes between validation runs; 0: none' })),
    evalEpisodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'Episodes per validation run' })),
    patience: Type.Optional(Type.Integer({ minimum: 0, description: 'Validation runs without improvement before stopping early; 0: never' })),
    targetUpdate: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal('hard'), every: Type.Integer({ minimum: 1, description: 'Updates between copies' }) }, closed),
        Type.Object({ kind: Type.Literal('polyak'), tau: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Share of the online weights blended in per update' }) }, closed),
      ], { description: 'How the target network follows the online one' }),
    ),
    epsilon: Type.Optional(
      Type.Object(
        {
          start: Type.Number({ minimum: 0, maximum: 1, description: 'Exploration probability at the first episode' }),
          end: Type.Number({ minimum: 0, maximum: 1, description: 'Exploration probability after the decay' }),
          decayEpisodes: Type.Integer({ minimum: 0, description: 'Episodes of linear decay' }),
        },
        { ...closed, description: 'Epsilon-greedy exploration' },
      ),
    ),
    actionSpace: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal('fraction'), levels: Type.Integer({ minimum: 2, maximum: 1000, description: 'Actions: fractions of the remaining shares' }) }, closed),
        Type.Object(
          {
            kind: Type.Literal('twap-multiple'),
            levels: Type.Integer({ minimum: 2, maximum: 1000, description: 'Actions: multiples of the TWAP slice' }),
            max: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'The largest multiple of the TWAP slice' }),
            clipAtBound: Type.Optional(Type.Boolean({ description: 'The first level past a binding cap trades exactly at the cap' })),
          },
          closed,
        ),
      ], { description: 'What the network chooses among' }),
    ),
  },
  { ...closed, description: 'DQN settings; anything left out takes the default of the shipped model' },
);

export const TrainingJobRequest = Type.Object(
  {
    model: ModelName,
    scenario: ScenarioName,
    params: Type.Optional(ScenarioParams),
    data: Type.Optional(DataFiles),
    reward: Type.Optional(Type.Union([Type.Literal('shortfall'), Type.Literal('vwap'), Type.Literal('risk-adjusted')])),
    riskAversion: Type.Optional(Type.Number({ minimum: 0, description: 'lambda of the risk-adjusted reward' })),
    episodes: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Training episodes' }),
    seed: Type.Integer({ minimum: 0, maximum: 8_999_999, description: 'Training seed; seeds from 9,000,000 up are kept for evaluation' }),
    agent: Type.Optional(AgentConfig),
    evaluationEpisodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'Held-out episodes evaluated after training (default 500)' })),
  },
  { ...closed, examples: [{ model: 'my-model', scenario: 'regime-liquidity', episodes: 300, seed: 11, agent: { hidden: [32, 32] } }] },
);
export type TrainingJobRequestT = Static<typeof TrainingJobRequest>;

export const EvaluationRequest = Type.Object(
  {
    scenario: ScenarioName,
    params: Type.Optional(ScenarioParams),
    data: Type.Optional(DataFiles),
    episodes: Type.Integer({ minimum: 1, maximum: 100000, description: 'Held-out episodes, the same for every policy' }),
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'First episode seed (default: the held-out range from 9,000,000)' })),
    sides: Type.Optional(
      Type.Union([Type.Literal('sell'), Type.Literal('buy'), Type.Literal('both')], {
        description: 'The side every episode is traded on (default sell); both: as a sell and as a buy on the same path, reported per side and as the drift-neutral mean of the two',
      }),
    ),
    policies: Type.Array(Type.String({ pattern: `^(${EVALUATION_BASELINES.join('|')}|${MODEL_PREFIX}${MODEL_NAME_PATTERN.slice(1, -1)}(@[A-Za-z0-9._-]{1,128})?)$` }), {
      minItems: 1,
      maxItems: 16,
      uniqueItems: true,
      description: 'Baselines by name and models as dqn:<model>[@<version or alias>] (default alias production)',
    }),
    keepPaths: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Inventory paths kept per policy for the charts (default 200)' })),
  },
  { ...closed, examples: [{ scenario: 'regime-liquidity', episodes: 1000, policies: ['twap', 'vwap', 'almgren-chriss'] }] },
);
export type EvaluationRequestT = Static<typeof EvaluationRequest>;

export const JobListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)))),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1-1000, default 50' })),
  },
  closed,
);

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }) }, closed);
export const ModelParams = Type.Object({ name: ModelName }, closed);
export const VersionParams = Type.Object({ name: ModelName, version: Type.String({ pattern: '^[0-9]{1,9}$' }) }, closed);
export const AliasParams = Type.Object({ name: ModelName, alias: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9._-]{0,63}$' }) }, closed);

export const AliasRequest = Type.Object(
  {
    version: Type.String({ pattern: '^[0-9]{1,9}$', description: 'The version number the alias points at' }),
    force: Type.Optional(Type.Boolean({ description: 'Skip the promotion gate for production (logged)' })),
  },
  { ...closed, examples: [{ version: '1' }] },
);

export const UploadRequest = Type.Object(
  {
    modelJson: Type.Record(Type.String(), Type.Unknown(), { description: 'The TF.js layers model.json' }),
    weights: Type.String({ minLength: 1, description: 'weights.bin, base64' }),
    metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'The artifact metadata.json' }),
  },
  {
    ...closed,
    // The shape only: a real upload is the three files of `npm run train` (model.json, weights.bin, metadata.json).
    examples: [{ modelJson: { format: 'layers-model', modelTopology: {}, weightsManifest: [] }, weights: 'AAAAAA==', metadata: {} }],
  },
);

export const JobResponse = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
  request: Type.Record(Type.String(), Type.Unknown()),
  progress: Type.Object({
    done: Type.Number({ description: 'episodes done' }),
    total: Type.Number({ description: 'episodes in all' }),
    percent: Type.Number({ description: '0-100' }),
    etaSeconds: Type.Optional(Type.Number({ description: 'estimated seconds left' })),
  }),
  metrics: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  curve: Type.Array(
    Type.Object({
      episode: Type.Number({ description: 'training episode' }),
      movingShortfallBps: Type.Optional(Type.Number({ description: 'moving mean IS of training episodes, bps' })),
      loss: Type.Optional(Type.Number({ description: 'TD loss, reward units squared' })),
      epsilon: Type.Optional(Type.Number({ description: 'exploration probability' })),
      validationShortfallBps: Type.Optional(Type.Number({ description: 'mean IS on validation episodes, bps' })),
    }),
  ),
  error: Type.Optional(Type.String()),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const JobList = Type.Object({
  items: Type.Array(JobResponse),
  total: Type.Integer({ description: 'jobs matching the filter' }),
  offset: Type.Integer({ description: 'jobs skipped' }),
  limit: Type.Integer({ description: 'page size' }),
});
