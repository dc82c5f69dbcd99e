/**
 * The stateful services behind the admin API and the served models: the model registry (and its serving
 * snapshot), the job store and the job runner. Embedded implementation: files under DATA_DIR. Decorated as
 * `registry` and `jobs`; the runner stops with the app.
 */
import fp from 'fastify-plugin';
import { FileJobStore } from '../jobs/file-store.js';
import { JobRunner } from '../jobs/runner.js';
import { FileRegistryStore } from '../registry/file-store.js';
import { RegistryModelSource } from '../registry/model-source.js';

export interface ServicesOptions {
  readonly dataDir: string;
  /** Bundled artifacts imported into an empty registry (models/). */
  readonly modelsDir?: string;
  readonly maxConcurrentJobs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    registry?: RegistryModelSource;
    jobs?: JobRunner;
  }
}

/** Builds the embedded services (also used by server.ts to log what loaded before listening). */
export async function createServices(opts: ServicesOptions, log?: RegistryLogger) {
  const registry = new RegistryModelSource(new FileRegistryStore(opts.dataDir), log);
  if (opts.modelsDir) await registry.importBundled(opts.modelsDir);
  await registry.init();
  const jobs = new JobRunner({ store: new FileJobStore(opts.dataDir), models: registry, dataDir: opts.dataDir, maxConcurrent: opts.maxConcurrentJobs, log });
  await jobs.recover();
  return { registry, jobs };
}

type RegistryLogger = { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };

export default fp(
  async (app, opts: { registry: RegistryModelSource; jobs: JobRunner }) => {
    app.decorate('registry', opts.registry);
    app.decorate('jobs', opts.jobs);
    app.addHook('onClose', async () => opts.jobs.close());
  },
  { name: 'services' },
);
