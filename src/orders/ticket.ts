/**
 * The algo ticket as a desk sends it (IBKR's algo fields, FIX tags 847-849) turned into a Ticket with every default
 * filled in, or every broken rule naming its field of the ticket. Defaults: policy TWAP, 60-second steps, start now,
 * forceCompletion true, lot size 1.
 */
import { DomainError, type FieldIssue } from '../core/errors.js';
import type { Side } from '../core/types.js';
import { MAX_HORIZON } from '../core/limits.js';
import type { ImpactParams } from '../core/schedule.js';
import type { Ticket, TicketPolicy, Urgency } from './types.js';

export const DEFAULT_STEP_SECONDS = 60;
export const DEFAULT_POLICY: TicketPolicy = { type: 'twap' };

/**
 * Urgency as Almgren-Chriss's kappa x T (Almgren & Chriss 2000, sec. 3: the trade's "half-life" is 1/kappa):
 * low 0.5 trades almost evenly (TWAP), medium 2 front-loads moderately, high 6 trades most of the order in the
 * first sixth of the horizon. Scale-free, so one word means the same on any horizon, eta and sigma.
 */
export const URGENCY_KAPPA_T: Readonly<Record<Urgency, number>> = { low: 0.5, medium: 2, high: 6 };

/**
 * The risk aversion lambda that gives kappa = kappaT / T (AC eq. 18 with tau = 1, inverted):
 * lambda = eta_tilde x 2 (cosh kappa - 1) / sigma^2, eta_tilde = eta - gamma / 2.
 */
export function urgencyRiskAversion(urgency: Urgency, horizon: number, p: { eta: number; gamma: number; sigma: number }): number {
  const kappa = URGENCY_KAPPA_T[urgency] / horizon;
  return ((p.eta - p.gamma / 2) * 2 * (Math.cosh(kappa) - 1)) / (p.sigma * p.sigma);
}

export interface TicketInput {
  readonly side: Side;
  readonly quantity: number;
  readonly horizon?: number;
  readonly stepSeconds?: number;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly arrivalPrice?: number;
  readonly policy?: TicketPolicy;
  readonly limitPrice?: number;
  readonly iWouldPrice?: number;
  readonly maxParticipation?: number;
  readonly minParticipation?: number;
  readonly urgency?: Urgency;
  readonly forceCompletion?: boolean;
  readonly lotSize?: number;
  readonly clientOrderId?: string;
  readonly impact?: ImpactParams;
}

function time(issues: FieldIssue[], field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) issues.push({ field, reason: 'must be an ISO-8601 date-time, e.g. 2026-12-07T14:30:00Z' });
  return ms;
}

function nonFinite(issues: FieldIssue[], at: string, fields: object | undefined): void {
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (typeof v === 'number' && !Number.isFinite(v)) issues.push({ field: `${at}${k}`, reason: 'must be a finite number' });
  }
}

/** @throws DomainError with every broken rule. */
export function normalizeTicket(input: TicketInput, now: number): Ticket {
  const issues: FieldIssue[] = [];
  nonFinite(issues, '', input);
  nonFinite(issues, 'impact.', input.impact);
  nonFinite(issues, 'policy.', input.policy);
  const stepSeconds = input.stepSeconds ?? DEFAULT_STEP_SECONDS;
  const start = time(issues, 'startTime', input.startTime) ?? now;
  const end = time(issues, 'endTime', input.endTime);
  let horizon = input.horizon;
  if (horizon !== undefined && end !== undefined) {
    issues.push({ field: 'endTime', reason: 'give either horizon (steps) or endTime, not both' });
  } else if (horizon === undefined && end === undefined) {
    issues.push({ field: 'horizon', reason: 'is required (or startTime/endTime with stepSeconds)' });
  } else if (end !== undefined && Number.isFinite(end) && Number.isFinite(start)) {
    if (end <= start) issues.push({ field: 'endTime', reason: 'must be after startTime (default: now)' });
    else {
      horizon = Math.ceil((end - start) / (stepSeconds * 1000) - 1e-9);
      if (horizon > MAX_HORIZON) issues.push({ field: 'endTime', reason: `gives ${horizon} steps of ${stepSeconds} s; at most ${MAX_HORIZON}` });
    }
  }
  const lotSize = input.lotSize ?? 1;
  if (lotSize > input.quantity) issues.push({ field: 'lotSize', reason: `must be <= quantity (${input.quantity})` });
  if (input.minParticipation !== undefined && input.maxParticipation !== undefined && input.minParticipation > input.maxParticipation) {
    issues.push({ field: 'minParticipation', reason: `must be <= maxParticipation (${input.maxParticipation})` });
  }
  if (input.iWouldPrice !== undefined && input.limitPrice !== undefined) {
    const worse = input.side === 'sell' ? input.iWouldPrice < input.limitPrice : input.iWouldPrice > input.limitPrice;
    if (worse) issues.push({ field: 'iWouldPrice', reason: `must be at least as good as limitPrice (${input.limitPrice}) for a ${input.side}` });
  }
  let policy = input.policy ?? DEFAULT_POLICY;
  if (input.urgency !== undefined && policy.type !== 'almgren-chriss') {
    issues.push({ field: 'urgency', reason: `sets the almgren-chriss risk aversion; policy ${policy.type} has none` });
  }
  if (policy.type === 'almgren-chriss') {
    const given = policy.riskAversion !== undefined;
    if (given && input.urgency !== undefined) {
      issues.push({ field: 'urgency', reason: 'give either urgency or policy.riskAversion, not both' });
    } else if (!given && horizon !== undefined && issues.length === 0) {
      const p = policy as unknown as { eta: number; gamma: number; sigma: number };
      if (!(p.eta - p.gamma / 2 > 0)) issues.push({ field: 'policy.eta', reason: `eta - gamma/2 must be > 0 (eta_tilde = ${p.eta - p.gamma / 2}); raise eta or lower gamma` });
      else if (!(p.sigma > 0)) issues.push({ field: 'policy.sigma', reason: 'must be > 0 for urgency to set a risk aversion' });
      else policy = { ...policy, riskAversion: urgencyRiskAversion(input.urgency ?? 'medium', horizon, p) };
    }
  }
  if (issues.length) throw new DomainError(issues);
  const impact = input.impact ?? (policy.type === 'almgren-chriss' ? { eta: policy.eta as number, gamma: policy.gamma as number } : undefined);
  return {
    side: input.side,
    quantity: input.quantity,
    horizon: horizon!,
    stepSeconds,
    startTime: start,
    endTime: start + horizon! * stepSeconds * 1000,
    arrivalPrice: input.arrivalPrice,
    policy,
    limitPrice: input.limitPrice,
    iWouldPrice: input.iWouldPrice,
    maxParticipation: input.maxParticipation,
    minParticipation: input.minParticipation,
    urgency: input.urgency ?? (policy.type === 'almgren-chriss' && input.policy?.riskAversion === undefined ? 'medium' : undefined),
    forceCompletion: input.forceCompletion ?? true,
    lotSize,
    clientOrderId: input.clientOrderId,
    impact,
  };
}
