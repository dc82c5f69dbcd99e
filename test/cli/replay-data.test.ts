import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareReplay } from '../../src/cli/replay-data.js';

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
