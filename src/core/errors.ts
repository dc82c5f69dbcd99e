/** A domain rule broken by an input: which field, and why. The HTTP layer maps it to a 400. */
export interface FieldIssue {
  readonly path: string;
  readonly reason: string;
}

export class DomainError extends Error {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.reason}`).join('; '));
    this.name = 'DomainError';
    this.issues = issues;
  }

  static field(path: string, reason: string): DomainError {
    return new DomainError([{ path, reason }]);
  }
}
