/** LEAN's clocks: equities in New York time, futures in UTC, so a futures session's hours move with New York's offset. */
import t from 'tap';
import { leanTradingHours, newYorkOffsetSeconds } from '../../../src/core/bars/lean.js';

t.test("New York's offset from UTC follows daylight time", async (t) => {
  t.equal(newYorkOffsetSeconds('2013-10-08'), 4 * 3600, 'October: daylight time, UTC - 4');
  t.equal(newYorkOffsetSeconds('2013-12-09'), 5 * 3600, 'December: standard time, UTC - 5');
  t.throws(() => newYorkOffsetSeconds('not-a-date'), /not a date/);
});

t.test('futures hours move to the UTC clock of their files; equity hours stay on New York time', async (t) => {
  t.match(leanTradingHours('cme', '2013-10-08'), { start: 13.5 * 3600, end: 20.25 * 3600 });
  t.match(leanTradingHours('comex', '2013-12-09'), { start: 13 * 3600 + 20 * 60, end: 18.5 * 3600 });
  t.match(leanTradingHours('usa', '2013-10-08'), { start: 9.5 * 3600, end: 16 * 3600 });
  t.equal(leanTradingHours('nowhere', '2013-10-08'), undefined);
});
