/**
 * Counts failed admin authentications per client address in a fixed window: after `max` failures the client is
 * refused (429 with Retry-After) until its window ends, whatever token it sends, so guessing the token costs a
 * window per `max` guesses. Entries expire with their window; the map is pruned as it grows.
 */
export interface AuthFailureLimit {
  /** Failures allowed per client and window. */
  readonly max: number;
  readonly windowMs: number;
}

const PRUNE_AT = 10_000;

export class AuthFailures {
  private readonly clients = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly limit: AuthFailureLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the client may try again, or 0 when it may now. */
  blockedFor(client: string): number {
    const entry = this.clients.get(client);
    if (!entry) return 0;
    const left = entry.resetAt - this.now();
    if (left <= 0) {
      this.clients.delete(client);
      return 0;
    }
    return entry.failures >= this.limit.max ? Math.ceil(left / 1000) : 0;
  }

  /** Records a failure; @returns the client's failures in its window so far. */
  fail(client: string): number {
    const now = this.now();
    let entry = this.clients.get(client);
    if (!entry || entry.resetAt <= now) {
      if (this.clients.size >= PRUNE_AT) this.prune(now);
      entry = { failures: 0, resetAt: now + this.limit.windowMs };
      this.clients.set(client, entry);
    }
    entry.failures += 1;
    return entry.failures;
  }

  private prune(now: number): void {
    for (const [client, entry] of this.clients) if (entry.resetAt <= now) this.clients.delete(client);
  }
}
