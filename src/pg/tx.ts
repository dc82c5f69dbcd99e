/** Transactions and cross-process locks over a pool. */
import type pg from 'pg';
import { ADVISORY_KEY_SQL } from './sql.js';

/** Runs `work` in a transaction on one client: COMMIT on success, ROLLBACK on any error (rethrown). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no error listener of the pool's: a connection lost mid-transaction (the database
  // restarting) would be an uncaught 'error' that ends the process. The query in flight fails with it anyway;
  // the broken client is handed back with the error, so the pool discards it.
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const out = await work(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/**
 * Runs `work` while holding a transaction-scoped advisory lock on `key`, so one process at a time does it across
 * every replica (e.g. importing the bundled models into an empty registry). The lock dies with the connection.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY_SQL})`, [key]);
    return work();
  });
}
