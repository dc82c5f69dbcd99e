/**
 * A server for bench/http.ts, run in its own process so the load generator never shares its event loop.
 * Usage (bench/http.ts spawns it): node --import tsx bench/http-server.ts <kind> [--models-dir DIR] [--dqn-model DIR]
 *   [--max-event-loop-delay-ms 1000] (the service's back-pressure threshold; bench/http-instructions.ts raises it)
 *   [--slow-request-ms 250] (the service's slow-request warning; bench/http-instructions.ts raises it too)
 *   ceiling            bare Fastify, one route validating the same DecisionRequest schema, constant answer
 *   service            buildApp as production runs it: pino at info, no per-request log lines (the default),
 *                      route metrics, under-pressure at 1000 ms
 *   service-requestlog the same with Fastify's per-request log lines (LOG_REQUESTS=true): what they cost
 *   service-nometrics  the same as service without route metrics
 *   service-noprocessmetrics  the same as service without prom-client's process metrics (PROCESS_METRICS=false)
 *   service-gcmetrics  the same as service with prom-client's GC duration histogram added (GC_METRICS=true)
 *   route-only         src/routes/decisions.ts alone in a bare Fastify (error mapping and models, no other hooks)
 * Prints one JSON line { port, dqn } on stdout once listening; closes on SIGTERM.
 */
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { installErrorHandling } from '../src/http/errors.js';
import { DecisionRequest, DecisionResponse, ErrorBody, ExplainQuery } from '../src/http/schemas.js';
import modelsPlugin from '../src/plugins/models.js';
import decisionRoutes from '../src/routes/decisions.js';
import type { ModelSource } from '../src/registry/served-models.js';
import { loadServingModel } from '../src/models/serving/serving.js';
import { flag } from './lib.js';

const kind = process.argv[2];

/** The ajv settings of src/app.ts, so the ceiling validates exactly as the service does. */
const ajv = { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, discriminator: true } } as const;

const CONSTANT = {
  quantity: 5000,
  forced: false,
  capped: false,
  limited: false,
  unexecuted: 0,
  remainingAfter: 80000,
  proposal: 5000,
  policy: { type: 'twap' },
  cumulativeShortfall: 0,
  cumulativeShortfallBps: 0,
};

/** The service as production builds it: an embedded registry (a fresh temporary DATA_DIR) seeded from models/. */
function serviceDirs(): { dataDir: string; modelsDir: string; dqn: string } {
  const modelsDir = flag('models-dir', 'models');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const dqn = existsSync(join(modelsDir, 'default', 'metadata.json')) ? 'registry (models/default imported)' : 'none';
  return { dataDir, modelsDir, dqn };
}

/** --dqn-model DIR: serve that artifact as "default" (bypasses the registry for models; e.g. a short training run). */
async function dqnOverride(): Promise<ModelSource | undefined> {
  const dir = flag('dqn-model', '');
  if (!dir) return undefined;
  const model = await loadServingModel(dir, 'default');
  const served = { name: 'default', version: model.metadata.version, infer: model.infer.bind(model) };
  return { resolve: (name) => (name === 'default' ? served : undefined), list: () => [{ name: 'default', status: 'loaded' }] };
}

async function start() {
  if (kind === 'ceiling') {
    const app = Fastify({ logger: false, ajv }).withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/v1/decisions',
      { schema: { body: DecisionRequest, querystring: ExplainQuery, response: { 200: DecisionResponse } } },
      async () => CONSTANT,
    );
    return { app, dqn: 'n/a' };
  }
  if (kind === 'route-only') {
    // The decision route and what it needs (error mapping, the models decoration) in a bare Fastify: the cost of
    // the handler itself, without the app's hooks and plugins (request id, under-pressure, metrics, logging).
    const app = Fastify({ logger: false, ajv }).withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(ErrorBody);
    installErrorHandling(app);
    await app.register(modelsPlugin, { source: await dqnOverride() });
    await app.register(decisionRoutes);
    return { app, dqn: 'n/a' };
  }
  if (!['service', 'service-requestlog', 'service-nometrics', 'service-noprocessmetrics', 'service-gcmetrics'].includes(kind)) throw new Error(`unknown server kind "${kind}"`);
  const { dataDir, modelsDir, dqn } = serviceDirs();
  // pino's default destination (what server.ts gets) is an async SonicBoom on fd 1; the same, on /dev/null.
  const stream = pino.destination({ dest: '/dev/null', sync: false });
  const app = await buildApp({
    logger: { level: 'info', stream },
    requestLogging: kind === 'service-requestlog',
    dataDir,
    modelsDir,
    models: await dqnOverride(),
    maxEventLoopDelayMs: Number(flag('max-event-loop-delay-ms', '1000')),
    slowRequestMs: Number(flag('slow-request-ms', '250')),
    metrics: kind !== 'service-nometrics',
    processMetrics: kind !== 'service-noprocessmetrics',
    gcMetrics: kind === 'service-gcmetrics',
  });
  await app.ready();
  // Whatever the files say, dqn is measured only when the app really serves "default".
  return { app, dqn: app.models.resolve('default') ? (flag('dqn-model', '') ? `--dqn-model ${flag('dqn-model', '')}` : dqn) : 'none' };
}

const { app, dqn } = await start();
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, dqn })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
