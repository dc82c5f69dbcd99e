/**
 * A request's baselines (its policy, or a model's fallback at `policy.fallback`): the core's checks and factory,
 * their issues answered as a 400 that names the fields where the request placed the policy.
 */
import { DomainError } from '../core/errors.js';
import { baselineIssues, createBaseline, type BaselineSpec } from '../core/policies/index.js';
import type { MarketState, Order, Policy } from '../core/types.js';
import { invalidRequest } from './errors.js';
import { requestDetails, type Detail } from './field-paths.js';

/** What ties the baseline at `at` to the order, as the request's fields (mapped only when there is any: every decision asks). */
export function baselineDetails(spec: BaselineSpec, order: Order, market: MarketState, at: string): Detail[] {
  const issues = baselineIssues(spec, order, market);
  return issues.length ? requestDetails(issues, { policy: at }) : [];
}

/** The baseline at `at`. @throws ApiError 400 naming its fields under `at` when its parameters are out of range. */
export function buildBaseline(spec: BaselineSpec, at: string): Policy {
  try {
    return createBaseline(spec);
  } catch (err) {
    if (err instanceof DomainError) throw invalidRequest(requestDetails(err.issues, { policy: at }));
    throw err;
  }
}
