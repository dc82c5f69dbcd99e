/**
 * What a parent order adds to a decision: the p50 of POST /v1/orders/{id}/decisions and /fills against the stateless
 * POST /v1/decisions, in embedded mode (the file store under a temporary DATA_DIR), in one process through
 * app.inject (no sockets: the HTTP cost is the same for both and left out). The cases are interleaved in rounds, so
 * a noisy neighbour slows them alike; compare the ratios and differences of one run, not absolute figures.
 * Usage: npm run bench:orders [-- --rounds 300 --horizon 390]
 * Prints JSON: per case n, p50/p99 in microseconds, and each order case's p50 minus the stateless one's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadServingModel } from '../src/models/serving/serving.js';
import type { ModelSource } from '../src/registry/served-models.js';
import { numberFlag, summary } from './lib.js';

const rounds = numberFlag('rounds', 300);
const horizon = numberFlag('horizon', 390); // a trading day of one-minute steps
const warmup = 50;

const dataDir = await mkdtemp(join(os.tmpdir(), 'bench-orders-'));
// The default model, the generalist: its domain covers a day of one-minute steps (the specialists answer 422 there).
const served = await loadServingModel(new URL('../models/default', import.meta.url).pathname, 'default');
const models: ModelSource = { resolve: (name) => (name === 'default' ? served : undefined), list: () => [] };
const app = await buildApp({ metrics: false, dataDir, models });
await app.ready();

const market = { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, averageVolume: 50000, volatility: 0.05 };
const policies = { twap: { type: 'twap' }, dqn: { type: 'dqn', model: 'default' } } as const;
// 10% of the horizon's expected volume: inside the generalist's domain.
const quantity = Math.round(0.1 * market.averageVolume * horizon);

async function inject(method: 'GET' | 'POST', url: string, payload?: object): Promise<number> {
  const t0 = process.hrtime.bigint();
  const res = await app.inject({ method, url, payload });
  const us = Number(process.hrtime.bigint() - t0) / 1e3;
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return us;
}

/** An order per policy, replaced by a fresh one when its horizon is used up. */
const orders: Record<string, { id: string; step: number }> = {};
async function orderFor(kind: keyof typeof policies) {
  let o = orders[kind];
  if (!o || o.step >= horizon) {
    const res = await app.inject({ method: 'POST', url: '/v1/orders', payload: { side: 'sell', quantity, horizon, policy: policies[kind], maxParticipation: 0.2 } });
    o = orders[kind] = { id: res.json().id, step: 0 };
  }
  return o;
}

const samples: Record<string, number[]> = {};
const keep = (name: string, us: number, round: number) => round >= warmup && (samples[name] ??= []).push(us);
let fillId = 0;
for (let r = 0; r < rounds + warmup; r++) {
  for (const kind of ['twap', 'dqn'] as const) {
    const stateless = { policy: policies[kind], order: { side: 'sell', quantity, horizon, step: r % horizon, remaining: quantity - (r % horizon), executedNotional: (r % horizon) * 99.95, maxParticipation: 0.2 }, market };
    keep(`${kind}: POST /v1/decisions`, await inject('POST', '/v1/decisions', stateless), r);
    const o = await orderFor(kind);
    keep(`${kind}: POST /v1/orders/{id}/decisions`, await inject('POST', `/v1/orders/${o.id}/decisions`, { step: o.step++, market }), r);
    keep(`${kind}: POST /v1/orders/{id}/fills`, await inject('POST', `/v1/orders/${o.id}/fills`, { fillId: `f${fillId++}`, quantity: 1, price: 99.95 }), r);
  }
}
await app.close();
await rm(dataDir, { recursive: true, force: true });

const results: Record<string, ReturnType<typeof summary> & { p50OverStatelessUs?: number }> = {};
for (const [name, s] of Object.entries(samples)) results[name] = summary(s, 1);
for (const kind of ['twap', 'dqn']) {
  const base = results[`${kind}: POST /v1/decisions`]!.p50;
  for (const route of ['decisions', 'fills']) {
    const r = results[`${kind}: POST /v1/orders/{id}/${route}`]!;
    r.p50OverStatelessUs = Number((r.p50 - base).toFixed(1));
  }
}
process.stdout.write(`${JSON.stringify({ rounds, horizon, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, note: 'shared machine; microseconds; compare within this run', results }, null, 2)}\n`);
