import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseCanonicalCsv } from '../../../src/core/bars/canonical-csv.js';
import { MarketDataError } from '../../../src/core/bars/session.js';

const fixture = (name: string) => new URL(`../../fixtures/market-data/${name}`, import.meta.url).pathname;
const read = (name: string) => parseCanonicalCsv(fixture(name), readFileSync(fixture(name), 'utf8'));

t.test('a canonical file: instrument, date, bar length, the missing bar filled', async (t) => {
  const s = read('canonical/TEST_2024-01-02.csv');
  t.equal(s.instrument, 'TEST');
  t.equal(s.date, '2024-01-02');
  t.equal(s.barSeconds, 60, 'the smallest spacing of the rows');
  t.equal(s.firstEnd, 9 * 3600 + 31 * 60, 'time is the bar end, local clock of the offset');
  t.equal(s.bars, 5, '09:31..09:35 with 09:33 missing');
  t.same([...s.volume], [1000, 2000, 0, 1500, 500], 'a missing bar traded nothing');
  t.same([s.bid[2], s.ask[2], s.bidSize[2], s.askSize[2]], [100.01, 100.03, 300, 300], 'and kept the touch');
  t.equal(s.notional[0], 1000 * 100.01, 'notional from the vwap column');
  t.ok(Math.abs(read('canonical/TEST_2024-01-03.csv').notional[0] - 1200 * 101.01) < 1e-6, 'without vwap: the mid stands in');
});

t.test('each malformed class fails naming the file and the line', async (t) => {
  const cases: [string, number, RegExp][] = [
    ['BADHEADER_2024-01-02.csv', 1, /missing bid_size; unknown bidsize/],
    ['NONNUMERIC_2024-01-02.csv', 3, /ask "abc" is not a number/],
    ['ORDER_2024-01-02.csv', 4, /not after the previous/],
    ['CROSSED_2024-01-02.csv', 3, /crossed quote: bid 100.05 is above ask 100.03/],
    ['NOOFFSET_2024-01-02.csv', 2, /with a UTC offset/],
    ['TWODATES_2024-01-02.csv', 3, /one session per file/],
    ['FIELDS_2024-01-02.csv', 3, /expected 6 fields, got 5/],
  ];
  for (const [name, line, reason] of cases) {
    const file = fixture(`malformed/${name}`);
    try {
      parseCanonicalCsv(file, readFileSync(file, 'utf8'));
      t.fail(`${name} was accepted`);
    } catch (err) {
      t.ok(err instanceof MarketDataError, name);
      const e = err as MarketDataError;
      t.equal(e.file, file, `${name}: file`);
      t.equal(e.line, line, `${name}: line`);
      t.match(e.message, reason, `${name}: reason`);
      t.ok(e.message.startsWith(`${file}:${line}: `), `${name}: message starts with file:line`);
    }
  }
});
