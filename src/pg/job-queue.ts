/**
 * The job queue of an API replica on PostgreSQL: submitting writes the job row (with its plan) and a pg-boss
 * wake-up in one transaction; workers (src/worker.ts, any number, any machine) run it. Cancelling a queued job
 * is immediate; a running one gets its cancel flag set and a NOTIFY on the cancel channel, and the answer waits
 * (bounded) for the worker to write the final record, as the embedded queue does.
 */
import type PgBoss from 'pg-boss';
import type { JobPlan } from '../jobs/executor.js';
import { newJobRecord, type JobRunner } from '../jobs/runner.js';
import type { JobKind, JobRecord } from '../jobs/types.js';
import { sendWakeUp } from './boss.js';
import type { PgJobStore } from './job-store.js';
import { toStoredPlan } from './plan-codec.js';
import { channels } from './sql.js';
import { inTransaction } from './tx.js';

export interface PgJobQueueOptions {
  readonly store: PgJobStore;
  readonly boss: PgBoss;
  /** How long cancel waits for the worker's final record before answering what it has. */
  readonly cancelWaitMs?: number;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export class PgJobQueue implements JobRunner {
  constructor(private readonly opts: PgJobQueueOptions) {}

  get store(): PgJobStore {
    return this.opts.store;
  }

  async submit(kind: JobKind, request: Record<string, unknown>, plan: JobPlan): Promise<JobRecord> {
    const job = newJobRecord(kind, request, plan);
    await inTransaction(this.store.pool, async (client) => {
      await this.store.create(job, toStoredPlan(plan), client);
      await sendWakeUp(this.opts.boss, job.id, client);
    });
    return job;
  }

  async cancel(id: string): Promise<JobRecord | undefined> {
    const queued = await this.store.cancelQueued(id);
    if (queued) return queued;
    const asked = await inTransaction(this.store.pool, async (client) => {
      if (!(await this.store.requestCancel(id, client))) return false;
      await client.query('SELECT pg_notify($1, $2)', [channels(this.store.schema).cancel, id]);
      return true;
    });
    if (!asked) return this.store.get(id); // unknown (undefined) or already finished: a no-op
    const deadline = Date.now() + (this.opts.cancelWaitMs ?? 5000);
    for (;;) {
      const job = await this.store.get(id);
      if (!job || FINAL.has(job.status) || Date.now() > deadline) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Nothing runs here; the pool and pg-boss are closed by the services that own them. */
  async close(): Promise<void> {}
}
