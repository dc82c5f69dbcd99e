/**
 * Runs training and evaluation jobs off the event loop (one worker thread each), at most `maxConcurrent` at once
 * and the rest queued in order. A job's failure (a thrown error, a NaN loss, a worker that dies) marks it failed
 * with the reason; nothing a job does can take the service down. A succeeded training job registers its model
 * as a new version; a succeeded evaluation keeps its report.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readArtifact } from '../models/artifact-store.js';
import type { TrainingJobSpec, TrainingMessage } from '../models/training-job.js';
import type { TrainingProgress } from '../models/trainer.js';
import type { RegistryModelSource } from '../registry/model-source.js';
import type { EvaluationJobSpec, EvaluationResult } from './evaluation-job.js';
import type { CurvePoint, JobKind, JobRecord, JobStore } from './types.js';
import { entryBeside, runWorker, type WorkerTask } from './worker-task.js';

const MAX_CURVE_POINTS = 500;
const PROGRESS_WRITE_MS = 500;

export interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What a job kind needs to run: its worker data, built from the request when the job starts. */
export type TrainingPlan = { kind: 'training'; model: string; spec: Omit<TrainingJobSpec, 'out'> };
export type EvaluationPlan = { kind: 'evaluation'; spec: EvaluationJobSpec };

export interface RunnerOptions {
  readonly store: JobStore;
  readonly models: RegistryModelSource;
  readonly dataDir: string;
  readonly maxConcurrent: number;
  readonly log?: RunnerLogger;
}

interface Running {
  /** Set once the worker has started. */
  task?: WorkerTask<unknown>;
  cancelRequested: boolean;
  /** Settles once the job's final record is written. */
  finished?: Promise<void>;
}

/** Keeps at most MAX_CURVE_POINTS by dropping every other point when full (an even thinning over the run). */
function appendCurve(curve: readonly CurvePoint[], point: CurvePoint): CurvePoint[] {
  const next = [...curve, point];
  return next.length > MAX_CURVE_POINTS ? next.filter((_, i) => i % 2 === 1 || i === next.length - 1) : next;
}

export class JobRunner {
  private readonly queue: { id: string; plan: TrainingPlan | EvaluationPlan }[] = [];
  private readonly running = new Map<string, Running>();
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

  async submit(kind: JobKind, request: Record<string, unknown>, plan: TrainingPlan | EvaluationPlan): Promise<JobRecord> {
    const total = plan.kind === 'training' ? plan.spec.config.episodes : plan.spec.episodes;
    const job: JobRecord = {
      id: randomUUID(),
      kind,
      status: 'queued',
      createdAt: new Date().toISOString(),
      request,
      progress: { done: 0, total, percent: 0 },
      curve: [],
    };
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
      running.cancelRequested = true;
      await running.task?.cancel();
      await running.finished;
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
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        r.cancelRequested = true; // a worker not started yet must not start
        await r.task?.cancel();
        await r.finished;
      }),
    );
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.opts.maxConcurrent && this.queue.length > 0) {
      const next = this.queue.shift()!;
      const running: Running = { cancelRequested: false };
      this.running.set(next.id, running);
      running.finished = this.run(next.id, next.plan, running);
    }
  }

  private async run(id: string, plan: TrainingPlan | EvaluationPlan, running: Running): Promise<void> {
    const started = Date.now();
    let job = await this.store.update(id, { status: 'running', startedAt: new Date(started).toISOString() });
    let lastWrite = 0;
    let pending: Partial<JobRecord> = {};
    const write = async (patch: Partial<JobRecord>, force = false) => {
      pending = { ...pending, ...patch };
      if (!force && Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      const p = pending;
      pending = {};
      job = await this.store.update(id, p);
    };
    const progress = (done: number, total: number) => {
      const elapsed = (Date.now() - started) / 1000;
      const percent = total > 0 ? Math.min(100, (100 * done) / total) : 0;
      return { done, total, percent, ...(done > 0 ? { etaSeconds: Math.round((elapsed / done) * (total - done)) } : {}) };
    };

    let failure: string | undefined;
    try {
      if (plan.kind === 'training') {
        const out = join(this.opts.dataDir, 'tmp', id);
        let curve = job.curve;
        let sawFiniteLoss = false;
        const task = runWorker<unknown>(
          entryBeside(import.meta.url, '../models/training-worker'),
          { ...plan.spec, out } satisfies TrainingJobSpec,
          (m) => {
            const message = m as unknown as TrainingMessage;
            if (message.type !== 'progress') return;
            const p: TrainingProgress = message.progress;
            if (Number.isFinite(p.loss)) sawFiniteLoss = true;
            else if (sawFiniteLoss) {
              failure = `NaN loss at episode ${p.episode}`;
              void task.cancel();
              return;
            }
            curve = appendCurve(curve, {
              episode: p.episode,
              movingShortfallBps: p.movingShortfallBps,
              ...(Number.isFinite(p.loss) ? { loss: p.loss } : {}),
              epsilon: p.epsilon,
              ...(p.validation ? { validationShortfallBps: p.validation.shortfallBps } : {}),
            });
            void write({
              progress: progress(p.episode, p.episodes),
              metrics: { epsilon: p.epsilon, loss: Number.isFinite(p.loss) ? p.loss : undefined, movingShortfallBps: p.movingShortfallBps, validationShortfallBps: p.validation?.shortfallBps },
              curve,
            }).catch(() => undefined);
          },
          (m) => m,
        );
        running.task = task;
        if (running.cancelRequested) void task.cancel();
        await task.done;
        const artifact = await readArtifact(out);
        const version = await this.opts.models.store.addVersion(plan.model, artifact, { source: 'training', jobId: id });
        await this.opts.models.refresh(plan.model);
        await rm(out, { recursive: true, force: true });
        await write({ curve, progress: progress(plan.spec.config.episodes, plan.spec.config.episodes), result: { model: plan.model, version: version.version } }, true);
      } else {
        const task = runWorker<EvaluationResult>(
          entryBeside(import.meta.url, 'evaluation-worker'),
          plan.spec,
          (m) => {
            if (m.type === 'progress') void write({ progress: progress(Number(m.done), Number(m.total)) }).catch(() => undefined);
          },
          (m) => m.result as EvaluationResult,
        );
        running.task = task as WorkerTask<unknown>;
        if (running.cancelRequested) void task.cancel();
        const result = await task.done;
        await write({ progress: progress(result.episodes, result.episodes), result: result as unknown as Record<string, unknown> }, true);
      }
      await write({ status: 'succeeded', finishedAt: new Date().toISOString() }, true);
      this.opts.log?.info({ job: id, kind: plan.kind }, 'job succeeded');
    } catch (err) {
      const cancelled = running.cancelRequested && !failure && !this.closed;
      const reason = failure ?? (this.closed ? 'interrupted: the service stopped' : (err as Error).message);
      await write(
        cancelled
          ? { status: 'cancelled', finishedAt: new Date().toISOString() }
          : { status: 'failed', error: reason, finishedAt: new Date().toISOString() },
        true,
      ).catch((e) => this.opts.log?.error({ job: id, err: (e as Error).message }, 'job record could not be written'));
      if (!cancelled) this.opts.log?.warn({ job: id, kind: plan.kind, reason }, 'job failed');
      if (plan.kind === 'training') await rm(join(this.opts.dataDir, 'tmp', id), { recursive: true, force: true }).catch(() => undefined);
    } finally {
      this.running.delete(id);
      this.pump();
    }
  }
}
