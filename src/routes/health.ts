import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const Status = Type.Object({
    status: Type.String(),
    models: Type.Optional(Type.Integer({ description: 'Model versions loaded and serving' })),
    failedModels: Type.Optional(Type.Integer({ description: 'Model versions that failed to load' })),
    problems: Type.Optional(
      Type.Array(
        Type.Object({
          model: Type.String(),
          version: Type.Optional(Type.String()),
          alias: Type.Optional(Type.String()),
          file: Type.Optional(Type.String({ description: 'The registry file that could not be read' })),
          reason: Type.String(),
        }),
        { description: 'What could not be read or loaded; everything else is served (status degraded)' },
      ),
    ),
    database: Type.Optional(Type.String({ description: 'With DATABASE_URL: ok or unreachable' })),
    registryListener: Type.Optional(Type.String({ description: 'With DATABASE_URL: listening, or reconnecting (registry changes arrive after it reconnects)' })),
  });

  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));

  // Ready once the models are loaded (the app is built only after loading); a failed model, an unreadable registry
  // file or a dangling alias does not stop the rest, so it is reported (status degraded, with the list), not fatal.
  // With a database the body also reports it; a database outage makes the replica "degraded", not unready:
  // decisions are served from the models in memory, only the admin API needs the database.
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: models loaded (and the database, when there is one); degraded lists what is broken', response: { 200: Status } } }, async () => {
    const list = app.models.list();
    const db = app.readiness ? await app.readiness() : undefined;
    const problems = app.models.problems?.() ?? [];
    return {
      status: (db && db.database !== 'ok') || problems.length > 0 ? 'degraded' : 'ready',
      models: list.filter((m) => m.status === 'loaded').length,
      failedModels: list.filter((m) => m.status === 'failed').length,
      ...(problems.length ? { problems: [...problems] } : {}),
      ...db,
    };
  });
};

export default routes;
