/**
 * Builds a request's baselines (the policy itself or a model's fallback). Domain checks that tie the policy to the
 * order (profile length, volume for POV) live here, with the field path the caller sent.
 */
import type { FieldIssue } from '../core/errors.js';
import { DomainError } from '../core/errors.js';
import { createBaseline, type BaselineSpec } from '../core/policies/index.js';
import type { MarketState, Order, Policy } from '../core/types.js';

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
