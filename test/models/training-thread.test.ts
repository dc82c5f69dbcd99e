import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { loadServingModel } from '../../src/models/serving/serving.js';
import type { TrainingMessage } from '../../src/models/training/training-job.js';
import { startTrainingWorker } from '../../src/models/training/training-runner.js';
import { DEFAULT_DQN_CONFIG } from '../../src/models/training/trainer.js';
import { tempDir } from './fixtures.js';

t.test('a training job runs in a worker, reports progress, and writes a loadable artifact', async (t) => {
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const out = join(root, 'tiny');
  const messages: TrainingMessage[] = [];
  // The caller's event loop keeps turning while the worker trains.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const handle = startTrainingWorker(
    {
      scenario: { scenario: 'regime-liquidity' },
      reward: 'shortfall',
      config: {
        ...DEFAULT_DQN_CONFIG,
        episodes: 30,
        hidden: [16],
        warmupSteps: 50,
        batchSize: 16,
        normalizationEpisodes: 5,
        evalEvery: 10,
        evalEpisodes: 5,
      },
      out,
      version: '0.0.1-test',
      evaluation: { episodes: 20, baselines: ['twap'] },
    },
    (m) => messages.push(m),
  );
  const metadata = await handle.done;
  clearInterval(timer);
  t.ok(ticks > 5, `event loop ticked ${ticks} times during training`);
  t.match(messages[0], { type: 'started', backend: /wasm|cpu/ });
  t.equal(messages.filter((m) => m.type === 'progress').length, 30, 'one progress message per episode');
  t.equal(messages.at(-1)?.type, 'done');
  t.equal(metadata.training.scenario, 'regime-liquidity');
  t.equal(metadata.training.episodes, 30);
  t.match(metadata.evaluation, { episodes: 20, policies: { twap: { meanBps: Number }, dqn: { meanBps: Number } } });
  const model = await loadServingModel(out);
  t.equal(model.metadata.weightsSha256, metadata.weightsSha256);
});

t.test('a failing job rejects with its error', async (t) => {
  const handle = startTrainingWorker(
    {
      scenario: { scenario: 'no-such-market' },
      reward: 'shortfall',
      config: DEFAULT_DQN_CONFIG,
      out: join(await tempDir(), 'never'),
      version: 'x',
      evaluation: { episodes: 0, baselines: [] },
    },
    () => {},
  );
  await t.rejects(handle.done, /unknown scenario "no-such-market"/);
});
