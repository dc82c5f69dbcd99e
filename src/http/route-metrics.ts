/**
 * The per-route latency histogram, http_request_duration_seconds{method, route, status_code, policy}, observed in
 * one onResponse hook from Fastify's own elapsed time, with each label set's child looked up once and cached.
 * fastify-metrics' route metrics did the same with a timer started in an onRequest hook and a label object built
 * and hashed on every observation; on the decision path that cost 5-35 us per request (docs/BENCHMARKS.md 1b).
 * fastify-metrics still serves /metrics and the process metrics; only the route histogram is ours.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type client from 'prom-client';

export interface RouteMetricsOptions {
  readonly buckets: readonly number[];
  /** Route URLs (as registered) that are not measured. */
  readonly exclude: readonly string[];
  /** The `policy` label of a request. */
  readonly policyOf: (request: FastifyRequest) => string;
}

const SKIPPED_METHODS = new Set(['HEAD', 'OPTIONS']);

export function installRouteMetrics(app: FastifyInstance, prom: typeof client, options: RouteMetricsOptions): void {
  const histogram = new prom.Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration in seconds',
    labelNames: ['method', 'route', 'status_code', 'policy'],
    buckets: [...options.buckets],
  });
  const excluded = new Set(options.exclude);
  const children = new Map<string, ReturnType<typeof histogram.labels>>();
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = request.routeOptions.url;
    // Registered routes only (a 404 has no route URL), as fastify-metrics' registeredRoutesOnly did.
    if (route !== undefined && !excluded.has(route) && !SKIPPED_METHODS.has(request.method)) {
      const policy = options.policyOf(request);
      const key = `${request.method} ${route} ${reply.statusCode} ${policy}`;
      let child = children.get(key);
      if (!child) {
        child = histogram.labels(request.method, route, String(reply.statusCode), policy);
        children.set(key, child);
      }
      child.observe(reply.elapsedTime / 1000);
    }
    done();
  });
}
