/**
 * The schema as versioned data (after pg-boss's migrationStore.ts/plans.ts): each migration is numbered, says what
 * it installs, and carries its SQL. `migrate` applies the pending ones in one transaction under an advisory lock,
 * so two replicas starting at once never race: the second waits, then finds nothing left to do. Never edit a
 * released migration; add the next number.
 */
import type pg from 'pg';
import { ADVISORY_KEY_SQL, checkSchema, ident, qualified } from './sql.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: readonly string[];
}

/** Every migration for `schema`, in order (pure: testable without a database). */
export function migrations(schema: string): Migration[] {
  const t = (table: string) => qualified(schema, table);
  return [
    {
      version: 1,
      description: 'registry (models, versions with their artifact bytes, aliases) and jobs',
      sql: [
        `CREATE TABLE ${t('models')} (
          name text PRIMARY KEY,
          next_version integer NOT NULL DEFAULT 1,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
        // model_json is json, not jsonb: the artifact's topology comes back byte-for-byte as it was stored.
        `CREATE TABLE ${t('model_versions')} (
          model text NOT NULL REFERENCES ${t('models')} (name) ON DELETE CASCADE,
          version integer NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          source text NOT NULL CHECK (source IN ('bundled', 'training', 'upload')),
          job_id text,
          metadata jsonb NOT NULL,
          model_json json NOT NULL,
          weights bytea NOT NULL,
          PRIMARY KEY (model, version)
        )`,
        // The foreign key makes "delete a version an alias points at" impossible even for a second writer.
        `CREATE TABLE ${t('model_aliases')} (
          model text NOT NULL,
          alias text NOT NULL,
          version integer NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (model, alias),
          FOREIGN KEY (model, version) REFERENCES ${t('model_versions')} (model, version) ON DELETE RESTRICT
        )`,
        `CREATE TABLE ${t('jobs')} (
          id text PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('training', 'evaluation')),
          status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
          created_at timestamptz NOT NULL,
          started_at timestamptz,
          finished_at timestamptz,
          request jsonb NOT NULL,
          progress jsonb NOT NULL,
          metrics jsonb,
          curve jsonb NOT NULL DEFAULT '[]',
          error text,
          result jsonb,
          plan jsonb
        )`,
        `CREATE INDEX jobs_created_idx ON ${t('jobs')} (created_at DESC, id DESC)`,
      ],
    },
    {
      version: 2,
      description: 'scale-out: job leases, heartbeats and cancel flags for workers on other machines',
      sql: [
        `ALTER TABLE ${t('jobs')}
          ADD COLUMN attempt integer NOT NULL DEFAULT 0,
          ADD COLUMN lease text,
          ADD COLUMN worker text,
          ADD COLUMN heartbeat_at timestamptz,
          ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false`,
        // A job running before this version has no heartbeat: start its clock now so the sweeper settles it
        // after the usual bound instead of never.
        `UPDATE ${t('jobs')} SET heartbeat_at = now(), attempt = 1 WHERE status = 'running'`,
        `CREATE INDEX jobs_running_heartbeat_idx ON ${t('jobs')} (heartbeat_at) WHERE status = 'running'`,
        `CREATE INDEX jobs_kind_status_idx ON ${t('jobs')} (kind, status, created_at DESC)`,
      ],
    },
    {
      version: 3,
      description: 'parent orders: ticket, decisions, fills and status of each order, one row per order',
      sql: [
        // body is json, not jsonb: the order comes back exactly as written (numbers and key order).
        `CREATE TABLE ${t('orders')} (
          id text PRIMARY KEY,
          client_order_id text UNIQUE,
          status text NOT NULL CHECK (status IN ('working', 'filled', 'cancelled', 'expired')),
          created_at timestamptz NOT NULL,
          end_time timestamptz NOT NULL,
          body json NOT NULL
        )`,
        `CREATE INDEX orders_status_created_idx ON ${t('orders')} (status, created_at, id)`,
        `CREATE INDEX orders_created_idx ON ${t('orders')} (created_at, id)`,
        `CREATE INDEX orders_working_end_idx ON ${t('orders')} (end_time) WHERE status = 'working'`,
      ],
    },
  ];
}

export const LATEST_VERSION = migrations('x').at(-1)!.version;

/** The migrations that take `schema` from `from` to `to`, in order. */
export function pendingMigrations(schema: string, from: number, to: number = LATEST_VERSION): Migration[] {
  return migrations(schema).filter((m) => m.version > from && m.version <= to);
}

export const versionTableSql = (schema: string) =>
  `CREATE TABLE IF NOT EXISTS ${qualified(schema, 'schema_migrations')} (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

export const currentVersionSql = (schema: string) => `SELECT coalesce(max(version), 0) AS version FROM ${qualified(schema, 'schema_migrations')}`;

export const recordVersionSql = (schema: string) => `INSERT INTO ${qualified(schema, 'schema_migrations')} (version, description) VALUES ($1, $2)`;

export class SchemaTooNewError extends Error {
  constructor(schema: string, found: number) {
    super(`database schema "${schema}" is at version ${found}, newer than this build knows (${LATEST_VERSION}): deploy the newer build, or point DATABASE_SCHEMA elsewhere`);
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings `schema` to `target` (the latest by default; tests stop at earlier versions) and returns the versions
 * before and after. Everything happens in one transaction: a failed migration leaves the schema as it was.
 * @throws SchemaTooNewError when the database is ahead of this build.
 */
export async function migrate(pool: pg.Pool, schema: string, target: number = LATEST_VERSION): Promise<{ from: number; to: number }> {
  checkSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Transaction-scoped: released by COMMIT or ROLLBACK, even if this process dies mid-way.
    await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY_SQL})`, [`ess-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await client.query(versionTableSql(schema));
    const from = Number((await client.query<{ version: number }>(currentVersionSql(schema))).rows[0]!.version);
    if (from > LATEST_VERSION) throw new SchemaTooNewError(schema, from);
    const pending = pendingMigrations(schema, from, target);
    for (const m of pending) {
      for (const statement of m.sql) await client.query(statement);
      await client.query(recordVersionSql(schema), [m.version, m.description]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, pending.at(-1)?.version ?? from) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
