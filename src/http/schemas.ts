/**
 * Request and response schemas of the public API (docs/DESIGN.md 6), in TypeBox: one definition gives validation,
 * the TypeScript types and the OpenAPI document. Objects are closed (additionalProperties: false) so a typo such
 * as "maxParticipaton" is a 400, not a silently ignored cap.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { MODEL_NAME_MAX, MODEL_NAME_PATTERN } from '../registry/model-name.js';
import { MAX_FEE_BPS, MAX_HORIZON, MAX_IMPACT, MAX_NOTIONAL, MAX_PRICE, MAX_SHARES, MIN_PRICE } from '../core/limits.js';

const closed = { additionalProperties: false } as const;
// Every number is bounded (src/core/limits.ts): beyond the bounds the cost model would overflow to Infinity/NaN.
const Price = (description: string) => Type.Number({ minimum: MIN_PRICE, maximum: MAX_PRICE, description: `${description}; price units` });
const Shares = (description: string) => Type.Number({ minimum: 0, maximum: MAX_SHARES, description: `${description}; shares` });
const Impact = (description: string, positive = false) =>
  Type.Number({ ...(positive ? { exclusiveMinimum: 0 } : { minimum: 0 }), maximum: MAX_IMPACT, description });

/** A discriminated union on `type`: ajv then reports errors of the branch the caller meant, not of every branch. */
function tagged<T extends TSchema[]>(branches: [...T], description: string) {
  return Type.Unsafe<Static<T[number]>>({ type: 'object', oneOf: branches, discriminator: { propertyName: 'type' }, description });
}

export const TwapPolicy = Type.Object({ type: Type.Literal('twap') }, { ...closed, title: 'TWAP' });
export const VwapPolicy = Type.Object(
  {
    type: Type.Literal('vwap'),
    volumeProfile: Type.Optional(
      Type.Array(Type.Number({ minimum: 0, maximum: MAX_SHARES, description: 'shares' }), {
        minItems: 1,
        maxItems: MAX_HORIZON,
        description: 'Expected volume per step (shares, or any unit: only the shares of the total count), one entry per step of the horizon; default: a U-shaped intraday profile',
      }),
    ),
  },
  { ...closed, title: 'VWAP' },
);
export const PovPolicy = Type.Object(
  { type: Type.Literal('pov'), rate: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Share of the step volume traded, a fraction (0.1 = 10%)' }) },
  { ...closed, title: 'POV' },
);
export const AlmgrenChrissPolicy = Type.Object(
  {
    type: Type.Literal('almgren-chriss'),
    riskAversion: Type.Number({ minimum: 0, maximum: 1e300, description: 'lambda, per unit of currency; 0 gives TWAP' }),
    eta: Impact('Temporary impact: price units per share traded within one step', true),
    gamma: Impact('Permanent impact: price units per share traded'),
    sigma: Type.Number({ minimum: 0, maximum: MAX_PRICE, description: 'Mid standard deviation per step, price units' }),
  },
  { ...closed, title: 'Almgren-Chriss' },
);

export const BaselinePolicy = tagged([TwapPolicy, VwapPolicy, PovPolicy, AlmgrenChrissPolicy], 'A baseline policy');

export const DqnPolicy = Type.Object(
  {
    type: Type.Literal('dqn'),
    model: Type.String({ minLength: 1, maxLength: MODEL_NAME_MAX, pattern: MODEL_NAME_PATTERN, description: 'Model name' }),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'A version or an alias (default: production)' })),
    fallback: Type.Optional(BaselinePolicy),
  },
  { ...closed, title: 'DQN' },
);

export const PolicySpec = tagged([TwapPolicy, VwapPolicy, PovPolicy, AlmgrenChrissPolicy, DqnPolicy], 'The policy that decides the slice');
export type PolicySpecT = Static<typeof PolicySpec>;
export type BaselinePolicyT = Static<typeof BaselinePolicy>;

export const OrderSchema = Type.Object(
  {
    side: Type.Union([Type.Literal('sell'), Type.Literal('buy')], { description: 'sell or buy' }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SHARES, description: 'Q: parent order size, shares' }),
    horizon: Type.Integer({ minimum: 1, maximum: MAX_HORIZON, description: `T: number of decision steps (at most ${MAX_HORIZON})` }),
    step: Type.Integer({ minimum: 0, maximum: MAX_HORIZON - 1, description: 'k: current step, 0-based, < horizon' }),
    remaining: Type.Integer({ minimum: 0, maximum: MAX_SHARES, description: 'q_k: shares still to execute, <= quantity' }),
    arrivalPrice: Type.Optional(Price('P_arr; default: the touch (bid for a sell, ask for a buy)')),
    executedNotional: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_NOTIONAL, description: 'Cash of the fills so far, currency (price units x shares)' })),
    lotSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SHARES, description: 'Slices are multiples of it except the last remainder; shares' })),
    maxParticipation: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Cap on slice / market volume, a fraction' })),
    limitPrice: Type.Optional(Price('A sell never trades below it, a buy never above it')),
  },
  closed,
);

