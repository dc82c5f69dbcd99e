/** Schemas of the admin API (training jobs, model registry, evaluations). Objects are closed, like the public API. */
import { Type, type Static } from 'typebox';

const closed = { additionalProperties: false } as const;
export const ModelName = Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$', description: 'letters, digits, . _ -' });
const ScenarioName = Type.Union(
  [Type.Literal('almgren-chriss'), Type.Literal('regime-liquidity'), Type.Literal('intraday'), Type.Literal('lob-replay'), Type.Literal('generalist')],
  { description: 'The simulated market (DESIGN.md 4)' },
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
    hidden: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 1024 }), { minItems: 1, maxItems: 4 })),
    learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    learningRateEnd: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'learning rate at the last episode (linear decay from learningRate); default constant' }),
    ),
    gamma: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    bufferSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
    warmupSteps: Type.Optional(Type.Integer({ minimum: 0 })),
    trainEvery: Type.Optional(Type.Integer({ minimum: 1 })),
    huberDelta: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    gradientClipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    rewardScale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    normalizationEpisodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    evalEvery: Type.Optional(Type.Integer({ minimum: 0 })),
    evalEpisodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    patience: Type.Optional(Type.Integer({ minimum: 0 })),
    targetUpdate: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal('hard'), every: Type.Integer({ minimum: 1 }) }, closed),
        Type.Object({ kind: Type.Literal('polyak'), tau: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }, closed),
      ]),
    ),
    epsilon: Type.Optional(
      Type.Object(
        {
          start: Type.Number({ minimum: 0, maximum: 1 }),
          end: Type.Number({ minimum: 0, maximum: 1 }),
          decayEpisodes: Type.Integer({ minimum: 0 }),
        },
        closed,
      ),
    ),
    actionSpace: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal('fraction'), levels: Type.Integer({ minimum: 2, maximum: 1000 }) }, closed),
        Type.Object(
          {
            kind: Type.Literal('twap-multiple'),
            levels: Type.Integer({ minimum: 2, maximum: 1000 }),
            max: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
            clipAtBound: Type.Optional(Type.Boolean()),
          },
          closed,
        ),
      ]),
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
    episodes: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    seed: Type.Integer({ minimum: 0, maximum: 8_999_999, description: 'Training seed; seeds from 9,000,000 up are kept for evaluation' }),
    agent: Type.Optional(AgentConfig),
    evaluationEpisodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'Held-out episodes evaluated after training (default 500)' })),
  },
  closed,
);
export type TrainingJobRequestT = Static<typeof TrainingJobRequest>;

export const EvaluationRequest = Type.Object(
  {
    scenario: ScenarioName,
    params: Type.Optional(ScenarioParams),
    data: Type.Optional(DataFiles),
    episodes: Type.Integer({ minimum: 1, maximum: 100000 }),
    seed: Type.Optional(Type.Integer({ minimum: 0 })),
    sides: Type.Optional(
      Type.Union([Type.Literal('sell'), Type.Literal('buy'), Type.Literal('both')], {
        description: 'The side every episode is traded on (default sell); both: as a sell and as a buy on the same path, reported per side and as the drift-neutral mean of the two',
      }),
    ),
    policies: Type.Array(Type.String({ pattern: '^(twap|vwap|pov|almgren-chriss|oracle|dqn:[A-Za-z0-9._-]{1,128}(@[A-Za-z0-9._-]{1,128})?)$' }), {
      minItems: 1,
      maxItems: 16,
      uniqueItems: true,
      description: 'Baselines by name and models as dqn:<model>[@<version or alias>] (default alias production)',
    }),
    keepPaths: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Inventory paths kept per policy for the charts (default 200)' })),
  },
  closed,
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
    version: Type.String({ pattern: '^[0-9]{1,9}$' }),
    force: Type.Optional(Type.Boolean({ description: 'Skip the promotion gate for production (logged)' })),
  },
  closed,
);

export const UploadRequest = Type.Object(
  {
    modelJson: Type.Record(Type.String(), Type.Unknown(), { description: 'The TF.js layers model.json' }),
    weights: Type.String({ minLength: 1, description: 'weights.bin, base64' }),
    metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'The artifact metadata.json' }),
  },
  closed,
);

export const JobResponse = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
  request: Type.Record(Type.String(), Type.Unknown()),
  progress: Type.Object({ done: Type.Number(), total: Type.Number(), percent: Type.Number(), etaSeconds: Type.Optional(Type.Number()) }),
  metrics: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  curve: Type.Array(
    Type.Object({
      episode: Type.Number(),
      movingShortfallBps: Type.Optional(Type.Number()),
      loss: Type.Optional(Type.Number()),
      epsilon: Type.Optional(Type.Number()),
      validationShortfallBps: Type.Optional(Type.Number()),
    }),
  ),
  error: Type.Optional(Type.String()),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const JobList = Type.Object({ items: Type.Array(JobResponse), total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer() });
