import t from 'tap';
import client from 'prom-client';
import { RouteLatencyHistogram, type RouteRecorder } from '../../src/http/route-metrics.js';

const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1];

t.test("the route histogram's exposition is prom-client's Histogram's, byte for byte", async (t) => {
  const ours = new client.Registry();
  const theirs = new client.Registry();
  const histogram = new RouteLatencyHistogram(buckets);
  ours.registerMetric(histogram as unknown as client.Metric);
  const reference = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration in seconds',
    labelNames: ['method', 'route', 'status_code', 'policy'],
    buckets,
    registers: [theirs],
  });
  // Values on bucket bounds (le is inclusive), between them, above the last and at zero, on three label sets.
  const observations: [string, string, number, string, number][] = [
    ['POST', '/v1/decisions', 200, 'twap', 0.00025],
    ['POST', '/v1/decisions', 200, 'twap', 0.0003],
    ['POST', '/v1/decisions', 200, 'dqn', 0],
    ['POST', '/v1/decisions', 200, 'dqn', 1],
    ['POST', '/v1/decisions', 400, 'none', 2.5],
    ['POST', '/v1/decisions', 200, 'twap', 0.0999],
  ];
  for (let i = 0; i < 50; i++) observations.push(['GET', '/healthz', 200, 'none', (i * 0.37) % 0.05]);
  const recorders = new Map<string, RouteRecorder>();
  for (const [method, route, status, policy, seconds] of observations) {
    const key = `${method} ${route}`;
    if (!recorders.has(key)) recorders.set(key, histogram.route(method, route));
    recorders.get(key)!.observe(status, policy, seconds);
    reference.observe({ method, route, status_code: String(status), policy }, seconds);
  }
  const text = await ours.metrics();
  t.equal(text, await theirs.metrics());
  t.match(text, /http_request_duration_seconds_bucket\{le="0.00025",method="POST",route="\/v1\/decisions",status_code="200",policy="twap"\} 1/);
  // The JSON form (cluster aggregation reads it) carries the same series; only prom-client's exemplar slot differs.
  const series = async (r: client.Registry) =>
    (await r.getMetricsAsJSON())[0].values.map((v) => ({ labels: v.labels, value: v.value, metricName: (v as { metricName?: string }).metricName }));
  t.strictSame(await series(ours), await series(theirs));

  histogram.reset();
  reference.reset();
  t.equal(await ours.metrics(), await theirs.metrics(), 'reset empties both');
  recorders.get('POST /v1/decisions')!.observe(200, 'twap', 0.0003);
  reference.observe({ method: 'POST', route: '/v1/decisions', status_code: '200', policy: 'twap' }, 0.0003);
  t.equal(await ours.metrics(), await theirs.metrics(), 'a recorder counts again after a reset');
});

t.test('bucket bounds must increase', async (t) => {
  t.throws(() => new RouteLatencyHistogram([0.1, 0.1]), RangeError);
});