export const BookLevelSchema = Type.Object(
  { bidPrice: Price('bid price'), bidSize: Shares('bid size'), askPrice: Price('ask price'), askSize: Shares('ask size') },
  closed,
);

export const MarketSchema = Type.Object(
  {
    bid: Price('best bid'),
    ask: Price('best ask'),
    bidSize: Type.Optional(Shares('size at the best bid')),
    askSize: Type.Optional(Shares('size at the best ask')),
    volume: Type.Optional(Shares('recent (previous step) market volume')),
    averageVolume: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_SHARES, description: 'expected volume per step; shares' })),
    volatility: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_PRICE, description: 'mid standard deviation per step; price units per step' })),
    levels: Type.Optional(Type.Array(BookLevelSchema, { maxItems: 50, description: 'Book from level 1 (= bid/ask) down' })),
  },
  closed,
);

/** Working examples: Swagger UI's "Try it out" sends the first (a test injects each). */
export const DECISION_EXAMPLE = {
  policy: { type: 'twap' },
  order: { side: 'sell', quantity: 100000, horizon: 20, step: 3, remaining: 85000, lotSize: 100, maxParticipation: 0.2 },
  market: { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, volatility: 0.05 },
};
export const SCHEDULE_EXAMPLE = {
  policy: { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 },
  order: { side: 'sell', quantity: 100000, horizon: 20, step: 0, remaining: 100000 },
  market: { bid: 99.95, ask: 99.97, volume: 40000 },
  impact: { eta: 1e-5, gamma: 2.5e-7, sigma: 0.05, feeBps: 0.5 },
};

export const DecisionRequest = Type.Object({ policy: PolicySpec, order: OrderSchema, market: MarketSchema }, { ...closed, examples: [DECISION_EXAMPLE] });
export type DecisionRequestT = Static<typeof DecisionRequest>;

export const ExplainQuery = Type.Object(
  {
    // Query strings are text; the body's no-coercion rule would refuse a boolean here, so name the two spellings.
    explain: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Add the observation, Q-values and mask (dqn)' })),
  },
  closed,
);

export const ResolvedPolicy = Type.Object(
  {
    type: Type.String({ description: 'The policy that answered (the fallback baseline when the model could not)' }),
    model: Type.Optional(Type.String({ description: 'Model name (dqn)' })),
    version: Type.Optional(Type.String({ description: 'The model version that answered (dqn)' })),
  },
  { description: 'Who decided' },
);

export const DecisionResponse = Type.Object({
  quantity: Type.Number({ description: 'n_k: shares to trade now' }),
  forced: Type.Boolean({ description: 'The terminal step forced the remainder' }),
  capped: Type.Boolean({ description: 'The participation cap cut the proposal' }),
  limited: Type.Boolean({ description: 'The limit price blocked trading now' }),
  unexecuted: Type.Number({ description: 'Shares left unexecuted at the end because of the limit price' }),
  remainingAfter: Type.Number({ description: 'q_k - n_k: shares left after this slice' }),
  proposal: Type.Number({ description: "The policy's raw proposal before the constraints, shares" }),
  policy: ResolvedPolicy,
  action: Type.Optional(Type.Integer({ description: 'Index of the action the model chose (dqn)' })),
  fallback: Type.Optional(Type.Boolean({ description: 'A fallback baseline answered instead of the model' })),
  fallbackReason: Type.Optional(Type.String({ description: 'Why the fallback answered' })),
  domain: Type.Optional(
    Type.Union([Type.Literal('in'), Type.Literal('unknown')], {
      description: "dqn: the request is inside the model's trained domain, or the model records none",
    }),
  ),
  cumulativeShortfall: Type.Optional(Type.Number({ description: 'IS of the fills so far, currency (absent when executedNotional is not sent after fills)' })),
  cumulativeShortfallBps: Type.Optional(Type.Number({ description: 'IS of the fills so far, bps of Q x P_arr' })),
  observation: Type.Optional(Type.Record(Type.String(), Type.Number({ description: 'feature value, normalized (dimensionless)' }), { description: 'The model input by feature (explain=true)' })),
  qValues: Type.Optional(Type.Array(Type.Number({ description: 'expected return, reward units' }), { description: 'Q-value per action (explain=true)' })),
  mask: Type.Optional(Type.Array(Type.Boolean(), { description: 'Which actions the constraints allowed (explain=true)' })),
});

