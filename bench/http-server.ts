/**
 * A server for bench/http.ts, run in its own process so the load generator never shares its event loop.
 * Usage (bench/http.ts spawns it): node --import tsx bench/http-server.ts <kind> [--models-dir DIR] [--dqn-model DIR]
 *   ceiling            bare Fastify, one route validating the same DecisionRequest schema, constant answer
 *   service            buildApp as production runs it: pino at info (Fastify's request logging on), metrics,
 *                      under-pressure at 1000 ms
 *   service-warn       the same with the logger at warn: what disableRequestLogging would save
 *   service-nometrics  the same as service without route metrics
 *   service-lean       log level warn and no route metrics (both costs removed)
 * Prints one JSON line { port, dqn } on stdout once listening; closes on SIGTERM.
 */
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildApp } from '../src/app.js';
import { DecisionRequest, DecisionResponse, ExplainQuery } from '../src/http/schemas.js';
import type { ModelSource } from '../src/plugins/models.js';
import { loadServingModel } from '../src/models/serving.js';
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
  if (!['service', 'service-warn', 'service-nometrics', 'service-lean'].includes(kind)) throw new Error(`unknown server kind "${kind}"`);
  const { dataDir, modelsDir, dqn } = serviceDirs();
  // pino's default destination (what server.ts gets) is an async SonicBoom on fd 1; the same, on /dev/null.
  const stream = pino.destination({ dest: '/dev/null', sync: false });
  const app = await buildApp({
    logger: { level: kind === 'service-warn' || kind === 'service-lean' ? 'warn' : 'info', stream },
    dataDir,
    modelsDir,
    maxEventLoopDelayMs: 1000,
    metrics: kind !== 'service-nometrics' && kind !== 'service-lean',
  });
  return { app, dqn };
}

const { app, dqn } = await start();
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, dqn })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
