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
  observation: Type.Optional(Type.Record(Type.String(), Type.Number({ description: 'feature value (units of the feature)' }), { description: 'The model input by feature' })),
  qValues: Type.Optional(Type.Array(Type.Number({ description: 'expected return, bps' }), { description: 'Q-value per action' })),
  mask: Type.Optional(Type.Array(Type.Boolean(), { description: 'Which actions the constraints allowed' })),
};

const decisionFields = {
  step: Type.Integer({ description: 'k: the decision step, 0-based' }),
  quantity: Type.Number({ description: 'n_k: shares to trade in this step' }),
  forced: Type.Boolean({ description: 'The last step forced the remainder' }),
  capped: Type.Boolean({ description: 'The participation cap cut the proposal' }),
  limited: Type.Boolean({ description: 'The limit price blocked trading now' }),
  iWould: Type.Boolean({ description: 'The touch was at the I-would price or better' }),
  unexecuted: Type.Number({ description: 'Shares left unexecuted at the end (limit price, or forceCompletion false)' }),
  proposal: Type.Number({ description: "The policy's raw proposal before the constraints" }),
  policy: ResolvedPolicy,
  action: Type.Optional(Type.Integer({ description: 'Index of the action the model chose (dqn)' })),
  fallbackReason: Type.Optional(Type.String({ description: 'Why the fallback answered' })),
  volumeEstimate: Type.Optional(Type.Number({ description: 'The coming step\'s volume the cap was applied to' })),
  capInfeasible: Type.Boolean({ description: 'At the estimated volume the cap cannot finish the order in the steps left' }),
  capShortfall: Type.Number({ description: 'Shares the cap leaves undone at the estimated volume' }),
  cumulativeShortfall: Type.Optional(Type.Number({ description: 'IS of the fills so far, currency, fees included' })),
  cumulativeShortfallBps: Type.Optional(Type.Number({ description: 'IS of the fills so far, bps of Q x P_arr' })),
};

export const OrderDecisionResponse = Type.Object({
  orderId: Type.String(),
  ...decisionFields,
  remainingAfter: Type.Number({ description: 'Shares left after this slice' }),
  fallback: Type.Optional(Type.Boolean({ description: 'A fallback baseline answered instead of the model' })),
  ...Explain,
});

const AuditDecision = Type.Object({
  ...decisionFields,
  at: Type.String(),
  remaining: Type.Number({ description: 'Remaining before the slice' }),
  market: Type.Unknown({ description: 'The market sent with the decision' }),
  marketVwap: Type.Optional(Type.Number({ description: "The market's VWAP over the step, price units, as sent" })),
  explain: Type.Optional(Type.Object(Explain)),
});

const AuditFill = Type.Object({
  fillId: Type.String(),
  quantity: Type.Number({ description: 'Shares filled' }),
  price: Type.Number({ description: 'Fill price, price units' }),
  fee: Type.Number({ description: 'Fee of the fill, currency' }),
  time: Type.String(),
  receivedAt: Type.String(),
  step: Type.Integer({ description: 'The step of the latest decision when it arrived' }),
});

const TicketView = Type.Object({
  side: Type.String(),
  quantity: Type.Number({ description: 'Q: shares of the parent order' }),
  horizon: Type.Integer({ description: 'T: decision steps' }),
  stepSeconds: Type.Number({ description: 'Seconds per step' }),
  startTime: Type.String(),
  endTime: Type.String(),
  arrivalPrice: Type.Optional(Type.Number({ description: 'P_arr given on the ticket, price units' })),
  policy: Type.Unknown(),
  limitPrice: Type.Optional(Type.Number({ description: 'Price units: a sell never trades below it, a buy never above' })),
  iWouldPrice: Type.Optional(Type.Number({ description: 'Price units: at this price or better, trade up to the cap' })),
  maxParticipation: Type.Optional(Type.Number({ description: 'Cap on slice / estimated step volume (fraction)' })),
  minParticipation: Type.Optional(Type.Number({ description: 'Floor on slice / estimated step volume (fraction)' })),
  urgency: Type.Optional(Type.String()),
  forceCompletion: Type.Boolean(),
  lotSize: Type.Integer({ description: 'Slices are whole multiples of it, shares' }),
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
  remaining: Type.Number({ description: 'Shares still to execute' }),
  executedQuantity: Type.Number({ description: 'Shares filled so far' }),
  executedNotional: Type.Number({ description: 'Cash of the fills, currency' }),
  fees: Type.Number({ description: 'Fees of the fills, currency' }),
  averagePrice: Type.Optional(Type.Number({ description: 'Average fill price, price units' })),
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
  quantity: Type.Number({ description: 'Q, shares' }),
  executedQuantity: Type.Number({ description: 'Shares filled' }),
  unexecutedQuantity: Type.Number({ description: 'Shares not filled' }),
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
      fees: Type.Number({ description: 'Fees, currency' }),
      total: Type.Number({ description: 'delay + trading + opportunity + fees' }),
      totalBps: Type.Number({ description: 'total, bps of Q x P_arr' }),
    }),
  ),
  vwap: Type.Optional(Type.Object({ marketVwap: Type.Number({ description: "The market's VWAP over the decided steps, price units" }), slippage: Type.Number({ description: 'currency; positive = better than VWAP' }), slippageBps: Type.Number({ description: 'bps of executed notional at VWAP' }), steps: Type.Integer({ description: 'Steps with a market VWAP' }) })),
  participation: Type.Optional(Type.Object({ achieved: Type.Number({ description: 'Filled shares / market volume (fraction)' }), max: Type.Number({ description: 'Highest step participation (fraction)' }), steps: Type.Integer({ description: 'Steps with a market volume' }) })),
  twapEstimate: Type.Optional(
    Type.Object({
      label: Type.String(),
      eta: Type.Number({ description: 'Temporary impact per share traded in one step, price units' }),
      gamma: Type.Number({ description: 'Permanent impact per share, price units' }),
      twapCost: Type.Number({ description: "TWAP's estimated cost on the same snapshots, currency" }),
      twapCostBps: Type.Number({ description: 'the same, bps of Q x P_arr' }),
      scheduleCost: Type.Number({ description: "This order's schedule under the same model, currency" }),
      scheduleCostBps: Type.Number({ description: 'the same, bps of Q x P_arr' }),
    }),
  ),
  steps: Type.Array(
    Type.Object({
      step: Type.Integer({ description: 'k' }),
      decided: Type.Optional(Type.Number({ description: 'Shares the decision asked for' })),
      filled: Type.Number({ description: 'Shares filled in the step' }),
      marketVolume: Type.Optional(Type.Number({ description: 'The market volume sent for the step, shares' })),
      participation: Type.Optional(Type.Number({ description: 'filled / marketVolume (fraction)' })),
      twap: Type.Number({ description: "TWAP's slice at the step, shares" }),
    }),
  ),
  fills: Type.Array(Type.Object({ fillId: Type.String(), time: Type.String(), step: Type.Integer({ description: 'k' }), quantity: Type.Number({ description: 'shares' }), price: Type.Number({ description: 'price units' }), fee: Type.Number({ description: 'currency' }) })),
});
