/**
 * The one mapping from the core's field issues (a field named within its domain object) to the request's field
 * paths in an error's details. A decision request carries the order, the market and the policy under their own
 * names; an issue about the input itself (a ticket, a fill, an order's status) is about the request body.
 */
import type { FieldIssue, Subject } from '../core/errors.js';

/** One field at fault in an error body: its dotted path in the request (`order.remaining`, `querystring.limit`) and why. */
export interface Detail {
  readonly path: string;
  readonly reason: string;
}

/** Where a request carries each domain object: the path of its fields. */
export type Placement = Readonly<Record<Subject, string>>;

const REQUEST_BODY: Placement = { order: 'order', market: 'market', policy: 'policy' };

/** The issues at their request paths; `moved` places an object elsewhere (a model's fallback: policy.fallback). */
export function requestDetails(issues: readonly FieldIssue[], moved: Partial<Placement> = {}): Detail[] {
  return issues.map((issue) => {
    const at = issue.subject === undefined ? '' : (moved[issue.subject] ?? REQUEST_BODY[issue.subject]);
    return { path: at && issue.field ? `${at}.${issue.field}` : at || issue.field, reason: issue.reason };
  });
}
