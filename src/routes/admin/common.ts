import type { FastifyInstance } from 'fastify';
import { ApiErrors } from '../../http/errors.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { RegistryModelSource } from '../../registry/model-source.js';

export const security = [{ bearerAuth: [] }];

/** The services, or a 503 when the app was built without a data directory. */
export function services(app: FastifyInstance): { registry: RegistryModelSource; jobs: JobRunner } {
  if (!app.registry || !app.jobs) throw ApiErrors.adminDisabled([], 'the service runs without a data directory');
  return { registry: app.registry, jobs: app.jobs };
}

export function paging(query: { offset?: string; limit?: string }): { offset: number; limit: number } {
  const offset = Number(query.offset ?? 0);
  const limit = Number(query.limit ?? 50);
  if (limit < 1 || limit > 1000) throw ApiErrors.invalidRequest([{ path: 'querystring.limit', reason: 'must be from 1 to 1000' }], 'querystring.limit must be from 1 to 1000');
  return { offset, limit };
}
