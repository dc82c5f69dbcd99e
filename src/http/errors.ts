/**
 * The HTTP side of errors: the one catalogue of stable codes (@fastify/error) every route and plugin throws from,
 * and one handler that maps every error to the single body { statusCode, error, message, details: [{ path,
 * reason }] }. 5xx bodies never leak internals. The core reports problems as DomainError (field issues, placed in
 * the request by field-paths.ts) or errors of its own; this layer alone decides their HTTP status.
 */
import createError from '@fastify/error';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError } from '../core/errors.js';
import { isDatabaseUnavailable } from '../pg/outage.js';
import { requestDetails, type Detail } from './field-paths.js';
import { requestLog } from './request-log.js';

/** An error of the catalogue: its code, its status, and the fields at fault (the body's details). */
export interface ApiError extends FastifyError {
  readonly statusCode: number;
  readonly details?: readonly Detail[];
}

/** One catalogue entry: `Entry(details, ...messageArgs)` makes the error; `.code` names it. */
export interface CatalogueEntry<A extends unknown[]> {
  (details: readonly Detail[], ...args: A): ApiError;
  readonly code: string;
  readonly statusCode: number;
}

/** `stack: false` for the errors answered straight from a hook (auth, load shedding): no stack to capture. */
function entry<A extends unknown[]>(code: string, message: string, statusCode: number, stack = true): CatalogueEntry<A> {
  const Make = createError<A>(code, message, statusCode, Error, stack);
  const make = (details: readonly Detail[], ...args: A) => Object.assign(new Make(...args), { statusCode, details }) as ApiError;
  return Object.assign(make, { code, statusCode });
}

const PREFIX = 'ESS_';

export const ApiErrors = {
  invalidRequest: entry<[string]>(`${PREFIX}INVALID_REQUEST`, 'invalid request: %s', 400),
  invalidJson: entry<[string]>(`${PREFIX}INVALID_JSON`, 'invalid JSON body: %s', 400),
  invalidArtifact: entry<[string]>(`${PREFIX}INVALID_ARTIFACT`, 'invalid artifact: %s', 400),
  modelInputMissing: entry<[string]>(`${PREFIX}MODEL_INPUT_MISSING`, '%s', 400),
  modelNotServing: entry<[string]>(`${PREFIX}MODEL_NOT_SERVING`, '%s', 404),
  modelNotFound: entry<[string]>(`${PREFIX}MODEL_NOT_FOUND`, 'model not found: %s', 404),
  versionNotFound: entry<[string]>(`${PREFIX}VERSION_NOT_FOUND`, 'version not found: %s', 404),
  trainingJobNotFound: entry<[string]>(`${PREFIX}TRAINING_JOB_NOT_FOUND`, 'training job not found: %s', 404),
  evaluationNotFound: entry<[string]>(`${PREFIX}EVALUATION_NOT_FOUND`, 'evaluation not found: %s', 404),
  orderNotFound: entry<[string]>(`${PREFIX}ORDER_NOT_FOUND`, 'order not found: %s', 404),
  registryNotFound: entry<[string]>(`${PREFIX}REGISTRY_NOT_FOUND`, '%s', 404),
  registryInvalid: entry<[string]>(`${PREFIX}REGISTRY_INVALID`, '%s', 400),
  registryConflict: entry<[string]>(`${PREFIX}REGISTRY_CONFLICT`, '%s', 409),
  versionCannotServe: entry<[string, string]>(`${PREFIX}VERSION_CANNOT_SERVE`, 'version %s cannot serve: %s', 409),
  promotionRefused: entry<[string]>(`${PREFIX}PROMOTION_REFUSED`, 'promotion refused: %s; or send "force": true', 409),
  modelNotEvaluable: entry<[string]>(`${PREFIX}MODEL_NOT_EVALUABLE`, 'a model version cannot be evaluated: %s', 409),
  reportNotReady: entry<[string, string]>(`${PREFIX}REPORT_NOT_READY`, 'evaluation %s is %s; its report exists once it has succeeded', 409),
  orderConflict: entry<[string]>(`${PREFIX}ORDER_CONFLICT`, '%s', 409),
  clientOrderIdReused: entry<[string, string]>(`${PREFIX}CLIENT_ORDER_ID_REUSED`, 'clientOrderId %s already opened order %s with another ticket', 409),
  outsideModelDomain: entry<[string]>(`${PREFIX}OUTSIDE_MODEL_DOMAIN`, '%s', 422),
  adminDisabled: entry<[string]>(`${PREFIX}ADMIN_DISABLED`, 'admin disabled: %s', 503, false),
  unauthorized: entry<[string]>(`${PREFIX}UNAUTHORIZED`, '%s', 401, false),
  rateLimited: entry<[string]>(`${PREFIX}RATE_LIMITED`, '%s', 429, false),
  underPressure: entry<[number, string]>(`${PREFIX}UNDER_PRESSURE`, 'service under pressure (eventLoopDelay: %s ms); retry after %s s', 503, false),
  noRoute: entry<[string, string]>(`${PREFIX}NO_ROUTE`, 'no route %s %s', 404, false),
} as const;

/** 400 naming every field at fault; the message lists them as `path: reason`. */
export function invalidRequest(details: readonly Detail[]): ApiError {
  return ApiErrors.invalidRequest(details, details.map((d) => `${d.path}: ${d.reason}`).join('; '));
}

/** A model that could not answer for a reason of its own (it threw, or answered non-finite values). */
export const ModelFailed = createError<[string]>(`${PREFIX}MODEL_FAILED`, '%s', 503);

function isApiError(err: FastifyError): err is ApiError {
  return typeof err.code === 'string' && err.code.startsWith(PREFIX) && typeof err.statusCode === 'number';
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** ajv's '/order/remaining' under 'body' becomes 'order.remaining'; required/additional name the missing field. */
function ajvIssue(e: AjvIssue, context: string | undefined): Detail {
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
function mergeIssues(issues: Detail[]): Detail[] {
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

export function errorBody(statusCode: number, message: string, details: readonly Detail[] = []) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}

/** The body of a catalogue error, for the hooks that answer before any route runs. */
export function bodyOf(err: ApiError) {
  return errorBody(err.statusCode, err.message, err.details ?? []);
}

/** Answers with a catalogue error straight from a hook (no trip through the error handler, headers kept). */
export function replyWith(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.status(err.statusCode).send(bodyOf(err));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const details = mergeIssues(err.validation.map((e) => ajvIssue(e as AjvIssue, err.validationContext)));
      const message = `invalid request: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`;
      return reply.status(400).send(errorBody(400, message, details));
    }
    if (err instanceof DomainError) return replyWith(reply, invalidRequest(requestDetails(err.issues)));
    if (isApiError(err)) return replyWith(reply, err);
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
    replyWith(reply, ApiErrors.noRoute([], request.method, request.url.split('?')[0]!));
  });
}
