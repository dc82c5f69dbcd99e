/**
 * The job queue the admin routes talk to, and its embedded implementation: jobs queued in memory and run in this
 * process (one worker thread each, at most `maxConcurrent` at once, the rest in order). A job's failure (a thrown
 * error, a NaN loss, a worker that dies) marks it failed with the reason; nothing a job does can take the service
 * down. Executing a job is executor.ts's; the PostgreSQL queue (src/pg/job-queue.ts) fills the same interface.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RegistryModelSource } from '../registry/model-source.js';
import { executeJob, totalOf, type Execution, type JobPlan, type RunnerLogger } from './executor.js';
import type { JobKind, JobRecord, JobStore } from './types.js';

export type { EvaluationPlan, JobPlan, RunnerLogger, TrainingPlan } from './executor.js';

/** What the admin routes need of a job queue, wherever the jobs run. */
export interface JobRunner {
  readonly store: JobStore;
  /** Records the job as queued and hands it to whoever runs jobs. */
  submit(kind: JobKind, request: Record<string, unknown>, plan: JobPlan): Promise<JobRecord>;
  /** Cancels a queued job at once and a running one within two seconds; answers the record after it. */
  cancel(id: string): Promise<JobRecord | undefined>;
  /** Stops taking jobs (the embedded queue also ends its running ones). */
  close(): Promise<void>;
}

export interface RunnerOptions {
  readonly store: JobStore;
  readonly models: RegistryModelSource;
  readonly dataDir: string;
  readonly maxConcurrent: number;
  readonly log?: RunnerLogger;
}

/** A fresh queued record for a plan. */
export function newJobRecord(kind: JobKind, request: Record<string, unknown>, plan: JobPlan): JobRecord {
  return {
    id: randomUUID(),
    kind,
    status: 'queued',
    createdAt: new Date().toISOString(),
    request,
    progress: { done: 0, total: totalOf(plan), percent: 0 },
    curve: [],
  };
}

export class LocalJobQueue implements JobRunner {
  private readonly queue: { id: string; plan: JobPlan }[] = [];
  private readonly running = new Map<string, Execution>();
  private closed = false;

  constructor(private readonly opts: RunnerOptions) {}

  get store(): JobStore {
    return this.opts.store;
  }

  /** Jobs a previous process left running are failed (their worker is gone); queued ones are not resumable
   * either, since their plan lived in memory, so they fail with the same reason. */
  async recover(): Promise<void> {
    for (const status of ['running', 'queued'] as const) {
      const { items } = await this.store.list({ status, offset: 0, limit: 100000 });
      for (const job of items) {
        await this.store.update(job.id, { status: 'failed', error: 'interrupted: the service restarted', finishedAt: new Date().toISOString() });
      }
    }
  }

  async submit(kind: JobKind, request: Record<string, unknown>, plan: JobPlan): Promise<JobRecord> {
    const job = newJobRecord(kind, request, plan);
    await this.store.create(job);
    this.queue.push({ id: job.id, plan });
    this.pump();
    return job;
  }

  /** Cancels a queued job at once and a running one by terminating its worker (well within two seconds). */
  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = await this.store.get(id);
    if (!job) return undefined;
    const running = this.running.get(id);
    if (running) {
      await running.stop();
      return this.store.get(id);
    }
    const at = this.queue.findIndex((q) => q.id === id);
    if (at >= 0) {
      this.queue.splice(at, 1);
      return this.store.update(id, { status: 'cancelled', finishedAt: new Date().toISOString() });
    }
    return job; // already finished: cancelling is a no-op
  }

  /** Stops taking jobs and ends the running ones (their records say why). */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) {
      await this.store.update(q.id, { status: 'failed', error: 'interrupted: the service stopped', finishedAt: new Date().toISOString() });
    }
    await Promise.all([...this.running.values()].map((r) => r.stop('interrupted: the service stopped')));
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.opts.maxConcurrent && this.queue.length > 0) {
      const next = this.queue.shift()!;
      const execution = executeJob(next.id, next.plan, {
        store: this.store,
        tmpDir: join(this.opts.dataDir, 'tmp'),
        log: this.opts.log,
        register: async (model, artifact, jobId) => {
          const version = await this.opts.models.store.addVersion(model, artifact, { source: 'training', jobId });
          await this.opts.models.refresh(model);
          return version;
        },
      });
      this.running.set(next.id, execution);
      void execution.finished.then(() => {
        this.running.delete(next.id);
        this.pump();
      });
    }
  }
}
