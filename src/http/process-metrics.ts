/**
 * prom-client's default process and runtime metrics (CPU, memory, file descriptors, handles, heap, event-loop lag,
 * version), registered module by module so the GC duration histogram can be left out.
 *
 * Why: nodejs_gc_duration_seconds is fed by a PerformanceObserver on every garbage collection, and with it on the
 * service answered fewer decisions/s at saturation, spent more CPU per request and had a longer one-connection p99
 * than without it, in the same runs (docs/BENCHMARKS.md 1a, 1b); leaving out the event-loop-lag monitor,
 * the only other default metric that works between scrapes, moved neither CPU per request nor p99.
 * GC_METRICS=true adds it back. collectDefaultMetrics() has no way to skip one module, so each is loaded by the
 * name prom-client itself lists (collectDefaultMetrics.metricsList) from its lib/metrics/ directory; a module that
 * moved in a prom-client upgrade fails the start (and the /metrics tests), never silently.
 */
import { createRequire } from 'node:module';
import client from 'prom-client';

type MetricModule = (registry: client.Registry, config: { eventLoopMonitoringPrecision: number }) => void;

const require = createRequire(import.meta.url);
/** The GC module's name in prom-client's list. */
const GC_MODULE = 'gc';

/** Registers prom-client's default metrics on `registry`, the GC histogram only when `gc` is true. */
export function registerProcessMetrics(registry: client.Registry, options: { gc: boolean }): string[] {
  const names = client.collectDefaultMetrics.metricsList.filter((name) => options.gc || name !== GC_MODULE);
  for (const name of names) {
    const register = require(`prom-client/lib/metrics/${name}.js`) as MetricModule;
    // 10 ms: collectDefaultMetrics' own default precision for the event-loop delay monitor.
    register(registry, { eventLoopMonitoringPrecision: 10 });
  }
  return names;
}
