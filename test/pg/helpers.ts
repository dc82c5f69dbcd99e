/**
 * PostgreSQL test set-up: the database from TEST_DATABASE_URL (CI exports it; .ci/run starts the local server),
 * one fresh schema per test (dropped, with its pg-boss schema, on teardown), after timgit/pg-boss test/hooks.ts.
 * Without TEST_DATABASE_URL the tests skip, saying why (test/environment.ts); with it set, an unreachable server
 * is a failure, so CI cannot silently skip them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import { databaseSkip } from '../environment.js';
import { bossSchemaOf, ident } from '../../src/pg/sql.js';

export const DEFAULT_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_URL = process.env.TEST_DATABASE_URL || DEFAULT_TEST_URL;

let reachable: Promise<string | undefined> | undefined;

/** undefined when the database answers; else why not. */
function probe(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_URL, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      return (err as Error).message || String((err as NodeJS.ErrnoException).code);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * Skips `t` (returning false) when no database was asked for (TEST_DATABASE_URL unset); fails it when
 * TEST_DATABASE_URL names one that cannot be reached.
 */
export async function needDatabase(t: Test): Promise<boolean> {
  const skip = databaseSkip();
  if (skip) {
    t.pass('PostgreSQL test', { skip });
    return false;
  }
  const why = await probe();
  if (!why) return true;
  t.fail(`TEST_DATABASE_URL=${TEST_URL} is unreachable: ${why}`);
  return false;
}

/** A schema name of its own for one test; it and its pg-boss schema are dropped on teardown. */
export function freshSchema(t: Test): string {
  const schema = `t_${randomBytes(5).toString('hex')}`;
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: TEST_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${ident(bossSchemaOf(schema))} CASCADE`);
    await client.end();
  });
  return schema;
}

/** A pool closed on teardown. */
export function testPool(t: Test, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: TEST_URL, max });
  pool.on('error', () => undefined);
  t.teardown(() => pool.end());
  return pool;
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
