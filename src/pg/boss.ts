/**
 * pg-boss, as we use it: one queue of wake-ups, each carrying the id of a job row. The row is the truth (status,
 * lease, progress); a wake-up only tells some worker "job X may be waiting", so a duplicate or stale wake-up is
 * harmless (the claim finds the job no longer queued). Wake-ups are sent inside the transaction that queues the
 * job, so a job is never queued without one.
 */
import PgBoss from 'pg-boss';
import type pg from 'pg';
import { bossSchemaOf } from './sql.js';

export const JOB_QUEUE = 'ess-jobs';

export interface WakeUp {
  readonly jobId: string;
}

export interface BossOptions {
  readonly url: string;
  readonly schema: string;
  readonly applicationName: string;
  /** Run pg-boss's maintenance (expiry, archiving) here too; harmless on several processes. */
  readonly supervise?: boolean;
  readonly onError?: (err: Error) => void;
}

/** Starts pg-boss (it installs and migrates its own schema under its own lock) and makes sure our queue exists. */
export async function startBoss(opts: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: opts.url,
    schema: bossSchemaOf(opts.schema),
    application_name: opts.applicationName,
    max: 3,
    schedule: false, // no cron jobs: no clock monitor either
    supervise: opts.supervise ?? true,
  });
  boss.on('error', (err) => opts.onError?.(err));
  await boss.start();
  // Idempotent (ON CONFLICT DO NOTHING), so every replica may call it at start.
  await boss.createQueue(JOB_QUEUE);
  return boss;
}

/** pg-boss's executeSql over a client of ours: the wake-up commits or rolls back with our transaction. */
export const onClient = (client: pg.PoolClient) => ({
  executeSql: async (text: string, values: unknown[]) => client.query(text, values),
});

/** Queues a wake-up for `jobId` (on `client`, inside the caller's transaction). */
export async function sendWakeUp(boss: PgBoss, jobId: string, client: pg.PoolClient): Promise<void> {
  await boss.send(JOB_QUEUE, { jobId } satisfies WakeUp, {
    db: onClient(client),
    // A handler that throws (the claim could not reach the database) is tried again a little later.
    retryLimit: 5,
    retryDelay: 2,
    // Liveness of a running job is our heartbeat's to judge; pg-boss's expiry only needs to outlast any job.
    expireInHours: 23,
  });
}
