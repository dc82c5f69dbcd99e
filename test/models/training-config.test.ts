/** One exploration default scaled to the job, for the admin API and the CLI; settings that cannot train. */
import t from 'tap';
import { defaultEpsilonSchedule, epsilonAt } from '../../src/models/training/epsilon.js';
import { trainingConfig, trainingConfigIssues } from '../../src/models/training/training-config.js';

t.test('exploration decays over half of the job, whatever its length', async (t) => {
  for (const episodes of [30, 300, 3000, 100_000]) {
    const config = trainingConfig(episodes, 1);
    t.same(config.epsilon, defaultEpsilonSchedule(episodes));
    t.equal(config.epsilon.decayEpisodes, Math.round(episodes / 2));
    t.equal(epsilonAt(config.epsilon, episodes - 1), 0.05, `${episodes} episodes end fully decayed`);
  }
  t.same(trainingConfig(300, 1, { epsilon: { start: 0.5, end: 0.1, decayEpisodes: 10 } }).epsilon, { start: 0.5, end: 0.1, decayEpisodes: 10 }, 'a given schedule wins');
});

t.test('settings that would only fail once the job runs are refused up front', async (t) => {
  t.same(trainingConfigIssues(trainingConfig(100, 1), 'agent'), [], 'the defaults train');
  t.match(trainingConfigIssues(trainingConfig(100, 1, { warmupSteps: 0 }), 'agent'), [{ path: 'agent.warmupSteps', reason: /batchSize/ }]);
  t.match(trainingConfigIssues(trainingConfig(100, 1, { bufferSize: 10 }), 'agent'), [{ path: 'agent.bufferSize' }]);
});
