/**
 * The HTTP side of errors: one catalogue of stable codes and one handler that maps every error to the single
 * body of DESIGN.md 6, { statusCode, error, message, details: [{ path, reason }] }. 5xx bodies never leak internals.
 */
import createError from '@fastify/error';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError, type FieldIssue } from '../core/errors.js';
import { isDatabaseUnavailable } from '../pg/outage.js';
import { requestLog } from './request-log.js';

export const ModelNotFound = createError<[string]>('ESS_MODEL_NOT_FOUND', 'model not found: %s', 404);
export const NotScheduled = createError<[string]>('ESS_NOT_SCHEDULABLE', '%s', 400);

/** Carries field-level details through Fastify's error path. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** ajv's '/order/remaining' under 'body' becomes 'order.remaining'; required/additional name the missing field. */
function ajvIssue(e: AjvIssue, context: string | undefined): FieldIssue {
  const base = e.instancePath.split('/').filter(Boolean);
  let reason = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    base.push(String(e.params.missingProperty));
    reason = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    base.push(String(e.params.additionalProperty));
    reason = 'is not a known field';
  } else if (e.keyword === 'discriminator') {
    base.push(String(e.params.tag ?? 'type'));
    reason = e.params.tagValue === undefined ? 'is required' : `unknown value ${JSON.stringify(e.params.tagValue)}`;
  } else if (e.keyword === 'enum' || e.keyword === 'const') {
    const allowed = (e.params.allowedValues ?? [e.params.allowedValue]) as unknown[];
    reason = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const prefix = context && context !== 'body' ? [context] : [];
  return { path: [...prefix, ...base].join('.') || (context ?? ''), reason };
}

/** anyOf of literals (a TypeBox Union such as side) yields one error per literal plus the anyOf: merge them. */
function mergeIssues(issues: FieldIssue[]): FieldIssue[] {
  const byPath = new Map<string, string[]>();
  for (const i of issues) {
    const reasons = byPath.get(i.path) ?? [];
    if (!reasons.includes(i.reason)) reasons.push(i.reason);
    byPath.set(i.path, reasons);
  }
  return [...byPath].map(([path, reasons]) => {
    const consts = reasons.filter((r) => r.startsWith('must be one of ') || r === 'must be equal to constant');
    const values = consts.flatMap((r) => r.replace('must be one of ', '').split(', '));
    if (values.length > 1) return { path, reason: `must be one of ${values.join(', ')}` };
    return { path, reason: reasons.filter((r) => r !== 'must match a schema in anyOf').join('; ') || reasons[0] };
  });
}

/** Seconds a client is told to wait when the database is down. */
export const DATABASE_RETRY_AFTER_S = 5;

export function errorBody(statusCode: number, message: string, details: readonly FieldIssue[] = []) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const details = mergeIssues(err.validation.map((e) => ajvIssue(e as AjvIssue, err.validationContext)));
      const message = `invalid request: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`;
      return reply.status(400).send(errorBody(400, message, details));
    }
    if (err instanceof DomainError) {
      return reply.status(400).send(errorBody(400, `invalid request: ${err.message}`, err.issues));
    }
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send(errorBody(err.statusCode, err.message, err.details));
    }
    if (err.statusCode === undefined && isDatabaseUnavailable(err)) {
      requestLog(request).warn({ err: err.message }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
      return reply.status(503).send(errorBody(503, `database unavailable; retry after ${DATABASE_RETRY_AFTER_S} s`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (body too large, bad JSON, unsupported media type) keep their status.
      return reply.status(status).send(errorBody(status, err.message));
    }
    requestLog(request).error({ err }, 'unhandled error');
    return reply.status(status).send(errorBody(status, 'internal error; the request id in x-request-id finds it in the logs'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
