/**
 * Jobs (training and evaluation) and where they are kept. The store is an interface so the embedded file store
 * and a PostgreSQL store can both fill it; the runner only talks to this.
 */
export type JobKind = 'training' | 'evaluation';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export interface JobProgress {
  readonly done: number;
  readonly total: number;
  readonly percent: number;
  /** Seconds left at the current pace, once there is a pace. */
  readonly etaSeconds?: number;
}

export interface CurvePoint {
  readonly episode: number;
  readonly movingShortfallBps?: number;
  readonly loss?: number;
  readonly epsilon?: number;
  readonly validationShortfallBps?: number;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The validated request that made the job. */
  readonly request: Record<string, unknown>;
  readonly progress: JobProgress;
  /** The latest training metrics. */
  readonly metrics?: Record<string, number | boolean | undefined>;
  /** The learning curve (subsampled to a bounded length). */
  readonly curve: CurvePoint[];
  readonly error?: string;
  /** Training: the registered model version. Evaluation: the report. */
  readonly result?: Record<string, unknown>;
}

export interface JobFilter {
  readonly kind?: JobKind;
  readonly status?: JobStatus;
  readonly offset: number;
  readonly limit: number;
}

export interface JobStore {
  create(job: JobRecord): Promise<void>;
  /** Applies `patch` to the stored job and returns the result. */
  update(id: string, patch: Partial<Omit<JobRecord, 'id' | 'kind' | 'createdAt'>>): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  list(filter: JobFilter): Promise<{ items: JobRecord[]; total: number }>;
}
