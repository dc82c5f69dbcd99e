/**
 * The stateful services behind the admin API and the served models: the model registry (and its serving
 * snapshot), the job store and the job queue. Embedded (the default): files under DATA_DIR, jobs run in this
 * process. With a database: PostgreSQL shared by every replica, jobs run by `npm run worker` processes
 * (src/pg/). Decorated as `registry`, `jobs` and, with a database, `readiness`; everything stops with the app.
 */
import fp from 'fastify-plugin';
import { FileJobStore } from '../jobs/file-store.js';
import { LocalJobQueue, type JobRunner } from '../jobs/runner.js';
import { createPgServices, type PgServicesOptions, type Readiness } from '../pg/services.js';
import { FileRegistryStore } from '../registry/file-store.js';
import { RegistryModelSource } from '../registry/model-source.js';
import { removeOrphans } from '../store/atomic.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServicesOptions {
  /** The embedded store's folder; with `database` it is not used. */
  readonly dataDir?: string;
  /** Bundled artifacts imported into an empty registry (models/). */
  readonly modelsDir?: string;
  readonly maxConcurrentJobs: number;
  /** Versions kept loaded besides the aliased ones (MODEL_CACHE_VERSIONS). */
  readonly cachedVersions?: number;
  /** PostgreSQL instead of files (DATABASE_URL). */
  readonly database?: PgServicesOptions;
}

export interface Services {
  readonly registry: RegistryModelSource;
  readonly jobs: JobRunner;
  /** What /readyz adds about the database (PostgreSQL only). */
  readonly readiness?: Readiness;
  /** Releases connections and listeners (after the jobs have closed). */
  readonly close?: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    registry?: RegistryModelSource;
    jobs?: JobRunner;
    readiness?: Readiness;
  }
}

/** Builds the services (also used by server.ts to log what loaded before listening). */
export async function createServices(opts: ServicesOptions, log?: RegistryLogger): Promise<Services> {
  if (opts.database) return createPgServices(opts.database, opts.modelsDir, log, { cachedVersions: opts.cachedVersions });
  if (!opts.dataDir) throw new Error('createServices needs a dataDir or a database');
  const store = new FileRegistryStore(opts.dataDir);
  // Before anything writes: what interrupted writes of an earlier process left behind.
  // The jobs' scratch folders go too: a job of an earlier process is failed as interrupted below.
  const orphans = [...(await store.cleanOrphans()), ...(await removeOrphans(join(opts.dataDir, 'jobs'), 0))];
  await rm(join(opts.dataDir, 'tmp'), { recursive: true, force: true });
  if (orphans.length) log?.warn({ removed: orphans }, 'removed files left by interrupted writes');
  const registry = new RegistryModelSource(store, log, { cachedVersions: opts.cachedVersions });
  if (opts.modelsDir) await registry.importBundled(opts.modelsDir);
  await registry.init();
  const jobs = new LocalJobQueue({ store: new FileJobStore(opts.dataDir), models: registry, dataDir: opts.dataDir, maxConcurrent: opts.maxConcurrentJobs, log });
  await jobs.recover();
  return { registry, jobs };
}

type RegistryLogger = { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };

export default fp(
  async (app, opts: Services) => {
    app.decorate('registry', opts.registry);
    app.decorate('jobs', opts.jobs);
    if (opts.readiness) app.decorate('readiness', opts.readiness);
    app.addHook('onClose', async () => {
      await opts.jobs.close();
      await opts.close?.();
    });
  },
  { name: 'services' },
);
