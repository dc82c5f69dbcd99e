import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lobReplaySplit, prepareReplay } from '../../src/cli/replay-data.js';

const CANONICAL = new URL('../fixtures/market-data/canonical/', import.meta.url).pathname;

t.test('a model is not evaluated on the sessions it trained or validated on unless asked, and then it is said', async (t) => {
  const models = t.testdir();
  mkdirSync(join(models, 'm'));
  writeFileSync(join(models, 'm', 'metadata.json'), JSON.stringify({ training: { scenario: 'replay', sessions: { train: ['TEST 2024-01-02'], validation: ['TEST 2024-01-03'] } } }));
  await t.rejects(prepareReplay([CANONICAL], {}, ['twap', 'dqn:m'], models), /dqn:m trained or validated on TEST 2024-01-02, TEST 2024-01-03; .*--allow-seen-sessions/);
  const allowed = await prepareReplay([CANONICAL], { 'allow-seen-sessions': true }, ['twap', 'dqn:m'], models);
  t.same(allowed.seen, { 'dqn:m': ['TEST 2024-01-02', 'TEST 2024-01-03'] });
  mkdirSync(join(models, 'n'));
  writeFileSync(join(models, 'n', 'metadata.json'), JSON.stringify({ training: { scenario: 'replay', sessions: { train: ['TEST 2024-01-02'], validation: [] } } }));
  const later = await prepareReplay([CANONICAL], { 'test-from': '2024-01-03', 'train-until': '2024-01-02' }, ['dqn:n'], models);
  t.same(later.split.test, ['TEST 2024-01-03']);
  t.same(later.seen, {});
  await t.rejects(prepareReplay([CANONICAL], { 'test-from': '2024-01-03' }, ['dqn:m'], models), /validated on TEST 2024-01-03/, 'validation sessions count as seen');
  const unseen = await prepareReplay([CANONICAL], {}, ['twap'], models);
  t.same(unseen.split.test, ['TEST 2024-01-02', 'TEST 2024-01-03'], 'files no model saw: every session is a test session');
  await t.rejects(prepareReplay([CANONICAL], { 'test-from': '2025-01-01' }, ['twap'], models), /no test session/);
});

t.test('lob-replay --data: a model\'s own training day is evaluated only after its splitTime, unless asked', async (t) => {
  const models = t.testdir();
  mkdirSync(join(models, 'lob'));
  writeFileSync(join(models, 'lob', 'metadata.json'), JSON.stringify({ training: { scenario: 'lob-replay', data: ['/data/LOBSTER_SampleFile_AMZN_2012-06-21_5.zip'] } }));
  const amzn = ['/elsewhere/LOBSTER_SampleFile_AMZN_2012-06-21_1.zip'];
  const goog = ['/elsewhere/LOBSTER_SampleFile_GOOG_2012-06-21_1.zip'];
  t.same(await lobReplaySplit(goog, undefined, false, ['twap', 'dqn:lob'], models), { split: 'all' }, 'a day the model never saw: every window');
  t.same(await lobReplaySplit(amzn, undefined, false, ['twap'], models), { split: 'all' }, 'baselines only: every window');
  const own = await lobReplaySplit(amzn, undefined, false, ['twap', 'dqn:lob'], models);
  t.equal(own.split, 'test', 'its training day: the test windows only');
  t.match(own.note, /dqn:lob \(AMZN 2012-06-21\) trained on these days/);
  await t.rejects(lobReplaySplit(amzn, 'all', false, ['dqn:lob'], models), /split=all includes its training windows.*--allow-seen-sessions/);
  t.same(await lobReplaySplit(amzn, 'all', true, ['dqn:lob'], models), { split: 'all' }, 'asked for explicitly');
  t.same(await lobReplaySplit(amzn, 'test', false, ['dqn:lob'], models), { split: 'test' });
});
