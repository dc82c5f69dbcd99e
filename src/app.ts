/**
 * The service as a Fastify app built from options, so tests create it without listening (server.ts listens).
 * Plugins load in a visible order: external (docs, metrics, back-pressure), then ours (models), then routes.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type onSendHookHandler,
} from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import { pino, type DestinationStream, type LoggerOptions } from 'pino';

// fastify-metrics is CommonJS with an ES default export: unwrap it once.
const metrics = fastifyMetrics.default;
import { installErrorHandling } from './http/errors.js';
import { keepTickObjectAlive } from './http/keep-tick-object.js';
import loadShedding from './http/load-shedding.js';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './http/timeouts.js';
import { registerProcessMetrics } from './http/process-metrics.js';
import { requestIdGenerator } from './http/request-id.js';
import { AppLogController, requestLog } from './http/request-log.js';
import { registerRouteHistogram, RouteLatencyHistogram, UNMEASURED_METHODS } from './http/route-metrics.js';
import { ErrorBody } from './http/schemas.js';
import modelsPlugin from './plugins/models.js';
import type { ModelSource } from './registry/served-models.js';
import decisionRoutes from './routes/decisions.js';
import healthRoutes from './routes/health.js';
import policyRoutes from './routes/policies.js';
import scheduleRoutes from './routes/schedules.js';
import adminRoutes from './routes/admin/index.js';
import { DEFAULT_AUTH_FAILURES } from './plugins/admin-auth.js';
import { defaultDataRoot } from './http/data-roots.js';
import orderRoutes from './routes/orders.js';
import ordersPlugin from './plugins/orders.js';
import { apiAuth } from './plugins/api-auth.js';
import servicesPlugin, { createServices } from './plugins/services.js';
import type { PgServicesOptions } from './pg/services.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** Serve these models instead of the registry's (tests). */
  models?: ModelSource;
  /** The embedded registry, jobs and evaluations live here; without it the admin API answers 503. */
  dataDir?: string;
  /** Bundled model artifacts imported into an empty registry (models/). */
  modelsDir?: string;
  /** PostgreSQL (DATABASE_URL) instead of dataDir: registry and jobs shared by replicas, jobs run by workers. */
  database?: PgServicesOptions;
  admin?: {
    token?: string;
    rateLimitMax?: number;
    promotionMinT?: number;
    maxConcurrentJobs?: number;
    /** Failed authentications per client and window before 429 (default 10 per minute). */
    authFailures?: { max: number; windowMs: number };
    /** Folders the `data` files of jobs must lie in (default DATA_DIR/market-data). */
    dataRoots?: readonly string[];
  };
  /** Model versions kept loaded besides the aliased ones (default 8). */
  modelCacheVersions?: number;
  /** Bearer token every /v1 request must carry (API_TOKEN); without it /v1 is open. */
  apiToken?: string;
  /** The clock of the parent-order routes, epoch ms (tests move it). */
  orders?: { clock?: () => number };
  /** Limits on how long a client may take to send a request and how long a quiet connection is kept (ms). */
  timeouts?: Partial<HttpTimeouts>;
  /** Event-loop delay (ms) above which requests get 503 + Retry-After; 0 disables the check. */
  maxEventLoopDelayMs?: number;
  /** How often the event-loop delay is sampled (ms; default 1000; keep it several times the plugin's 10 ms
   * resolution, or a sample with no data reads as an infinite delay). */
  pressureSampleIntervalMs?: number;
  /** Log every request and response at info (default off: it about halves the decision route's throughput,
   * docs/BENCHMARKS.md 1a); slow requests are logged either way. */
  requestLogging?: boolean;
  /** A request slower than this (ms, routing to answer serialized) is logged at warn with its request id (250). */
  slowRequestMs?: number;
  /** Route metrics and /metrics (on by default). */
  metrics?: boolean;
  /**
   * prom-client's process and runtime metrics on /metrics (CPU, memory, heap, handles, event-loop lag; on by
   * default): all of its default metrics but the GC histogram (see gcMetrics).
   */
  processMetrics?: boolean;
  /**
   * prom-client's GC duration histogram (nodejs_gc_duration_seconds) beside the process metrics (off by default:
   * its per-collection observer cost decisions/s and one-connection p99 here, docs/BENCHMARKS.md 1b).
   */
  gcMetrics?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1];
