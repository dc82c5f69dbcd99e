/** Builds the app for a test and closes it on teardown (fastify/demo test/helper.ts). */
import type { Test } from 'tap';
import { buildApp, type AppOptions } from '../src/app.js';

export async function build(t: Test, options: AppOptions = {}) {
  const app = await buildApp({ metrics: true, ...options });
  t.teardown(() => app.close());
  return app;
}

export const sellOrder = {
  side: 'sell',
  quantity: 100000,
  horizon: 20,
  step: 3,
  remaining: 85000,
  arrivalPrice: 99.99,
  executedNotional: 1499850,
  lotSize: 100,
  maxParticipation: 0.2,
} as const;

export const market = { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, volatility: 0.05 } as const;

/** A training job small enough for a test (a few seconds): the admin and scale-out tests share it. */
export const tinyTraining = {
  model: 'tiny',
  scenario: 'regime-liquidity',
  episodes: 30,
  seed: 11,
  evaluationEpisodes: 20,
  agent: { hidden: [8], warmupSteps: 40, normalizationEpisodes: 5, evalEvery: 0, batchSize: 16 },
};
