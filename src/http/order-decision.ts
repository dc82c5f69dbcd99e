/**
 * One decision on a parent order, through the same machinery as POST /v1/decisions: the decision path (model,
 * version, fallback), the policy's proposal and the one constraint layer, with the ticket's own rules around it
 * (orders/slice.ts). Pure apart from the served model, so it runs inside the store's locked read-modify-write.
 */
import { cumulativeShortfall, shortfallBps } from '../core/costs.js';
import { DomainError, type FieldIssue } from '../core/errors.js';
import { baselineIssues, createBaseline } from '../core/policies/index.js';
import type { MarketState, Order } from '../core/types.js';
import { orderIssues } from '../core/validate.js';
import { coreOrder, currentStep, expireIfDue, mustBeWorking, OrderStateError, recordDecision, stepAt } from '../orders/lifecycle.js';
import { orderSlice } from '../orders/slice.js';
import type { DecisionRecord, ParentOrder, Ticket } from '../orders/types.js';
import type { ModelSource } from '../registry/served-models.js';
import { decideWithFallback, type ModelErrorListener } from './decision-path.js';
import { invalidRequest } from './errors.js';
import { requestDetails, type Detail } from './field-paths.js';
import type { BaselinePolicyT, PolicySpecT } from './schemas.js';

export interface OrderDecisionInput {
  readonly market: MarketState;
  readonly step?: number;
  readonly expectedVolume?: number;
  readonly marketVwap?: number;
}

/** What the store's change returns: a decision (new or the step's earlier one), or why none (after any expiry). */
export type OrderDecisionOutcome = { decision: DecisionRecord } | { error: OrderStateError };

/**
 * Checks a ticket's policy before the order exists: the baseline's own parameters and, for VWAP, its profile; the
 * issues at the ticket's fields (`policy`, or `policy.fallback` for a model's fallback).
 */
export function ticketPolicyDetails(ticket: Ticket): Detail[] {
  const spec = ticket.policy as PolicySpecT;
  const probe: Order = { side: ticket.side, quantity: ticket.quantity, horizon: ticket.horizon, step: 0, remaining: ticket.quantity };
  const market: MarketState = { bid: 1, ask: 1, volume: 1 };
  const check = (s: BaselinePolicyT, at: string): Detail[] => {
    const issues = baselineIssues(s, probe, market);
    if (issues.length) return requestDetails(issues, { policy: at });
    try {
      createBaseline(s);
      return [];
    } catch (err) {
      if (err instanceof DomainError) return requestDetails(err.issues, { policy: at });
      throw err;
    }
  };
  if (spec.type !== 'dqn') return check(spec, 'policy');
  return spec.fallback ? check(spec.fallback, 'policy.fallback') : [];
}

export interface DecideContext {
  readonly models: ModelSource;
  readonly now: number;
  readonly explain: boolean;
  readonly onModelError: ModelErrorListener;
}

/**
 * The store change of POST /v1/orders/{id}/decisions. The same step twice returns its first decision unchanged;
 * a step before the latest one, or an order that is not working, is an error (the order may still have expired).
 * @throws ApiError 400 (invalidRequest) for a market that breaks a rule; ApiErrors 404/503 from the policy.
 */
export function decideOnOrder(stored: ParentOrder, input: OrderDecisionInput, ctx: DecideContext): { order: ParentOrder; result: OrderDecisionOutcome } {
  const order = expireIfDue(stored, ctx.now);
  const fail = (message: string, issues: FieldIssue[]) => ({ order, result: { error: new OrderStateError(message, issues) } });
  const t = order.ticket;
  const step = input.step ?? stepAt(t, ctx.now);
  const earlier = order.decisions.find((d) => d.step === step);
  if (earlier) return { order, result: { decision: earlier } };
  if (order.status !== 'working') return fail(`order ${order.id} is ${order.status}, not working`, [{ field: 'status', reason: order.status }]);
  if (step < 0) return fail(`order ${order.id} starts at ${new Date(t.startTime).toISOString()}`, [{ field: 'step', reason: 'the order has not started' }]);
  if (step >= t.horizon) return fail(`step ${step} is past the order's horizon of ${t.horizon} steps`, [{ field: 'step', reason: `must be < ${t.horizon}` }]);
  const latest = currentStep(order);
  if (order.decisions.length > 0 && step < latest) {
    return fail(`step ${step} has passed: the order is at step ${latest}`, [{ field: 'step', reason: `must be >= ${latest}` }]);
  }
  mustBeWorking(order);

  const market = input.market;
  const core = coreOrder(order, step, market);
  const hasEstimate = input.expectedVolume !== undefined || market.averageVolume !== undefined;
  // The ticket's own fields were checked when the order opened: only the market's issues are this request's.
  const isVolume = (i: FieldIssue) => i.subject === 'market' && i.field === 'volume';
  const issues = orderIssues(core, market).filter((i) => i.subject === 'market' && !(hasEstimate && isVolume(i)));
  if (t.maxParticipation !== undefined && !hasEstimate && market.volume === undefined) {
    if (!issues.some(isVolume)) issues.push({ subject: 'market', field: 'volume', reason: 'is required by the ticket\'s maxParticipation (or send expectedVolume)' });
  }
  if (issues.length) throw invalidRequest(requestDetails(issues));

  // The one decision path of POST /v1/decisions: not found, missing fields, out of domain and model failures alike.
  const p = decideWithFallback(t.policy as PolicySpecT, core, market, ctx.models, ctx.explain, ctx.onModelError);
  const slice = orderSlice(t, core, market, p.proposal, input.expectedVolume);
  const arrival = core.arrivalPrice!;
  const shortfall = cumulativeShortfall(t.side, arrival, order.executedQuantity, order.executedNotional) + order.fees;
  const decision: DecisionRecord = {
    step,
    at: new Date(ctx.now).toISOString(),
    market,
    marketVwap: input.marketVwap,
    policy: p.policy,
    fallbackReason: p.fallbackReason,
    action: p.action,
    proposal: p.proposal,
    quantity: slice.quantity,
    forced: slice.forced,
    capped: slice.capped,
    limited: slice.limited,
    iWould: slice.iWould,
    unexecuted: slice.unexecuted,
    remaining: core.remaining,
    volumeEstimate: slice.volumeEstimate,
    capInfeasible: slice.capInfeasible,
    capShortfall: slice.capShortfall,
    cumulativeShortfall: shortfall,
    cumulativeShortfallBps: shortfallBps(shortfall, t.quantity, arrival),
    explain: p.explain,
  };
  return { order: recordDecision(order, decision), result: { decision } };
}
