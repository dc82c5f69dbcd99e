/**
 * Request and response schemas of the public API (DESIGN.md 6), in TypeBox: one definition gives validation,
 * the TypeScript types and the OpenAPI document. Objects are closed (additionalProperties: false) so a typo such
 * as "maxParticipaton" is a 400, not a silently ignored cap.
 */
import { Type, type Static, type TSchema } from 'typebox';
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
    model: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$', description: 'Model name' }),
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

export const DecisionRequest = Type.Object({ policy: PolicySpec, order: OrderSchema, market: MarketSchema }, closed);
export type DecisionRequestT = Static<typeof DecisionRequest>;

export const ExplainQuery = Type.Object(
  {
    // Query strings are text; the body's no-coercion rule would refuse a boolean here, so name the two spellings.
    explain: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Add the observation, Q-values and mask (dqn)' })),
  },
  closed,
);

export const ResolvedPolicy = Type.Object({
  type: Type.String(),
  model: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
});

export const DecisionResponse = Type.Object({
  quantity: Type.Number({ description: 'n_k: shares to trade now' }),
  forced: Type.Boolean({ description: 'The terminal step forced the remainder' }),
  capped: Type.Boolean({ description: 'The participation cap cut the proposal' }),
  limited: Type.Boolean({ description: 'The limit price blocked trading now' }),
  unexecuted: Type.Number({ description: 'Shares left unexecuted at the end because of the limit price' }),
  remainingAfter: Type.Number(),
  proposal: Type.Number({ description: "The policy's raw proposal before the constraints" }),
  policy: ResolvedPolicy,
  action: Type.Optional(Type.Integer()),
  fallback: Type.Optional(Type.Boolean()),
  fallbackReason: Type.Optional(Type.String()),
  cumulativeShortfall: Type.Optional(Type.Number({ description: 'IS of the fills so far, currency (absent when executedNotional is not sent after fills)' })),
  cumulativeShortfallBps: Type.Optional(Type.Number({ description: 'IS of the fills so far, bps of Q x P_arr' })),
  observation: Type.Optional(Type.Record(Type.String(), Type.Number())),
  qValues: Type.Optional(Type.Array(Type.Number())),
  mask: Type.Optional(Type.Array(Type.Boolean())),
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
  closed,
);
export type ScheduleRequestT = Static<typeof ScheduleRequest>;

export const ScheduleResponse = Type.Object({
  policy: ResolvedPolicy,
  steps: Type.Array(
    Type.Object({
      step: Type.Integer(),
      quantity: Type.Number(),
      holdingsAfter: Type.Number(),
      expectedCost: Type.Number(),
      forced: Type.Boolean(),
      capped: Type.Boolean(),
      limited: Type.Boolean(),
    }),
  ),
  totalQuantity: Type.Number(),
  unexecuted: Type.Number(),
  expectedCost: Type.Number({ description: 'Expected IS, currency, under the impact parameters' }),
  expectedCostBps: Type.Number(),
  costStd: Type.Number({ description: 'Standard deviation of the IS from the mid moves (sigma)' }),
});

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    details: Type.Array(Type.Object({ path: Type.String(), reason: Type.String() })),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

export const PoliciesResponse = Type.Object({
  baselines: Type.Array(Type.Object({ type: Type.String(), description: Type.String(), deterministic: Type.Boolean() })),
  models: Type.Array(
    Type.Object({
      name: Type.String(),
      version: Type.Optional(Type.String()),
      status: Type.String({ description: 'loaded, or failed with the reason' }),
      error: Type.Optional(Type.String()),
      summary: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
});
