/**
 * Schemas of the parent-order routes (/v1/orders), with the examples Swagger shows. The policy is any policy of
 * /v1/decisions; on an order, Almgren-Chriss may leave riskAversion out and take it from the ticket's urgency.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { AlmgrenChrissPolicy, DqnPolicy, ImpactSchema, MarketSchema, PovPolicy, ResolvedPolicy, TwapPolicy, VwapPolicy } from './schemas.js';

const closed = { additionalProperties: false } as const;
const Price = (description: string) => Type.Number({ exclusiveMinimum: 0, description });
const Side = Type.Union([Type.Literal('sell'), Type.Literal('buy')]);
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$', description });
const Time = (description: string) => Type.String({ minLength: 10, maxLength: 40, description: `${description} (ISO-8601, e.g. 2026-12-07T14:30:00Z)` });

function tagged<T extends TSchema[]>(branches: [...T], description: string) {
  return Type.Unsafe<Static<T[number]>>({ type: 'object', oneOf: branches, discriminator: { propertyName: 'type' }, description });
}

const { riskAversion, ...acRest } = AlmgrenChrissPolicy.properties;
export const OrderAlmgrenChrissPolicy = Type.Object(
  { ...acRest, riskAversion: Type.Optional(Type.Number({ ...riskAversion, description: 'lambda; default: from the ticket\'s urgency (medium)' })) },
  { ...closed, title: 'Almgren-Chriss (order)' },
);
export const OrderPolicy = tagged([TwapPolicy, VwapPolicy, PovPolicy, OrderAlmgrenChrissPolicy, DqnPolicy], 'The policy that decides every slice (default: TWAP)');

export const OrderTicket = Type.Object(
  {
    side: Side,
    quantity: Type.Integer({ minimum: 1, maximum: 1e12, description: 'Q: parent order size, shares' }),
    horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'T: decision steps (or give endTime)' })),
    stepSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86400, description: 'Length of a step (default 60)' })),
    startTime: Type.Optional(Time('First step begins (default: now)')),
    endTime: Type.Optional(Time('End of the horizon instead of `horizon`: ceil((end - start) / stepSeconds) steps')),
    arrivalPrice: Type.Optional(Price('Decision price P_arr; default: the touch at the first decision')),
    policy: Type.Optional(OrderPolicy),
    limitPrice: Type.Optional(Price('A sell never trades below it, a buy never above it')),
    iWouldPrice: Type.Optional(Price('At this price or better, trade as much as the cap allows')),
    maxParticipation: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Cap on slice / estimated volume of the coming step' })),
    minParticipation: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Floor on slice / estimated volume of the coming step' })),
    urgency: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')], { description: 'Almgren-Chriss only: kappa x T = 0.5, 2 or 6' })),
    forceCompletion: Type.Optional(Type.Boolean({ description: 'Default true: the last step trades the rest, even over the cap; false leaves it unexecuted' })),
    lotSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Slices are multiples of it except the last remainder (default 1)' })),
    clientOrderId: Type.Optional(Id('Your id: sending it again returns the same order')),
    impact: Type.Optional(ImpactSchema),
  },
  {
    ...closed,
    examples: [
      { side: 'sell', quantity: 100000, horizon: 20, stepSeconds: 60, policy: { type: 'twap' }, maxParticipation: 0.2, lotSize: 100, clientOrderId: 'desk-42' },
    ],
  },
);
export type OrderTicketT = Static<typeof OrderTicket>;

export const OrderIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128, description: 'Order id (from POST /v1/orders)', examples: ['6631b28e-5059-4baa-a7dc-d1d239d43b9f'] }) },
  closed,
);

export const OrderDecisionRequest = Type.Object(
  {
    market: MarketSchema,
    step: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: 'The step to decide (replays, simulations); default: the step the clock is in' })),
    expectedVolume: Type.Optional(Type.Number({ minimum: 0, description: 'Your forecast of the coming step\'s market volume (the cap applies to it)' })),
    marketVwap: Type.Optional(Price('The market\'s VWAP over the previous step (the TCA\'s interval VWAP)')),
  },
  { ...closed, examples: [{ step: 0, market: { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, averageVolume: 50000, volatility: 0.05 } }] },
);

export const FillRequest = Type.Object(
  {
    fillId: Id('Your id of the fill: a repeat changes nothing'),
    quantity: Type.Integer({ minimum: 1, description: 'Shares filled' }),
    price: Price('Fill price'),
    time: Type.Optional(Time('Execution time (default: when received)')),
    fee: Type.Optional(Type.Number({ minimum: 0, description: 'Fees of the fill, currency (added to the shortfall)' })),
    side: Type.Optional(Side),
  },
  { ...closed, examples: [{ fillId: 'exec-0001', quantity: 5000, price: 99.94, fee: 2.5 }] },
);

export const OrderListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('working'), Type.Literal('filled'), Type.Literal('cancelled'), Type.Literal('expired')], { examples: ['working'] })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'Page size, 1-200 (default 50)', examples: ['50'] })),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'nextCursor of the previous page' })),
  },
  closed,
);

export const ExplainOrderQuery = Type.Object(
  { explain: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Keep (decision) or show (GET) the observation, Q-values and mask of dqn decisions', examples: ['true'] })) },
  closed,
);

export const TcaQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'html: a page with charts', examples: ['html'] })) }, closed);

const Explain = {
  observation: Type.Optional(Type.Record(Type.String(), Type.Number())),
  qValues: Type.Optional(Type.Array(Type.Number())),
  mask: Type.Optional(Type.Array(Type.Boolean())),
};

const decisionFields = {
  step: Type.Integer(),
  quantity: Type.Number({ description: 'n_k: shares to trade in this step' }),
  forced: Type.Boolean({ description: 'The last step forced the remainder' }),
  capped: Type.Boolean({ description: 'The participation cap cut the proposal' }),
  limited: Type.Boolean({ description: 'The limit price blocked trading now' }),
  iWould: Type.Boolean({ description: 'The touch was at the I-would price or better' }),
  unexecuted: Type.Number({ description: 'Shares left unexecuted at the end (limit price, or forceCompletion false)' }),
  proposal: Type.Number({ description: "The policy's raw proposal before the constraints" }),
  policy: ResolvedPolicy,
  action: Type.Optional(Type.Integer()),
  fallbackReason: Type.Optional(Type.String()),
  volumeEstimate: Type.Optional(Type.Number({ description: 'The coming step\'s volume the cap was applied to' })),
  capInfeasible: Type.Boolean({ description: 'At the estimated volume the cap cannot finish the order in the steps left' }),
  capShortfall: Type.Number({ description: 'Shares the cap leaves undone at the estimated volume' }),
  cumulativeShortfall: Type.Optional(Type.Number({ description: 'IS of the fills so far, currency, fees included' })),
  cumulativeShortfallBps: Type.Optional(Type.Number()),
};

export const OrderDecisionResponse = Type.Object({
  orderId: Type.String(),
  ...decisionFields,
  remainingAfter: Type.Number(),
  fallback: Type.Optional(Type.Boolean()),
  ...Explain,
});

const AuditDecision = Type.Object({
  ...decisionFields,
  at: Type.String(),
  remaining: Type.Number({ description: 'Remaining before the slice' }),
  market: Type.Unknown({ description: 'The market sent with the decision' }),
  marketVwap: Type.Optional(Type.Number()),
  explain: Type.Optional(Type.Object(Explain)),
});

const AuditFill = Type.Object({
  fillId: Type.String(),
  quantity: Type.Number(),
  price: Type.Number(),
  fee: Type.Number(),
  time: Type.String(),
  receivedAt: Type.String(),
  step: Type.Integer({ description: 'The step of the latest decision when it arrived' }),
});

const TicketView = Type.Object({
  side: Type.String(),
  quantity: Type.Number(),
  horizon: Type.Integer(),
  stepSeconds: Type.Number(),
  startTime: Type.String(),
  endTime: Type.String(),
  arrivalPrice: Type.Optional(Type.Number()),
  policy: Type.Unknown(),
  limitPrice: Type.Optional(Type.Number()),
  iWouldPrice: Type.Optional(Type.Number()),
  maxParticipation: Type.Optional(Type.Number()),
  minParticipation: Type.Optional(Type.Number()),
  urgency: Type.Optional(Type.String()),
  forceCompletion: Type.Boolean(),
  lotSize: Type.Integer(),
  clientOrderId: Type.Optional(Type.String()),
  impact: Type.Optional(Type.Unknown()),
});

export const OrderResponse = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'working, filled, cancelled or expired' }),
  createdAt: Type.String(),
  closedAt: Type.Optional(Type.String()),
  ticket: TicketView,
  arrivalPrice: Type.Optional(Type.Number({ description: 'P_arr in use' })),
  step: Type.Integer({ description: 'The step of the latest decision (0 before any)' }),
  remaining: Type.Number(),
  executedQuantity: Type.Number(),
  executedNotional: Type.Number(),
  fees: Type.Number(),
  averagePrice: Type.Optional(Type.Number()),
  shortfall: Type.Optional(Type.Number({ description: 'IS of the fills, currency, fees included' })),
  shortfallBps: Type.Optional(Type.Number({ description: 'IS of the fills, bps of Q x P_arr' })),
  unexecuted: Type.Optional(Type.Number({ description: 'Shares left when it closed' })),
  decisions: Type.Optional(Type.Array(AuditDecision, { description: 'Audit trail (GET): every decision in order' })),
  fills: Type.Optional(Type.Array(AuditFill, { description: 'Audit trail (GET): every fill in order' })),
});

export const OrderList = Type.Object({ orders: Type.Array(OrderResponse), nextCursor: Type.Optional(Type.String()) });

const Money = (description: string) => Type.Optional(Type.Number({ description }));
export const TcaResponse = Type.Object({
  orderId: Type.String(),
  side: Type.String(),
  status: Type.String(),
  quantity: Type.Number(),
  executedQuantity: Type.Number(),
  unexecutedQuantity: Type.Number(),
  arrivalPrice: Money('P_arr: the ticket\'s, or the touch at the first decision'),
  startPrice: Money('The touch at the first decision'),
  endPrice: Money('The touch at the last decision'),
  averagePrice: Money('Average fill price'),
  shortfall: Money('IS of the executed shares, fees included, currency'),
  shortfallBps: Money('IS, bps of Q x P_arr'),
  decomposition: Type.Optional(
    Type.Object({
      delay: Type.Number({ description: '(P_arr - start price) x executed, signed by side' }),
      trading: Type.Number({ description: '(start price - fill prices) x shares: spread and impact' }),
      opportunity: Type.Number({ description: '(P_arr - end price) x unexecuted shares' }),
      fees: Type.Number(),
      total: Type.Number({ description: 'delay + trading + opportunity + fees' }),
      totalBps: Type.Number(),
    }),
  ),
  vwap: Type.Optional(Type.Object({ marketVwap: Type.Number(), slippage: Type.Number({ description: 'positive = better than VWAP' }), slippageBps: Type.Number(), steps: Type.Integer() })),
  participation: Type.Optional(Type.Object({ achieved: Type.Number(), max: Type.Number(), steps: Type.Integer() })),
  twapEstimate: Type.Optional(
    Type.Object({
      label: Type.String(),
      eta: Type.Number(),
      gamma: Type.Number(),
      twapCost: Type.Number(),
      twapCostBps: Type.Number(),
      scheduleCost: Type.Number(),
      scheduleCostBps: Type.Number(),
    }),
  ),
  steps: Type.Array(
    Type.Object({
      step: Type.Integer(),
      decided: Type.Optional(Type.Number()),
      filled: Type.Number(),
      marketVolume: Type.Optional(Type.Number()),
      participation: Type.Optional(Type.Number()),
      twap: Type.Number(),
    }),
  ),
  fills: Type.Array(Type.Object({ fillId: Type.String(), time: Type.String(), step: Type.Integer(), quantity: Type.Number(), price: Type.Number(), fee: Type.Number() })),
});
