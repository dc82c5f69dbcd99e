/**
 * The per-route latency histogram, http_request_duration_seconds{method, route, status_code, policy}, observed
 * from Fastify's own elapsed time in the app's one onResponse hook.
 *
 * Why not prom-client's Histogram: its observe() builds a label object, validates and hashes it and looks the
 * bucket up by its number-as-string key on every call, ~1 us per request (and fastify-metrics' route metrics
 * added a timer hook and a WeakMap on top: 5-35 us, docs/BENCHMARKS.md 1b). Here each label set's counts are a
 * Float64Array found by one Map lookup; prom-client's registry still serves them in its exposition format, next
 * to fastify-metrics' process metrics on /metrics.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type client from 'prom-client';

export interface RouteMetricsOptions {
  readonly buckets: readonly number[];
  /** Route URLs (as registered) that are not measured. */
  readonly exclude: readonly string[];
  /** The `policy` label of a request. */
  readonly policyOf: (request: FastifyRequest) => string;
}

export type RouteObserver = (request: FastifyRequest, reply: FastifyReply) => void;

const NAME = 'http_request_duration_seconds';
const SKIPPED_METHODS = new Set(['HEAD', 'OPTIONS']);

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** counts[i]: observations in (bounds[i-1], bounds[i]]; the last slot is above every bound (+Inf). */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

type MetricValue = { labels: Record<string, string | number>; value: number; metricName: string };

/** A histogram with prom-client's `get()` contract (what its Registry reads), cheap to observe. */
export class RouteLatencyHistogram {
  readonly name = NAME;
  readonly help = 'request duration in seconds';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(private readonly bounds: readonly number[]) {
    if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1])) throw new RangeError('histogram buckets must increase');
  }

  observe(method: string, route: string, statusCode: number, policy: string, seconds: number): void {
    const key = `${method} ${route} ${statusCode} ${policy}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        labels: { method, route, status_code: String(statusCode), policy },
        counts: new Float64Array(this.bounds.length + 1),
        sum: 0,
        count: 0,
      };
      this.series.set(key, s);
    }
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]) i++;
    s.counts[i]++;
    s.sum += seconds;
    s.count++;
  }

  /** What prom-client's Histogram.get() returns: cumulative buckets with an `le` label, then _sum and _count. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.counts[i];
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${NAME}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${NAME}_bucket` });
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${NAME}_sum` });
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${NAME}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

/** Registers the histogram with prom-client's default registry and returns the observer for the onResponse hook. */
export function routeMetrics(prom: typeof client, options: RouteMetricsOptions): RouteObserver {
  const histogram = new RouteLatencyHistogram(options.buckets);
  prom.register.registerMetric(histogram as unknown as client.Metric);
  const excluded = new Set(options.exclude);
  return (request, reply) => {
    const route = request.routeOptions.url;
    // Registered routes only (a 404 has no route URL), as fastify-metrics' registeredRoutesOnly did.
    if (route === undefined || excluded.has(route) || SKIPPED_METHODS.has(request.method)) return;
    histogram.observe(request.method, route, reply.statusCode, options.policyOf(request), reply.elapsedTime / 1000);
  };
}
