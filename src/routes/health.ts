import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const Status = Type.Object({
    status: Type.String(),
    models: Type.Optional(Type.Integer({ description: 'Model versions loaded and serving' })),
    failedModels: Type.Optional(Type.Integer({ description: 'Model versions that failed to load' })),
    database: Type.Optional(Type.String({ description: 'With DATABASE_URL: ok or unreachable' })),
    registryListener: Type.Optional(Type.String({ description: 'With DATABASE_URL: listening, or reconnecting (registry changes arrive after it reconnects)' })),
  });

  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));

  // Ready once the models are loaded (the app is built only after loading); a failed model does not stop the
  // baselines, so it is reported, not fatal.
  // With a database the body also reports it; a database outage makes the replica "degraded", not unready:
  // decisions are served from the models in memory, only the admin API needs the database.
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: models loaded (and the database, when there is one)', response: { 200: Status } } }, async () => {
    const list = app.models.list();
    const db = app.readiness ? await app.readiness() : undefined;
    return {
      status: db && db.database !== 'ok' ? 'degraded' : 'ready',
      models: list.filter((m) => m.status === 'loaded').length,
      failedModels: list.filter((m) => m.status === 'failed').length,
      ...db,
    };
  });
};

export default routes;
