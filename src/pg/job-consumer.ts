/**
 * A worker process's side of the queue: takes wake-ups from pg-boss (at most `maxConcurrent` jobs at once),
 * claims the job row under a fresh lease, loads its plan and runs it in a worker thread (jobs/executor.ts) with
 * every write guarded by the lease. While it runs, a heartbeat proves the worker alive and reads the cancel flag;
 * a NOTIFY on the cancel channel stops it sooner. A worker that stops hands its jobs back as queued.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { executeJob, type Execution, type RunnerLogger } from '../jobs/executor.js';
import type { JobStore } from '../jobs/types.js';
import type { RegistryStore } from '../registry/types.js';
import { JOB_QUEUE, sendWakeUp, type WakeUp } from './boss.js';
import type { PgJobStore } from './job-store.js';
import { Listener } from './listener.js';
import { loadPlan, type StoredPlan } from './plan-codec.js';
import { whileDatabaseDown, type RetryOptions } from './outage.js';
import { channels } from './sql.js';
import { inTransaction } from './tx.js';

export interface PgJobConsumerOptions {
  readonly url: string;
  readonly schema: string;
  readonly store: PgJobStore;
  readonly registry: RegistryStore;
  readonly boss: PgBoss;
  /** Scratch space for training output on this machine. */
  readonly tmpDir: string;
  readonly maxConcurrent: number;
  /** A running job whose heartbeat is older than this is declared lost (see sweeper.ts). */
  readonly lostAfterMs: number;
  readonly log?: RunnerLogger;
  readonly id?: string;
  /** Backoff of a final write (result, status, new version) while the database is away (tests shorten it). */
  readonly retry?: RetryOptions;
}

interface Held {
  readonly lease: string;
  execution?: Execution;
  leaseLost: boolean;
}

export class PgJobConsumer {
  readonly id: string;
  private readonly held = new Map<string, Held>();
  private readonly listener: Listener;
  private stopping = false;

  constructor(private readonly opts: PgJobConsumerOptions) {
    this.id = opts.id ?? `${hostname()}:${process.pid}`;
    this.listener = new Listener({
      url: opts.url,
      channels: [channels(opts.schema).cancel],
      applicationName: 'ess-worker-cancel-listener',
      log: opts.log,
      onNotification: (_channel, jobId) => void this.held.get(jobId)?.execution?.stop(),
    });
  }

  /** Heartbeats well inside the bound, so one slow write does not get a live job declared lost. */
  get heartbeatMs(): number {
    return Math.max(100, Math.min(1000, Math.floor(this.opts.lostAfterMs / 4)));
  }

  get running(): string[] {
    return [...this.held.keys()];
  }

  async start(): Promise<void> {
    await this.listener.start();
    // pg-boss 10 runs one handler call at a time per work(): one subscription per slot.
    for (let i = 0; i < this.opts.maxConcurrent; i++) {
      await this.opts.boss.work<WakeUp>(JOB_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([wakeUp]) => {
        if (wakeUp) await this.handle(wakeUp.data.jobId);
      });
    }
  }

  private async handle(jobId: string): Promise<void> {
    // Thrown, not returned: pg-boss retries the wake-up later, for another worker.
    if (this.stopping) throw new Error('worker stopping');
    const { store, log } = this.opts;
    const held: Held = { lease: randomUUID(), leaseLost: false };
    const claimed = await store.claim(jobId, held.lease, this.id);
    if (!claimed) return; // cancelled, finished, or taken by another worker: a stale wake-up
    this.held.set(jobId, held);
    log?.info({ job: jobId, kind: claimed.record.kind, attempt: claimed.attempt, worker: this.id }, 'job claimed');
    // A job's outcome (its result, its final status, the trained version) survives a database outage: those writes
    // are tried again with backoff until the database is back; progress writes are not worth the wait.
    const retry: RetryOptions = {
      ...this.opts.retry,
      onRetry: (err, attempt, delayMs) => log?.warn({ job: jobId, attempt, delayMs, err: err.message }, 'database unavailable; retrying the write'),
    };
    const leased: JobStore = {
      create: (job) => store.create(job),
      get: (id) => store.get(id),
      list: (filter) => store.list(filter),
      update: (id, patch) =>
        patch.status !== undefined || patch.result !== undefined
          ? whileDatabaseDown(() => store.updateLeased(id, held.lease, patch), retry)
          : store.updateLeased(id, held.lease, patch),
    };
    const beat = setInterval(() => {
      store.heartbeat(jobId, held.lease).then(
        (state) => {
          if (!state) {
            held.leaseLost = true;
            void held.execution?.stop('lease lost');
          } else if (state.cancelRequested) void held.execution?.stop();
        },
        (err) => log?.warn({ job: jobId, err: (err as Error).message }, 'heartbeat failed'),
      );
    }, this.heartbeatMs);
    try {
      let plan;
      try {
        plan = await loadPlan(claimed.plan as StoredPlan, this.opts.registry);
      } catch (err) {
        await store.updateLeased(jobId, held.lease, { status: 'failed', error: `cannot start: ${(err as Error).message}`, finishedAt: new Date().toISOString() });
        return;
      }
      held.execution = executeJob(
        jobId,
        plan,
        {
          store: leased,
          tmpDir: this.opts.tmpDir,
          log,
          // The NOTIFY that commits with the new version tells every API replica to load it.
          register: (model, artifact, id) => whileDatabaseDown(() => this.opts.registry.addVersion(model, artifact, { source: 'training', jobId: id }), retry),
        },
        { onInterrupt: (reason) => (held.leaseLost ? Promise.resolve() : this.handBack(jobId, held.lease, reason)) },
      );
      if (claimed.cancelRequested) void held.execution.stop();
      await held.execution.finished;
    } finally {
      clearInterval(beat);
      this.held.delete(jobId);
    }
  }

  /** Queues the job again with a new wake-up, in one transaction, for the next worker. */
  private async handBack(jobId: string, lease: string, reason: string): Promise<void> {
    await inTransaction(this.opts.store.pool, async (client) => {
      if (await this.opts.store.release(jobId, lease, client)) await sendWakeUp(this.opts.boss, jobId, client);
    });
    this.opts.log?.info({ job: jobId, reason }, 'job handed back to the queue');
  }

  /** Stops taking wake-ups and hands the running jobs back (their threads are terminated). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.opts.boss.offWork(JOB_QUEUE).catch(() => undefined);
    await Promise.all([...this.held.values()].map((h) => h.execution?.stop('interrupted: the worker stopped')));
    await this.listener.stop();
  }
}
