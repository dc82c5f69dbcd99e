/**
 * Executes one job in a worker thread, whoever queued it (the in-process queue of the embedded service, or a
 * pg-boss worker process): writes its progress (throttled), learning curve and final record through a JobStore,
 * and registers a trained model. Queueing, concurrency and recovery belong to the caller; this module only runs.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelArtifact } from '../models/artifact/artifact.js';
import { readArtifact } from '../models/artifact/artifact-store.js';
import type { TrainingJobSpec, TrainingMessage } from '../models/training/training-job.js';
import type { TrainingProgress } from '../models/training/trainer.js';
import type { EvaluationJobSpec, EvaluationResult } from './evaluation-job.js';
import type { CurvePoint, JobRecord, JobStore } from './types.js';
import { entryBeside, runWorker, type WorkerTask } from '../threads/thread-task.js';

const MAX_CURVE_POINTS = 500;
const PROGRESS_WRITE_MS = 500;

export interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What a job kind needs to run: its worker data, built from the request when the job is submitted. */
export type TrainingPlan = { kind: 'training'; model: string; spec: Omit<TrainingJobSpec, 'out'> };
export type EvaluationPlan = { kind: 'evaluation'; spec: EvaluationJobSpec };
export type JobPlan = TrainingPlan | EvaluationPlan;

export interface ExecutionContext {
  /** Where the job's progress and final record go. */
  readonly store: JobStore;
  /** Scratch space for the training output (a folder per job, removed afterwards). */
  readonly tmpDir: string;
  /** Stores a trained artifact as a new version of `model` (and makes it known to whoever serves it). */
  register(model: string, artifact: ModelArtifact, jobId: string): Promise<{ version: string }>;
  readonly log?: RunnerLogger;
}

export interface Execution {
  /** Settles once the job's final record is written (never rejects). */
  readonly finished: Promise<void>;
  /**
   * Stops the job. Without a reason it is a cancel (the record says cancelled); with one it is an interruption
   * (the service or worker stops): the record is failed with that reason unless `onInterrupt` takes it over.
   */
  stop(interruption?: string): Promise<void>;
}

export interface ExecuteOptions {
  /** Called instead of writing a failed record when the job is interrupted (a worker hands the job back). */
  readonly onInterrupt?: (reason: string) => Promise<void>;
}

/**
 * Keeps at most MAX_CURVE_POINTS, evenly spaced from the first point, plus the newest. The kept points lie on a
 * grid (first episode + k x stride); a newest point off the grid is replaced by the next one. When full, the
 * stride doubles: every other grid point from the first goes, so the earliest episodes stay, as does the newest.
 */
export function appendCurve(curve: readonly CurvePoint[], point: CurvePoint): CurvePoint[] {
  if (curve.length === 0) return [point];
  const first = curve[0].episode;
  const stride = curve.length >= 2 ? Math.max(1, curve[1].episode - first) : 1;
  const onGrid = (p: CurvePoint, s: number) => (p.episode - first) % s === 0;
  const last = curve[curve.length - 1];
  const next = [...(curve.length > 1 && !onGrid(last, stride) ? curve.slice(0, -1) : curve), point];
  if (next.length <= MAX_CURVE_POINTS) return next;
  const thinned = next.filter((p) => onGrid(p, 2 * stride));
  if (thinned[thinned.length - 1] !== point) thinned.push(point);
  return thinned;
}

export function totalOf(plan: JobPlan): number {
  return plan.kind === 'training' ? plan.spec.config.episodes : plan.spec.episodes;
}

export function executeJob(id: string, plan: JobPlan, ctx: ExecutionContext, options: ExecuteOptions = {}): Execution {
  let task: WorkerTask<unknown> | undefined;
  let stopRequested = false;
  let interruption: string | undefined;

  const run = async (): Promise<void> => {
    const { store, log } = ctx;
    const started = Date.now();
    let job = await store.update(id, { status: 'running', startedAt: new Date(started).toISOString() });
    let lastWrite = 0;
    let pending: Partial<JobRecord> = {};
    const write = async (patch: Partial<JobRecord>, force = false) => {
      pending = { ...pending, ...patch };
      if (!force && Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      const p = pending;
      pending = {};
      job = await store.update(id, p);
    };
    const progress = (done: number, total: number) => {
      const elapsed = (Date.now() - started) / 1000;
      const percent = total > 0 ? Math.min(100, (100 * done) / total) : 0;
      return { done, total, percent, ...(done > 0 ? { etaSeconds: Math.round((elapsed / done) * (total - done)) } : {}) };
    };
    const out = join(ctx.tmpDir, id);

    let failure: string | undefined;
    try {
      if (plan.kind === 'training') {
        let curve = job.curve;
        let sawFiniteLoss = false;
        const training = runWorker<unknown>(
          entryBeside(import.meta.url, '../models/training/training-thread'),
          { ...plan.spec, out } satisfies TrainingJobSpec,
          (m) => {
            const message = m as unknown as TrainingMessage;
            if (message.type !== 'progress') return;
            const p: TrainingProgress = message.progress;
            if (Number.isFinite(p.loss)) sawFiniteLoss = true;
            else if (sawFiniteLoss) {
              failure = `NaN loss at episode ${p.episode}`;
              void training.cancel();
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
        task = training;
        if (stopRequested) void training.cancel();
        await training.done;
        const artifact = await readArtifact(out);
        const version = await ctx.register(plan.model, artifact, id);
        await rm(out, { recursive: true, force: true });
        await write({ curve, progress: progress(plan.spec.config.episodes, plan.spec.config.episodes), result: { model: plan.model, version: version.version } }, true);
      } else {
        const evaluation = runWorker<EvaluationResult>(
          entryBeside(import.meta.url, 'evaluation-thread'),
          plan.spec,
          (m) => {
            if (m.type === 'progress') void write({ progress: progress(Number(m.done), Number(m.total)) }).catch(() => undefined);
          },
          (m) => m.result as EvaluationResult,
        );
        task = evaluation as WorkerTask<unknown>;
        if (stopRequested) void evaluation.cancel();
        const result = await evaluation.done;
        await write({ progress: progress(result.episodes, result.episodes), result: result as unknown as Record<string, unknown> }, true);
      }
      await write({ status: 'succeeded', finishedAt: new Date().toISOString() }, true);
      log?.info({ job: id, kind: plan.kind }, 'job succeeded');
    } catch (err) {
      if (plan.kind === 'training') await rm(out, { recursive: true, force: true }).catch(() => undefined);
      if (interruption !== undefined && !failure && options.onInterrupt) {
        await options.onInterrupt(interruption).catch((e) => log?.error({ job: id, err: (e as Error).message }, 'interrupted job could not be handed back'));
        return;
      }
      const cancelled = stopRequested && interruption === undefined && !failure;
      const reason = failure ?? interruption ?? (err as Error).message;
      await write(
        cancelled ? { status: 'cancelled', finishedAt: new Date().toISOString() } : { status: 'failed', error: reason, finishedAt: new Date().toISOString() },
        true,
      ).catch((e) => log?.error({ job: id, err: (e as Error).message }, 'job record could not be written'));
      if (!cancelled) log?.warn({ job: id, kind: plan.kind, reason }, 'job failed');
    }
  };

  const finished = run().catch((err) => ctx.log?.error({ job: id, err: (err as Error).message }, 'job could not start'));
  return {
    finished,
    async stop(reason?: string) {
      stopRequested = true; // a worker not started yet must not start
      if (reason !== undefined) interruption ??= reason;
      await task?.cancel();
      await finished;
    },
  };
}
