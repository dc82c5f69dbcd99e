/**
 * Decorates the app with the source of served models (`app.models`); the contract itself is the registry's
 * (registry/served-models.ts), so the registry never imports a plugin.
 */
import fp from 'fastify-plugin';
import { emptyModelSource, type ModelSource } from '../registry/served-models.js';

declare module 'fastify' {
  interface FastifyInstance {
    models: ModelSource;
  }
}

export default fp(
  async (app, opts: { source?: ModelSource }) => {
    app.decorate('models', opts.source ?? emptyModelSource);
  },
  { name: 'models' },
);
