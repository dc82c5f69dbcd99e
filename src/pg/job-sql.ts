/**
 * The SQL of the jobs table as pure functions (testable without a database). A job row is the truth about a job;
 * the pg-boss job that carries its id is only a wake-up for some worker, so every state change here is guarded
 * (a claim only takes a queued job, a worker writes only while it holds the job's lease).
 */
import type { JobRecord } from '../jobs/types.js';
import { qualified } from './sql.js';

export type JobPatch = Partial<Omit<JobRecord, 'id' | 'kind' | 'createdAt'>>;

/** JobRecord field -> column; the JSON ones are sent as JSON text. */
const COLUMNS: Record<keyof JobPatch, string> = {
  status: 'status',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  request: 'request',
  progress: 'progress',
  metrics: 'metrics',
  curve: 'curve',
  error: 'error',
  result: 'result',
};
const JSON_FIELDS = new Set<string>(['request', 'progress', 'metrics', 'curve', 'result']);

export const JOB_COLUMNS = 'id, kind, status, created_at, started_at, finished_at, request, progress, metrics, curve, error, result';

const param = (field: string, value: unknown): unknown => (value === undefined ? null : JSON_FIELDS.has(field) ? JSON.stringify(value) : value);

/**
 * UPDATE of the fields present in `patch` (a field present as undefined is cleared, as the file store drops it),
 * optionally only while `lease` holds the job. Returns the row after.
 * @throws Error on a field that is not a column (a programming error, not a request's).
 */
export function updateJobSql(schema: string, id: string, patch: JobPatch, lease?: string): { text: string; values: unknown[] } {
  const values: unknown[] = [id];
  const sets: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const column = COLUMNS[field as keyof JobPatch];
    if (!column) throw new Error(`not a job field: ${field}`);
    values.push(param(field, value));
    sets.push(`${column} = $${values.length}`);
  }
  if (sets.length === 0) sets.push('id = id');
  let where = 'id = $1';
  if (lease !== undefined) {
    values.push(lease);
    where += ` AND lease = $${values.length}`;
  }
  return { text: `UPDATE ${qualified(schema, 'jobs')} SET ${sets.join(', ')} WHERE ${where} RETURNING ${JOB_COLUMNS}`, values };
}

export function insertJobSql(schema: string, job: JobRecord, plan: unknown): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO ${qualified(schema, 'jobs')} (id, kind, status, created_at, started_at, finished_at, request, progress, metrics, curve, error, result, plan)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    values: [
      job.id,
      job.kind,
      job.status,
      job.createdAt,
      job.startedAt ?? null,
      job.finishedAt ?? null,
      JSON.stringify(job.request),
      JSON.stringify(job.progress),
      job.metrics === undefined ? null : JSON.stringify(job.metrics),
      JSON.stringify(job.curve),
      job.error ?? null,
      job.result === undefined ? null : JSON.stringify(job.result),
      plan === undefined ? null : JSON.stringify(plan),
    ],
  };
}

export const jobSql = (schema: string) => {
  const jobs = qualified(schema, 'jobs');
  return {
    get: `SELECT ${JOB_COLUMNS} FROM ${jobs} WHERE id = $1`,
    list: `SELECT ${JOB_COLUMNS} FROM ${jobs} WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT $4`,
    count: `SELECT count(*)::int AS total FROM ${jobs} WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)`,
    /** A worker takes a queued job: a second claimer (a duplicate wake-up) finds it no longer queued. */
    claim: `UPDATE ${jobs} SET status = 'running', started_at = now(), attempt = attempt + 1, lease = $2, worker = $3, heartbeat_at = now()
      WHERE id = $1 AND status = 'queued' RETURNING ${JOB_COLUMNS}, plan, attempt, cancel_requested`,
    /** Proves the worker alive (database time, so clocks of the machines do not matter) and reads the cancel flag. */
    heartbeat: `UPDATE ${jobs} SET heartbeat_at = now() WHERE id = $1 AND lease = $2 AND status = 'running' RETURNING cancel_requested`,
    cancelQueued: `UPDATE ${jobs} SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status = 'queued' RETURNING ${JOB_COLUMNS}`,
    requestCancel: `UPDATE ${jobs} SET cancel_requested = true WHERE id = $1 AND status = 'running' RETURNING id`,
    /** A worker stopping hands its job back as queued (an operator's stop is not the job's fault: no attempt used). */
    release: `UPDATE ${jobs} SET status = 'queued', attempt = greatest(attempt - 1, 0), lease = NULL, worker = NULL, heartbeat_at = NULL, started_at = NULL
      WHERE id = $1 AND lease = $2 AND status = 'running' RETURNING id`,
    /**
     * Settles jobs whose worker stopped heartbeating for longer than $1 ms: cancelled when a cancel was asked for,
     * queued again while attempts remain (< $2), else failed saying why. Row locks make concurrent sweepers safe.
     */
    sweep: `UPDATE ${jobs} SET
        status = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempt < $2::int THEN 'queued' ELSE 'failed' END,
        error = CASE WHEN cancel_requested OR attempt < $2::int THEN error
          ELSE 'interrupted: worker ' || coalesce(worker, '?') || ' stopped heartbeating (attempt ' || attempt || ' of ' || $2::int || ')' END,
        finished_at = CASE WHEN cancel_requested OR attempt >= $2::int THEN now() END,
        lease = NULL, worker = NULL, heartbeat_at = NULL
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
      RETURNING id, status, attempt`,
  };
};

export interface JobRow {
  id: string;
  kind: JobRecord['kind'];
  status: JobRecord['status'];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  request: Record<string, unknown>;
  progress: JobRecord['progress'];
  metrics: JobRecord['metrics'] | null;
  curve: JobRecord['curve'];
  error: string | null;
  result: Record<string, unknown> | null;
}

/** A row -> the record the API shows (absent, not null, where the file store has no field). */
export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    ...(row.started_at ? { startedAt: row.started_at.toISOString() } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    request: row.request,
    progress: row.progress,
    ...(row.metrics ? { metrics: row.metrics } : {}),
    curve: row.curve,
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.result ? { result: row.result } : {}),
  };
}
