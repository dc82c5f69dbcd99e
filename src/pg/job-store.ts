/**
 * Jobs in PostgreSQL, behind the same JobStore interface as the file store, plus what workers on other machines
 * need: claiming a queued job under a lease, heartbeats that also read the cancel flag, writes guarded by the
 * lease (a worker that lost its job cannot overwrite the next attempt), and the sweep of jobs whose worker died.
 */
import type pg from 'pg';
import type { JobFilter, JobRecord, JobStore } from '../jobs/types.js';
import { insertJobSql, jobSql, toJobRecord, updateJobSql, type JobPatch, type JobRow } from './job-sql.js';

/** The job moved on without this worker (cancelled, swept, taken by another attempt). */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`job ${id}: this worker no longer holds it (cancelled, or declared lost and handed on)`);
    this.name = 'LeaseLostError';
  }
}

export interface ClaimedJob {
  readonly record: JobRecord;
  readonly plan: unknown;
  readonly attempt: number;
  readonly cancelRequested: boolean;
}

type Db = pg.Pool | pg.PoolClient;

export class PgJobStore implements JobStore {
  private readonly sql: ReturnType<typeof jobSql>;

  constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.sql = jobSql(schema);
  }

  async create(job: JobRecord, plan?: unknown, db: Db = this.pool): Promise<void> {
    const { text, values } = insertJobSql(this.schema, job, plan);
    await db.query(text, values);
  }

  async update(id: string, patch: JobPatch): Promise<JobRecord> {
    const { text, values } = updateJobSql(this.schema, id, patch);
    const row = (await this.pool.query<JobRow>(text, values)).rows[0];
    if (!row) throw new Error(`job not found: ${id}`);
    return toJobRecord(row);
  }

  /** @throws LeaseLostError when `lease` no longer holds the job. */
  async updateLeased(id: string, lease: string, patch: JobPatch): Promise<JobRecord> {
    const { text, values } = updateJobSql(this.schema, id, patch, lease);
    const row = (await this.pool.query<JobRow>(text, values)).rows[0];
    if (!row) throw new LeaseLostError(id);
    return toJobRecord(row);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = (await this.pool.query<JobRow>(this.sql.get, [id])).rows[0];
    return row ? toJobRecord(row) : undefined;
  }

  async list(filter: JobFilter): Promise<{ items: JobRecord[]; total: number }> {
    const where = [filter.kind ?? null, filter.status ?? null];
    const [items, count] = await Promise.all([
      this.pool.query<JobRow>(this.sql.list, [...where, filter.offset, filter.limit]),
      this.pool.query<{ total: number }>(this.sql.count, where),
    ]);
    return { items: items.rows.map(toJobRecord), total: count.rows[0]!.total };
  }

  async claim(id: string, lease: string, worker: string): Promise<ClaimedJob | undefined> {
    const row = (await this.pool.query<JobRow & { plan: unknown; attempt: number; cancel_requested: boolean }>(this.sql.claim, [id, lease, worker])).rows[0];
    return row ? { record: toJobRecord(row), plan: row.plan, attempt: row.attempt, cancelRequested: row.cancel_requested } : undefined;
  }

  /** undefined: the lease is lost; else whether a cancel was asked for. */
  async heartbeat(id: string, lease: string): Promise<{ cancelRequested: boolean } | undefined> {
    const row = (await this.pool.query<{ cancel_requested: boolean }>(this.sql.heartbeat, [id, lease])).rows[0];
    return row ? { cancelRequested: row.cancel_requested } : undefined;
  }

  async cancelQueued(id: string, db: Db = this.pool): Promise<JobRecord | undefined> {
    const row = (await db.query<JobRow>(this.sql.cancelQueued, [id])).rows[0];
    return row ? toJobRecord(row) : undefined;
  }

  async requestCancel(id: string, db: Db = this.pool): Promise<boolean> {
    return ((await db.query(this.sql.requestCancel, [id])).rowCount ?? 0) > 0;
  }

  async release(id: string, lease: string, db: Db = this.pool): Promise<boolean> {
    return ((await db.query(this.sql.release, [id, lease])).rowCount ?? 0) > 0;
  }

  async sweep(lostAfterMs: number, maxAttempts: number, db: Db = this.pool): Promise<{ id: string; status: string; attempt: number }[]> {
    return (await db.query<{ id: string; status: string; attempt: number }>(this.sql.sweep, [lostAfterMs, maxAttempts])).rows;
  }
}
