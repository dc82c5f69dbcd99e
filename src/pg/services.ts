/**
 * An API replica's services on PostgreSQL: checks the database is reachable (a clear error otherwise), migrates
 * the schema, imports bundled models once across replicas, loads the registry and keeps it in step (registry-
 * sync.ts), and queues jobs for the workers through pg-boss. Also runs a sweeper, so lost jobs are settled even
 * while no worker is up.
 */
import type { RunnerLogger } from '../jobs/executor.js';
import { RegistryModelSource, type ModelSourceOptions } from '../registry/model-source.js';
import { startBoss } from './boss.js';
import { PgJobQueue } from './job-queue.js';
import { PgJobStore } from './job-store.js';
import { migrate } from './migrations.js';
import { checkReachable, createPool, type DatabaseOptions } from './pool.js';
import { PgRegistryStore } from './registry-store.js';
import { RegistrySync } from './registry-sync.js';
import { checkSchema } from './sql.js';
import { startSweeper } from './sweeper.js';
import { withAdvisoryLock } from './tx.js';

export interface PgServicesOptions extends DatabaseOptions {
  /** A running job without a heartbeat for this long is lost (default 15 s). */
  readonly lostAfterMs?: number;
  /** Attempts of a job whose worker died before it fails (default 2). */
  readonly maxAttempts?: number;
}

export const DEFAULT_LOST_AFTER_MS = 15000;
export const DEFAULT_MAX_ATTEMPTS = 2;

export type Readiness = () => Promise<{ database: 'ok' | 'unreachable'; registryListener: 'listening' | 'reconnecting' }>;

/** @throws DatabaseUnavailableError when the database cannot be reached at start. */
export async function createPgServices(opts: PgServicesOptions, modelsDir: string | undefined, log?: RunnerLogger, sourceOptions: ModelSourceOptions = {}) {
  const schema = checkSchema(opts.schema);
  const pool = createPool({ ...opts, poolMax: Math.max(2, opts.poolMax ?? 8) }, 'ess-api', (err) => log?.warn({ err: err.message }, 'idle database connection lost'));
  try {
    await checkReachable(pool, opts.url);
    const { from, to } = await migrate(pool, schema);
    if (from !== to) log?.info({ schema, from, to }, 'database schema migrated');
    const registry = new RegistryModelSource(new PgRegistryStore(pool, schema), log, sourceOptions);
    // Two replicas starting on an empty registry must not both import version 1.
    if (modelsDir) await withAdvisoryLock(pool, `ess-import:${schema}`, () => registry.importBundled(modelsDir));
    const sync = new RegistrySync({ url: opts.url, schema, source: registry, log });
    await sync.start(); // listens, then loads every model
    const boss = await startBoss({ url: opts.url, schema, applicationName: 'ess-api-queue', onError: (err) => log?.warn({ err: err.message }, 'pg-boss error') });
    const store = new PgJobStore(pool, schema);
    const jobs = new PgJobQueue({ store, boss });
    const sweeper = startSweeper({ store, boss, lostAfterMs: opts.lostAfterMs ?? DEFAULT_LOST_AFTER_MS, maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, log });

    const readiness: Readiness = async () => {
      const ping = pool.query('SELECT 1').then(
        () => 'ok' as const,
        () => 'unreachable' as const,
      );
      const timeout = new Promise<'unreachable'>((r) => setTimeout(() => r('unreachable'), 1000).unref());
      return { database: await Promise.race([ping, timeout]), registryListener: sync.connected ? 'listening' : 'reconnecting' };
    };
    const close = async () => {
      await sweeper.stop();
      await sync.stop();
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.end();
    };
    return { registry, jobs, readiness, close, sync };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
