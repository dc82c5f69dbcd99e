import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const Status = Type.Object({ status: Type.String(), models: Type.Optional(Type.Integer()), failedModels: Type.Optional(Type.Integer()) });

  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));

  // Ready once the models are loaded (the app is built only after loading); a failed model does not stop the
  // baselines, so it is reported, not fatal.
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: models loaded', response: { 200: Status } } }, async () => {
    const list = app.models.list();
    return {
      status: 'ready',
      models: list.filter((m) => m.status === 'loaded').length,
      failedModels: list.filter((m) => m.status === 'failed').length,
    };
  });
};

export default routes;
