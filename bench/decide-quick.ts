/**
 * Quick in-process decision latency per baseline (no HTTP): a warm-up that is not kept, then the measured pass.
 * Usage: npm run bench:decide-quick [-- --iterations 200000]
 * Prints JSON: per policy the median and p99 of one decide() call in microseconds, next to a floor (an empty
 * function call through the same loop) measured in the same run.
 */
import { decide } from '../src/core/decide.js';
import { createBaseline, type BaselineSpec } from '../src/core/policies/index.js';
import type { MarketState, Order, Policy } from '../src/core/types.js';

const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 100000;
const order: Order = { side: 'sell', quantity: 100000, horizon: 20, step: 3, remaining: 85000, lotSize: 100, maxParticipation: 0.2 };
const market: MarketState = { bid: 99.95, ask: 99.97, volume: 40000, volatility: 0.05 };

const specs: Array<[string, BaselineSpec]> = [
  ['twap', { type: 'twap' }],
  ['vwap', { type: 'vwap' }],
  ['pov', { type: 'pov', rate: 0.1 }],
  ['almgren-chriss', { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 }],
];

/** Times `batch` calls per sample so the clock's resolution does not dominate; returns per-call us. */
function measure(fn: () => void): { p50: number; p99: number } {
  const batch = 100;
  const samples: number[] = [];
  for (let i = 0; i < iterations / batch; i++) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / batch);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)], p99: samples[Math.floor(samples.length * 0.99)] };
}

let sink = 0;
const floorPolicy: Policy = { type: 'floor', propose: () => 0 };
const results: Record<string, { p50us: number; p99us: number }> = {};
// The policy is built per request in the service (its parameters come with the request), so build it here too.
const cases: Array<[string, () => void]> = [
  ['floor (constraint layer only)', () => (sink += decide(floorPolicy, order, market).slice.quantity)],
  ...specs.map(([name, spec]): [string, () => void] => [name, () => (sink += decide(createBaseline(spec), order, market).slice.quantity)]),
];
for (const [, fn] of cases) measure(fn); // warm-up, not kept
for (const [name, fn] of cases) {
  const { p50, p99 } = measure(fn);
  results[name] = { p50us: Number(p50.toFixed(3)), p99us: Number(p99.toFixed(3)) };
}
process.stdout.write(`${JSON.stringify({ iterations, node: process.version, results, sink: sink > 0 }, null, 2)}\n`);
