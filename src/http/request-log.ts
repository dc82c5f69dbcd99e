/**
 * The logger of one request: a child of the app's logger carrying the request id, made when a line is written.
 *
 * Why not `request.log`: on the decision path nothing logs unless something goes wrong, and Fastify, running
 * without a logger of its own (app.ts) and with its default child factory, then hands every request its no-op
 * logger for nothing. Any child factory of ours, even one making the child only when it first writes,
 * cost ~3.7k instructions a request, ~2.7% of the service's: Fastify builds a bindings and an options object per
 * request and validates the logger the factory returns (docs/BENCHMARKS.md 1c). So the app's code logs through
 * this function, never `request.log`; with LOG_REQUESTS Fastify has the logger and `request.log` writes too.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';

export function requestLog(request: FastifyRequest): FastifyBaseLogger {
  return request.server.log.child({ reqId: request.id });
}

/**
 * Fastify's internal lines about one request. Without per-request logging (the default) Fastify's own controller
 * drops them all; these two mean an answer went wrong on our side, so they are written either way.
 */
export class AppLogController extends LogController {
  override serializerError(error: Error, request: FastifyRequest, _reply: FastifyReply, metadata: { statusCode: number }): void {
    requestLog(request).error({ err: error, statusCode: metadata.statusCode }, 'The serializer for the given status code failed');
  }

  override writeHeadError(error: Error, request: FastifyRequest, _reply: FastifyReply): void {
    requestLog(request).warn({ err: error }, error?.message);
  }
}
