/**
 * Turns a request's policy spec into something that decides: a baseline, or a served model with its optional
 * fallback. Domain checks that tie the policy to the order (profile length, volume for POV) live here, with the
 * field path the caller sent.
 */
import type { FieldIssue } from '../core/errors.js';
import { DomainError } from '../core/errors.js';
import { createBaseline, type BaselineSpec } from '../core/policies/index.js';
import type { MarketState, Order, Policy } from '../core/types.js';
import type { ModelSource, ServedModel } from '../plugins/models.js';
import { HttpError } from './errors.js';
import type { PolicySpecT } from './schemas.js';

export function baselineIssues(spec: BaselineSpec, order: Order, market: MarketState, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (spec.type === 'vwap' && spec.volumeProfile) {
    if (spec.volumeProfile.length !== order.horizon) {
      issues.push({ path: `${at}.volumeProfile`, reason: `must have ${order.horizon} entries (one per step of the horizon), got ${spec.volumeProfile.length}` });
    } else if (!spec.volumeProfile.slice(order.step).some((v) => v > 0)) {
      issues.push({ path: `${at}.volumeProfile`, reason: 'must have a positive entry at or after the current step' });
    }
  }
  if (spec.type === 'pov' && market.volume === undefined) {
    issues.push({ path: 'market.volume', reason: 'is required by the pov policy (slice = rate x volume)' });
  }
  return issues;
}

/** Builds a baseline, re-pathing its domain errors under `at` (policy or policy.fallback). */
export function buildBaseline(spec: BaselineSpec, at: string): Policy {
  try {
    return createBaseline(spec);
  } catch (err) {
    if (err instanceof DomainError) {
      throw new DomainError(err.issues.map((i) => ({ path: i.path.replace(/^policy/, at), reason: i.reason })));
    }
    throw err;
  }
}

export type Resolved =
  | { kind: 'baseline'; policy: Policy; type: string; fallbackReason?: string }
  | { kind: 'model'; model: ServedModel; fallback?: { type: string; policy: Policy } };

export function resolvePolicy(spec: PolicySpecT, order: Order, market: MarketState, models: ModelSource): Resolved {
  if (spec.type !== 'dqn') {
    const issues = baselineIssues(spec, order, market, 'policy');
    if (issues.length) throw new DomainError(issues);
    return { kind: 'baseline', policy: buildBaseline(spec, 'policy'), type: spec.type };
  }
  // Build the fallback up front: a bad fallback is a bad request even when the model serves.
  let fallback: { type: string; policy: Policy } | undefined;
  if (spec.fallback) {
    const issues = baselineIssues(spec.fallback, order, market, 'policy.fallback');
    if (issues.length) throw new DomainError(issues);
    fallback = { type: spec.fallback.type, policy: buildBaseline(spec.fallback, 'policy.fallback') };
  }
  const model = models.resolve(spec.model, spec.version);
  if (model) return { kind: 'model', model, fallback };
  const why = `model not found: ${spec.model}${spec.version ? `@${spec.version}` : ''}`;
  if (!fallback) throw new HttpError(404, why, [{ path: 'policy.model', reason: 'no loaded model serves it' }]);
  return { kind: 'baseline', policy: fallback.policy, type: fallback.type, fallbackReason: why };
}
