/**
 * Locks every /admin route: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. Without a
 * configured token the admin API answers 503 "admin disabled" instead of being open. Rate-limited per client,
 * and failed authentications are limited on their own (auth-failures.ts) and logged at warn with the client's
 * address (never the token sent).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiErrors, bodyOf, replyWith } from '../http/errors.js';
import { requestLog } from '../http/request-log.js';
import { AuthFailures, type AuthFailureLimit } from './auth-failures.js';

export interface AdminAuthOptions {
  readonly token?: string;
  readonly rateLimitMax: number;
  /** Failed authentications per client and window before it is refused with 429 (ADMIN_AUTH_MAX_FAILURES). */
  readonly authFailures?: AuthFailureLimit;
}

export const DEFAULT_AUTH_FAILURES: AuthFailureLimit = { max: 10, windowMs: 60_000 };

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Registers the guard on the (encapsulated) admin scope `app`. */
export async function adminAuth(app: FastifyInstance, opts: AdminAuthOptions): Promise<void> {
  await app.register(rateLimit, {
    max: opts.rateLimitMax,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => bodyOf(ApiErrors.rateLimited([], `rate limit: ${ctx.max} admin requests per ${ctx.after}`)),
  });
  // Hashing both sides gives equal lengths, so timingSafeEqual never throws and leaks nothing about the length.
  const expected = opts.token ? digest(opts.token) : undefined;
  const limit = opts.authFailures ?? DEFAULT_AUTH_FAILURES;
  const failures = new AuthFailures(limit);
  app.addHook('onRequest', async (request, reply) => {
    if (!expected) {
      return replyWith(reply, ApiErrors.adminDisabled([], 'set ADMIN_TOKEN to enable the admin API'));
    }
    const blocked = failures.blockedFor(request.ip);
    if (blocked > 0) {
      reply.header('retry-after', String(blocked));
      return replyWith(reply, ApiErrors.rateLimited([], `too many failed admin authentications from this client: retry after ${blocked} s`));
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      const count = failures.fail(request.ip);
      requestLog(request).warn(
        { client: request.ip, failures: count, limit: limit.max, windowMs: limit.windowMs, reason: match ? 'invalid token' : 'no bearer token' },
        'admin authentication failed',
      );
      reply.header('www-authenticate', 'Bearer realm="admin"');
      return replyWith(reply, ApiErrors.unauthorized([], match ? 'invalid admin token' : 'missing bearer token (Authorization: Bearer <ADMIN_TOKEN>)'));
    }
  });
}
