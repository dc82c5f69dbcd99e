/**
 * The connection pool: settings from DATABASE_URL, limits that suit several replicas sharing one server (a few
 * connections each, a bounded wait for one), and a start-up check that turns "cannot connect" into a message
 * that says what to fix.
 */
import pg from 'pg';

export interface DatabaseOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Where our tables live (pg-boss uses `<schema>_boss`). */
  readonly schema: string;
  /** Connections per process in the pool (the listener and pg-boss have their own few). */
  readonly poolMax?: number;
}

export const DEFAULT_POOL_MAX = 8;

export class DatabaseUnavailableError extends Error {
  constructor(where: string, cause: Error) {
    super(
      `cannot reach PostgreSQL at ${where}: ${cause.message || (cause as NodeJS.ErrnoException).code || cause.name}. ` +
        'Check that the server runs and that DATABASE_URL (postgres://user:password@host:port/database) is right.',
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** host:port/database of a URL, without its credentials (safe to log). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function createPool(opts: DatabaseOptions, applicationName: string, onError?: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? DEFAULT_POOL_MAX,
    // A request waits at most this long for a connection instead of hanging when the server is gone.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    keepAlive: true,
    application_name: applicationName,
  });
  // An idle client losing its connection emits on the pool; unhandled, that would kill the process.
  pool.on('error', (err) => onError?.(err));
  return pool;
}

/** @throws DatabaseUnavailableError when the first connection fails. */
export async function checkReachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    throw new DatabaseUnavailableError(describeUrl(url), err as Error);
  }
}
