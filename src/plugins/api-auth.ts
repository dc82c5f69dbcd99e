/**
 * Optional bearer token for the trading routes (/v1/*): with API_TOKEN set every /v1 request needs
 * `Authorization: Bearer <API_TOKEN>` (compared in constant time); without it /v1 stays open. The admin API keeps its
 * own ADMIN_TOKEN. No hook at all when off, so the open decision path pays nothing.
 */
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiErrors, replyWith } from '../http/errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function apiAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/v1/')) return done();
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!.trim()), expected)) return done();
    reply.header('www-authenticate', 'Bearer realm="api"');
    replyWith(reply, ApiErrors.unauthorized([], match ? 'invalid API token' : 'missing bearer token (Authorization: Bearer <API_TOKEN>)'));
  });
}
