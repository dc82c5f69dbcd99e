import t from 'tap';
import fc from 'fast-check';
import { seenSessions, sessionOfFile, splitSessions, walkForward } from '../../../src/core/replay/splits.js';

const ids = ['ES 2013-10-07', 'ES 2013-10-08', 'SPY 2013-10-08', 'ES 2013-10-09', 'SPY 2013-10-09', 'ES 2013-10-10'];

t.test('no session, and no date, in two splits', async (t) => {
  const s = splitSessions(ids, { trainUntil: '2013-10-07', testFrom: '2013-10-09' });
  t.same(s.train, ['ES 2013-10-07']);
  t.same(s.validation, ['ES 2013-10-08', 'SPY 2013-10-08']);
  t.same(s.test, ['ES 2013-10-09', 'ES 2013-10-10', 'SPY 2013-10-09']);
  t.same(splitSessions(ids).test.length, ids.length, 'without options every session is a test session');
  t.same(splitSessions(ids, { testFrom: '2013-10-09' }).train.length, 3, 'testFrom alone: the rest trains');
  t.same(splitSessions(ids, { trainUntil: '2013-10-08' }).test, ['ES 2013-10-09', 'ES 2013-10-10', 'SPY 2013-10-09']);
  const date = fc.integer({ min: 1, max: 28 }).map((d) => `2024-02-${String(d).padStart(2, '0')}`);
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom('A', 'B', 'C'), date).map(([i, d]) => `${i} ${d}`)), date, date, (sessions, a, b) => {
      const [trainUntil, testFrom] = a < b ? [a, b] : [b, a];
      if (trainUntil === testFrom) return;
      const split = splitSessions(sessions, { trainUntil, testFrom });
      const all = [...split.train, ...split.validation, ...split.test];
      if (all.length !== sessions.length || new Set(all).size !== sessions.length) throw new Error('a session is lost or in two splits');
      const dates = (xs: string[]) => new Set(xs.map((x) => x.split(' ')[1]));
      const [tr, va, te] = [dates(split.train), dates(split.validation), dates(split.test)];
      for (const d of tr) if (va.has(d) || te.has(d)) throw new Error(`date ${d} in two splits`);
      for (const d of va) if (te.has(d)) throw new Error(`date ${d} in two splits`);
    }),
  );
  t.throws(() => splitSessions(ids, { trainUntil: '2013-10-09', testFrom: '2013-10-09' }), /must be before --test-from/);
  t.throws(() => splitSessions(ids, { testFrom: '10/09/2013' }), /--test-from must be a date YYYY-MM-DD, got "10\/09\/2013"/);
});

t.test('walk-forward: each fold tests one later date on earlier ones only', async (t) => {
  const folds = walkForward(ids, 1);
  t.equal(folds.length, 3);
  for (const f of folds) {
    const test = f.test[0].split(' ')[1];
    t.ok([...f.train, ...f.validation].every((s) => s.split(' ')[1] < test), `fold testing ${test}`);
  }
  t.same(folds[2].validation, ['ES 2013-10-09', 'SPY 2013-10-09'], 'the last earlier date validates');
});

t.test('the sessions a model saw: recorded, or implied by its data file names', async (t) => {
  t.equal(sessionOfFile('../shared/data/real/lobster_2012-06-21/LOBSTER_SampleFile_AMZN_2012-06-21_5.zip'), 'AMZN 2012-06-21');
  t.equal(sessionOfFile('/d/equity/usa/minute/spy/20131007_quote.zip'), 'SPY 2013-10-07');
  t.equal(sessionOfFile('/d/ES_2013-10-07.csv'), 'ES 2013-10-07');
  t.same(seenSessions({ sessions: { train: ['ES 2013-10-07'], validation: ['ES 2013-10-08'] }, data: ['x/LOBSTER_SampleFile_GOOG_2012-06-21_1.zip'] }), [
    'ES 2013-10-07',
    'ES 2013-10-08',
    'GOOG 2012-06-21',
  ]);
});
