/**
 * The per-route latency histogram, http_request_duration_seconds{method, route, status_code, policy}, observed
 * in an onSend hook that each route gets when it is registered (app.ts: from routing to the answer serialized), so a
 * request never asks for its route (`request.routeOptions` builds a new object on every read).
 *
 * Why not prom-client's Histogram: its observe() builds a label object, validates and hashes it and looks the
 * bucket up by its number-as-string key on every call, ~1 us per request (and fastify-metrics' route metrics
 * added a timer hook and a WeakMap on top: 5-35 us, docs/BENCHMARKS.md 1b). Here a route's recorder finds a label
 * set's counts (a Float64Array) by two Map lookups, status code then policy, with no key built; prom-client's
 * registry still serves them in its exposition format, next to fastify-metrics' process metrics on /metrics.
 */
import type client from 'prom-client';

/** Records one route's responses: the method and route labels are fixed when the route is registered. */
export interface RouteRecorder {
  observe(statusCode: number, policy: string, seconds: number): void;
}

const NAME = 'http_request_duration_seconds';
/** Methods never measured (as fastify-metrics' route metrics did not). */
export const UNMEASURED_METHODS: ReadonlySet<string> = new Set(['HEAD', 'OPTIONS']);

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
  /** Every label set, in the order of its first observation (the exposition's order, as prom-client's). */
  private readonly series: Series[] = [];
  private readonly routes: Map<number, Map<string, Series>>[] = [];

  constructor(private readonly bounds: readonly number[]) {
    if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1])) throw new RangeError('histogram buckets must increase');
  }

  /** The recorder of one method and route; its label sets appear in the exposition from their first response. */
  route(method: string, route: string): RouteRecorder {
    const byStatus = new Map<number, Map<string, Series>>();
    this.routes.push(byStatus);
    const bounds = this.bounds;
    const all = this.series;
    return {
      observe(statusCode, policy, seconds) {
        let byPolicy = byStatus.get(statusCode);
        if (!byPolicy) byStatus.set(statusCode, (byPolicy = new Map()));
        let s = byPolicy.get(policy);
        if (!s) {
          s = { labels: { method, route, status_code: String(statusCode), policy }, counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 };
          byPolicy.set(policy, s);
          all.push(s);
        }
        let i = 0;
        while (i < bounds.length && seconds > bounds[i]) i++;
        s.counts[i]++;
        s.sum += seconds;
        s.count++;
      },
    };
  }

  /** What prom-client's Histogram.get() returns: cumulative buckets with an `le` label, then _sum and _count. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    for (const s of this.series) {
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

  /** Forgets every label set, as prom-client's reset does. */
  reset(): void {
    this.series.length = 0;
    for (const byStatus of this.routes) byStatus.clear();
  }
}

/** Registers the histogram with prom-client's default registry (after fastify-metrics, which clears it at start). */
export function registerRouteHistogram(prom: typeof client, histogram: RouteLatencyHistogram): void {
  prom.register.registerMetric(histogram as unknown as client.Metric);
}