const UNMEASURED_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/docs', '/openapi.json']);
const SLOW_REQUEST_MS = 250;

export const VERSION = '0.1.0';

/**
 * Fastify's own request and reply serializers (a line with `req` or `res` logs these fields, not the objects),
 * which it gives a logger it creates but not one it is handed (app.ts hands it this one, if at all).
 */
const serializers = {
  req: (req: FastifyRequest) => ({
    method: req.method, url: req.url, version: req.headers?.['accept-version'], host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
  }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

/** The app's logger from the `logger` option (pino options, plus `stream` as Fastify takes it); none when false. */
function appLogger(option: AppOptions['logger']): FastifyBaseLogger | undefined {
  if (!option) return undefined;
  if (option === true) return pino({ serializers });
  const { stream, ...rest } = option as LoggerOptions & { stream?: DestinationStream };
  return pino({ ...rest, serializers: { ...serializers, ...rest.serializers } }, stream);
}

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  keepTickObjectAlive(); // once per process: a V8 slow path on every request otherwise (its module says which)
  const nextRequestId = requestIdGenerator();
  const log = appLogger(options.logger);
  const requestLogging = log !== undefined && options.requestLogging === true;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    // Fastify's default requestTimeout (0) turns off Node's: a client trickling a body would hold its socket for
    // good. Node checks these deadlines on an interval (30 s by default): check often enough to keep them.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeouts.headersMs / 4))),
    },
    // Fastify gets the logger only to write per-request lines (LOG_REQUESTS). With a logger of its own it puts two
    // listeners on every response and takes them off again, whatever it logs: a cost on the decision path
    // (docs/BENCHMARKS.md 1b). Without one, and with its default child factory, every request's `request.log` is
    // Fastify's no-op logger, free; the app's lines go to `log` (below), a request's through requestLog(request),
    // a child with the request id made when a line is written (src/http/request-log.ts says why).
    ...(requestLogging ? { loggerInstance: log } : {}),
    logController: new AppLogController({ disableRequestLogging: !requestLogging }),
    bodyLimit: options.bodyLimit ?? 65536,
    // A caller's id is kept when it is safe to log; otherwise we make one. Either way every log line has it.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : nextRequestId();
    },
    ajv: {
      customOptions: {
        removeAdditional: false, // unknown fields are errors, not silently dropped
        coerceTypes: false, // "100" is not a number on a trading path
        allErrors: true,
        discriminator: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Fastify's own lines (listening, client errors) and every plugin's go through `app.log`: the app's logger.
  if (log && !requestLogging) app.log = log;

  app.addHook('onRequest', (request, reply, done) => {
    request.arrivedAt = performance.now();
    reply.header('x-request-id', request.id);
    done();
  });
  // Every route gets, when registered, one onSend hook with its labels fixed: the latency histogram (not for
  // /metrics and the docs) and, without per-request logs, a warning with the request id for a slow answer. The
  // latency runs from routing to the answer serialized (onSend, not onResponse: an onResponse hook makes Fastify
  // listen for every response's 'finish', the cost the logger option above avoids; the write is the kernel's).
  const slowRequestMs = options.slowRequestMs ?? SLOW_REQUEST_MS;
  // Once closing, every answer says Connection: close, so a keep-alive connection ends after its in-flight
  // response instead of idling until keepAliveMs and holding the close (and the process) open.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  const routeHistogram = options.metrics !== false ? new RouteLatencyHistogram(LATENCY_BUCKETS) : undefined;
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => !UNMEASURED_METHODS.has(m));
    const measured = routeHistogram && !UNMEASURED_ROUTES.has(route.url);
    const recorders = new Map(measured ? methods.map((m) => [m, routeHistogram.route(m, route.url)]) : []);
    const onSend: onSendHookHandler = (request, reply, payload, done) => {
      const ms = performance.now() - request.arrivedAt;
      recorders.get(request.method)?.observe(reply.statusCode, request.policyType ?? 'none', ms / 1000);
      if (ms > slowRequestMs) requestLog(request).warn({ statusCode: reply.statusCode, ms: Math.round(ms) }, 'slow request');
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    };
    route.onSend = [...[route.onSend ?? []].flat(), onSend];
  });
  // Declared, so every request object has the same shape whether or not a route sets it (Fastify's advice).
  app.decorateRequest('policyType', undefined);
  app.decorateRequest('arrivedAt', 0);
  app.addSchema(ErrorBody);
  // JSON only: a text body is a 415, not a string that fails validation further down.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);
  apiAuth(app, options.apiToken);

  await app.register(swagger, {
    // Shared schemas keep their $id as their name in the document (ErrorBody, not def-0).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Execution-scheduling service',
        version: VERSION,
        description:
          'Tells an execution engine how many shares to trade next for a parent order: a DQN policy or a baseline ' +
          '(TWAP, VWAP, POV, Almgren-Chriss). Every slice passes one constraint layer: 0 <= slice <= remaining, ' +
          'never against the side, participation cap except the flagged terminal trade, lot size, limit price.',
      },
      tags: [
        { name: 'decisions', description: 'The trading path' },
        { name: 'orders', description: 'Parent orders: ticket, slices, fills, audit trail and TCA' },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'admin: training', description: 'Training jobs (bearer token)' },
        { name: 'admin: models', description: 'Model registry and aliases (bearer token)' },
        { name: 'admin: evaluations', description: 'Evaluations and their reports (bearer token)' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'API_TOKEN, needed by every /v1 route when the service sets it' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (routeHistogram) {
    await app.register(metrics, {
      endpoint: {
        url: '/metrics',
        method: 'GET',
        logLevel: 'fatal',
        exposeHeadRoute: false,
        schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format): route latencies, process and runtime' },
        handler: () => undefined, // replaced by the plugin's
      },
      clearRegisterOnInit: true,
      defaultMetrics: { enabled: false }, // ours, without the GC observer unless asked: src/http/process-metrics.ts
      routeMetrics: { enabled: false }, // ours: src/http/route-metrics.ts
    });
    registerRouteHistogram(app.metrics.client, routeHistogram);
    if (options.processMetrics !== false) {
      registerProcessMetrics(app.metrics.client.register, { gc: options.gcMetrics === true });
    }
  }
  if (options.maxEventLoopDelayMs) {
    await app.register(loadShedding, {
      maxEventLoopDelayMs: options.maxEventLoopDelayMs,
      ...(options.pressureSampleIntervalMs ? { sampleIntervalMs: options.pressureSampleIntervalMs } : {}),
      retryAfterSeconds: 1,
    });
  }

  let source = options.models;
  if (options.dataDir || options.database) {
    const built = await createServices(
      {
        dataDir: options.dataDir,
        modelsDir: options.modelsDir,
        maxConcurrentJobs: options.admin?.maxConcurrentJobs ?? 1,
        database: options.database,
        cachedVersions: options.modelCacheVersions,
      },
      app.log,
    );
    await app.register(servicesPlugin, built);
    source ??= built.registry;
  }
  await app.register(modelsPlugin, { source });
  await app.register(healthRoutes);
  await app.register(decisionRoutes);
  await app.register(scheduleRoutes);
  await app.register(policyRoutes);
  await app.register(ordersPlugin, { dataDir: options.database ? undefined : options.dataDir, database: options.database, clock: options.orders?.clock });
  await app.register(orderRoutes);
  await app.register(adminRoutes, {
    token: options.admin?.token,
    rateLimitMax: options.admin?.rateLimitMax ?? 120,
    promotionMinT: options.admin?.promotionMinT ?? 2,
    authFailures: options.admin?.authFailures ?? DEFAULT_AUTH_FAILURES,
    dataRoots: options.admin?.dataRoots ?? (options.dataDir ? [defaultDataRoot(options.dataDir)] : []),
  });
  return app;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The decision's policy type, a label of the route metrics. */
    policyType?: string;
    /** performance.now() when the request was routed (its onRequest hook): the start of its measured latency. */
    arrivedAt: number;
  }
}
