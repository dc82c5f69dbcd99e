/**
 * Locks every /admin route: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. Without a
 * configured token the admin API answers 503 "admin disabled" instead of being open. Rate-limited per client.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { errorBody } from '../http/errors.js';

export interface AdminAuthOptions {
  readonly token?: string;
  readonly rateLimitMax: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Registers the guard on the (encapsulated) admin scope `app`. */
export async function adminAuth(app: FastifyInstance, opts: AdminAuthOptions): Promise<void> {
  await app.register(rateLimit, {
    max: opts.rateLimitMax,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => ({ ...errorBody(429, `rate limit: ${ctx.max} admin requests per ${ctx.after}`), statusCode: 429 }),
  });
  // Hashing both sides gives equal lengths, so timingSafeEqual never throws and leaks nothing about the length.
  const expected = opts.token ? digest(opts.token) : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (!expected) {
      return reply.status(503).send(errorBody(503, 'admin disabled: set ADMIN_TOKEN to enable the admin API'));
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      reply.header('www-authenticate', 'Bearer realm="admin"');
      return reply.status(401).send(errorBody(401, match ? 'invalid admin token' : 'missing bearer token (Authorization: Bearer <ADMIN_TOKEN>)'));
    }
  });
}
