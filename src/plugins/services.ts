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

export interface ServicesOptions {
  /** The embedded store's folder; with `database` it is not used. */
  readonly dataDir?: string;
  /** Bundled artifacts imported into an empty registry (models/). */
  readonly modelsDir?: string;
  readonly maxConcurrentJobs: number;
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
  if (opts.database) return createPgServices(opts.database, opts.modelsDir, log);
  if (!opts.dataDir) throw new Error('createServices needs a dataDir or a database');
  const registry = new RegistryModelSource(new FileRegistryStore(opts.dataDir), log);
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
