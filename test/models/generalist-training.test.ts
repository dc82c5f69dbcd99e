/**
 * The generalist pipeline end to end at toy size: a training job on the `generalist` scenario writes an obs-v2
 * artifact whose domain spans both sides and the sampler's ranges, and the service loads and serves it, refusing
 * what lies outside (e.g. a horizon beyond the sampled maximum).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { OBSERVATION_FEATURES_V2 } from '../../src/core/observation.js';
import { loadServingModel } from '../../src/models/serving/serving.js';
import { runTrainingJob } from '../../src/models/training/training-job.js';
import { DEFAULT_DQN_CONFIG } from '../../src/models/training/trainer.js';

t.test('a generalist training job writes an obs-v2 model that knows its domain', async (t) => {
  const out = join(await mkdtemp(join(tmpdir(), 'generalist-')), 'g');
  const metadata = await runTrainingJob(
    {
      scenario: { scenario: 'generalist', params: { horizonMax: 40 } },
      reward: 'shortfall',
      config: { ...DEFAULT_DQN_CONFIG, episodes: 12, hidden: [8], batchSize: 16, warmupSteps: 40, normalizationEpisodes: 5, evalEvery: 0, patience: 0 },
      out,
      version: 't',
      evaluation: { episodes: 10, baselines: ['twap', 'vwap', 'almgren-chriss'] },
    },
    () => {},
  );
  t.equal(metadata.observation.spec, 'obs-v2');
  t.same(metadata.observation.features, OBSERVATION_FEATURES_V2);
  const d = metadata.domain!;
  t.same(d.sides, ['sell', 'buy'], 'both sides sampled');
  t.same([...d.required].sort(), ['averageVolume', 'volatility', 'volume'], 'a quarter of the markets show no book: bidSize and askSize are optional');
  t.ok(d.parameters.horizon.min >= 5 && d.parameters.horizon.max <= 40, `horizon within the scenario's [5, 40]: ${JSON.stringify(d.parameters.horizon)}`);
  t.ok(d.parameters.maxParticipation.min < 0.1 && d.parameters.maxParticipation.max === 1, 'capped and uncapped orders');
  t.same(Object.keys((metadata.evaluation as { policies: object }).policies).sort(), ['dqn', 'twap'], 'vs TWAP where the market varies per episode');

  const model = await loadServingModel(out);
  const order = { side: 'buy' as const, quantity: 5000, horizon: 20, step: 0, remaining: 5000 };
  const market = { bid: 99.99, ask: 100.01, bidSize: 500, askSize: 500, volume: 20000, averageVolume: 20000, volatility: 0.1 };
  t.equal(model.admit(order, market).status, 'in', 'a plausible buy is inside');
  const far = model.admit({ ...order, horizon: 400 }, market);
  t.equal(far.status, 'out');
  t.match(far, { issues: [{ subject: 'order', field: 'horizon' }] });
  t.equal(model.admit(order, { bid: 99.99, ask: 100.01 }).status, 'missing');
});
