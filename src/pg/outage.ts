/**
 * Telling a database outage apart from a bug: the errors of a PostgreSQL that cannot be reached or went away.
 * The retry loop is hand-written on purpose: p-retry passed the same tests but took more of our lines, not fewer
 * (it does not hand its wait to the callback, so the log's delay had to be worked out again beside it).
 */

/** Node's socket errors, PostgreSQL's class 08 (connection exception), shutdown 57P01-57P03, too many connections. */
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);
/** node-postgres's own words for a lost or unobtainable connection. */
const DOWN_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|cannot reach PostgreSQL/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (typeof code === 'string' && (DOWN_CODES.has(code) || code.startsWith('08'))) || DOWN_MESSAGES.test(err.message);
}

export interface RetryOptions {
  /** First wait (ms), doubled after each failure up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Give up (rethrow the last error) after this long in total (ms). */
  readonly giveUpAfterMs?: number;
  readonly onRetry?: (err: Error, attempt: number, delayMs: number) => void;
}

/** Runs `fn`, and again with exponential backoff while the database is unavailable; any other error is thrown. */
export async function whileDatabaseDown<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const started = Date.now();
  let delay = opts.initialDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() - started + delay > (opts.giveUpAfterMs ?? 300_000)) throw err;
      opts.onRetry?.(err as Error, attempt, delay);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
    }
  }
}

/**
 * pg-boss does not await its `complete` after a handler returns (manager.js): with the database gone, that
 * rejection is unhandled and Node would end the worker, throwing its running jobs away. A database outage is
 * logged and survived (the job row is the truth; a wake-up left uncompleted is retried, then found stale);
 * any other unhandled rejection still ends the process, as a bug should. Returns the uninstaller.
 */
export function surviveDatabaseOutages(log: { warn(obj: object, msg?: string): void }): () => void {
  const handler = (reason: unknown) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    log.warn({ err: (reason as Error).message }, 'database unavailable: a background write failed; carrying on');
  };
  process.on('unhandledRejection', handler);
  return () => process.off('unhandledRejection', handler);
}