export const ImpactSchema = Type.Object(
  {
    eta: Impact('Temporary impact: price units per share traded within one step'),
    gamma: Impact('Permanent impact: price units per share traded'),
    sigma: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_PRICE, description: 'Mid standard deviation per step, price units (for costStd)' })),
    feeBps: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_FEE_BPS, description: 'Fee in basis points of the fill value' })),
    feePerShare: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_PRICE, description: 'Fee per share, price units' })),
  },
  closed,
);

export const ScheduleRequest = Type.Object(
  {
    policy: BaselinePolicy,
    order: OrderSchema,
    market: MarketSchema,
    impact: Type.Optional(ImpactSchema),
  },
  { ...closed, examples: [SCHEDULE_EXAMPLE] },
);
export type ScheduleRequestT = Static<typeof ScheduleRequest>;

export const ScheduleResponse = Type.Object({
  policy: ResolvedPolicy,
  steps: Type.Array(
    Type.Object({
      step: Type.Integer({ description: 'k, 0-based' }),
      quantity: Type.Number({ description: 'n_k: shares traded at this step' }),
      holdingsAfter: Type.Number({ description: 'shares still held after it' }),
      expectedCost: Type.Number({ description: 'expected IS of this slice, currency' }),
      forced: Type.Boolean({ description: 'the terminal step forced the remainder' }),
      capped: Type.Boolean({ description: 'the participation cap cut the slice' }),
      limited: Type.Boolean({ description: 'the limit price blocked trading' }),
    }),
    { description: `One entry per step from order.step to the horizon (at most ${MAX_HORIZON})` },
  ),
  totalQuantity: Type.Number({ description: 'Shares traded over the schedule' }),
  unexecuted: Type.Number({ description: 'Shares left unexecuted at the end because of the limit price' }),
  expectedCost: Type.Number({ description: 'Expected IS, currency, under the impact parameters' }),
  expectedCostBps: Type.Number({ description: 'Expected IS, bps of Q x P_arr' }),
  costStd: Type.Number({ description: 'Standard deviation of the IS from the mid moves (sigma), currency' }),
});

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer({ description: 'HTTP status' }),
    error: Type.String({ description: 'HTTP reason phrase' }),
    message: Type.String({ description: 'What went wrong and how to fix it' }),
    details: Type.Array(Type.Object({ path: Type.String({ description: 'The field, dotted (order.remaining)' }), reason: Type.String() }), { description: 'One entry per field at fault' }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

const BoundSchema = Type.Object({ min: Type.Number({ description: 'lowest trained value (units of the parameter or feature)' }), max: Type.Number({ description: 'highest trained value' }) });

/** metadata.domain of a model (docs/MODEL.md, "Domain"). */
export const ModelDomainSchema = Type.Object(
  {
    format: Type.String(),
    derivedFrom: Type.Object({
      scenario: Type.String(),
      episodes: Type.Number({ description: 'Episodes sampled to measure the ranges' }),
      seed: Type.Number({ description: 'Seed of that sample' }),
      margin: Type.Number({ description: "Each feature's sampled [min, max] widened by margin x (max - min) on both sides" }),
    }),
    required: Type.Array(Type.String(), { description: 'Market fields every request must carry' }),
    sides: Type.Array(Type.String()),
    parameters: Type.Record(Type.String(), BoundSchema, {
      description: 'horizon (steps), orderSizeVsVolume (Q / (averageVolume x T)), price (mid), maxParticipation (1 = no cap), lotFraction (lotSize / Q, 0 = single shares)',
    }),
    features: Type.Record(Type.String(), BoundSchema, { description: 'Trained range of each observation feature' }),
  },
  { description: 'Where the model answers: a request outside any bound is answered by its fallback, or refused with 422' },
);

export const PoliciesResponse = Type.Object({
  baselines: Type.Array(Type.Object({ type: Type.String(), description: Type.String(), deterministic: Type.Boolean({ description: 'Has a static schedule (/v1/schedules)' }) })),
  models: Type.Array(
    Type.Object({
      name: Type.String(),
      version: Type.Optional(Type.String()),
      status: Type.String({ description: 'loaded, or failed with the reason' }),
      error: Type.Optional(Type.String()),
      summary: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      domain: Type.Optional(ModelDomainSchema),
    }),
  ),
});
