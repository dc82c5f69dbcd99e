/** The domain objects a decision is made from, by the names the domain gives them. */
export type Subject = 'order' | 'market' | 'policy';

/**
 * A domain rule broken by an input: which field, named within its object, and why. The HTTP layer places the
 * object in the request (src/http/field-paths.ts) and answers 400.
 */
export interface FieldIssue {
  /** The object the field belongs to; absent: the very input the check was given (a ticket, a fill). */
  readonly subject?: Subject;
  /** Within the object: `remaining`, `levels.0.bidPrice`; '' for the object as a whole. */
  readonly field: string;
  readonly reason: string;
}

/** The issue's field in the domain's own words: `order.remaining`, `market`, `endTime`. */
export function fieldName(issue: FieldIssue): string {
  return issue.subject && issue.field ? `${issue.subject}.${issue.field}` : (issue.subject ?? issue.field);
}

export class DomainError extends Error {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${fieldName(i)}: ${i.reason}`).join('; '));
    this.name = 'DomainError';
    this.issues = issues;
  }
}
