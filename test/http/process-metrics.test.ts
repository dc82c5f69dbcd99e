import t from 'tap';
import client from 'prom-client';
import { registerProcessMetrics } from '../../src/http/process-metrics.js';

const names = async (registry: client.Registry) => (await registry.getMetricsAsJSON()).map((m) => m.name).sort();

t.test("with gc, the same metrics as prom-client's collectDefaultMetrics; without, all but the GC histogram", async (t) => {
  const reference = new client.Registry();
  client.collectDefaultMetrics({ register: reference });
  const expected = await names(reference);
  t.ok(expected.includes('nodejs_gc_duration_seconds') && expected.length > 20, 'the reference is the full default set');

  const full = new client.Registry();
  registerProcessMetrics(full, { gc: true });
  t.same(await names(full), expected);

  const lean = new client.Registry();
  const modules = registerProcessMetrics(lean, { gc: false });
  t.notOk(modules.includes('gc'));
  t.same(await names(lean), expected.filter((name) => name !== 'nodejs_gc_duration_seconds'));
  // Scrape-time metrics read the process when collected: CPU time is there and positive.
  const cpu = (await lean.getMetricsAsJSON()).find((m) => m.name === 'process_cpu_seconds_total');
  t.ok(cpu && cpu.values[0].value > 0, 'process CPU time is collected');
});
