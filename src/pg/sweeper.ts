/**
 * Settles jobs whose worker died (SIGKILL, a lost machine): a running job whose heartbeat is older than
 * `lostAfterMs` is queued again with a new wake-up while attempts remain, else failed saying why (cancelled if a
 * cancel was pending). Every API replica and worker runs one; row locks make that safe. A lost job is settled
 * within lostAfterMs + the sweep interval (lostAfterMs / 3) of its last heartbeat.
 */
import type PgBoss from 'pg-boss';
import type { RunnerLogger } from '../jobs/executor.js';
import { sendWakeUp } from './boss.js';
import type { PgJobStore } from './job-store.js';
import { inTransaction } from './tx.js';

export interface SweeperOptions {
  readonly store: PgJobStore;
  readonly boss: PgBoss;
  readonly lostAfterMs: number;
  readonly maxAttempts: number;
  readonly log?: RunnerLogger;
}

export const sweepIntervalMs = (lostAfterMs: number) => Math.max(100, Math.floor(lostAfterMs / 3));

/** One sweep; returns what it settled. */
export async function sweepOnce(opts: SweeperOptions): Promise<{ id: string; status: string; attempt: number }[]> {
  return inTransaction(opts.store.pool, async (client) => {
    const settled = await opts.store.sweep(opts.lostAfterMs, opts.maxAttempts, client);
    for (const job of settled) {
      if (job.status === 'queued') await sendWakeUp(opts.boss, job.id, client);
      opts.log?.warn({ job: job.id, status: job.status, attempt: job.attempt }, 'job lost its worker (no heartbeat)');
    }
    return settled;
  });
}

/** Sweeps every interval until stopped. */
export function startSweeper(opts: SweeperOptions): { stop(): Promise<void> } {
  let current: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = sweepOnce(opts).catch((err) => opts.log?.warn({ err: (err as Error).message }, 'job sweep failed'));
  }, sweepIntervalMs(opts.lostAfterMs));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
