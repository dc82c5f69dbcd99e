import t from 'tap';
import { existsSync } from 'node:fs';
import { MarketDataError } from '../../src/core/bars/session.js';
import { expandPaths, loadMarketSessions } from '../../src/io/market-data.js';
import { newYorkOffsetSeconds } from '../../src/core/bars/lean.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const LEAN = fixture('market-data/lean');
const BAD = fixture('market-data/lean-malformed');

t.test('LEAN equity minute zips: deci-cents to dollars, bar start to bar end, missing bar', async (t) => {
  const [a, b] = await loadMarketSessions([`${LEAN}/equity`]);
  t.equal(a.instrument, 'ABC');
  t.same([a.date, b.date], ['2024-01-02', '2024-01-03']);
  t.equal(a.barSeconds, 60);
  t.equal(a.firstEnd, 34_260, 'the 09:30:00 bar ends at 09:31:00');
  t.equal(a.bars, 4, '09:31..09:34, the 09:32 bar start (09:33 end) missing');
  t.same([a.bid[0], a.ask[0], a.bidSize[0], a.askSize[0]], [100, 100.02, 100, 200], '1000000 deci-cents = $100');
  t.same([...a.volume], [1000, 2000, 0, 500]);
  t.same([a.bid[2], a.ask[2]], [100.01, 100.03], 'a missing bar keeps the touch');
  t.equal(a.tradingStart, 34_200, 'regular hours of US equities');
  t.equal(a.tradingEnd, 57_600);
  t.ok(Math.abs(a.notional[0] - (1000 * (100.01 + 100 + 100.01)) / 3) < 1e-6, 'typical price x volume');
});

t.test('LEAN futures: the front expiry is the one that traded most; prices in points', async (t) => {
  const [s] = await loadMarketSessions([`${LEAN}/future`]);
  t.equal(s.instrument, 'XY');
  t.same([s.bid[0], s.ask[0]], [1000.5, 1000.75], 'the 202403 quotes, not the back month (1010/1011)');
  t.same([...s.volume], [900, 800]);
  // LEAN stamps futures in UTC: the session's New York hours move by that date's offset.
  t.equal(s.tradingEnd, 16.25 * 3600 + newYorkOffsetSeconds(s.date), "CME US day session, on the files' UTC clock");
});

t.test('folders, globs and files give the same sessions; a pattern matching nothing fails', async (t) => {
  const byGlob = await expandPaths([`${LEAN}/equity/usa/minute/abc/2024010[23]_*.zip`]);
  const byFolder = (await expandPaths([`${LEAN}/equity`])).filter((f) => f.endsWith('.zip'));
  t.same(byGlob, byFolder);
  const canonical = await loadMarketSessions([fixture('market-data/canonical/TEST_2024-01-02.csv'), fixture('market-data/canonical/*03.csv')]);
  t.same(canonical.map((s) => `${s.instrument} ${s.date}`), ['TEST 2024-01-02', 'TEST 2024-01-03']);
  await t.rejects(expandPaths([`${LEAN}/nothing-*.zip`]), /matches no file/);
  await t.rejects(expandPaths([`${LEAN}/missing.zip`]), /no such file/);
});

t.test('malformed LEAN input fails naming the zip member and line', async (t) => {
  await t.rejects(loadMarketSessions([`${BAD}/nomember`]), /20240102_trade\.zip:0: the zip holds no \*_trade\*\.csv member \(members: readme\.txt\)/);
  await t.rejects(loadMarketSessions([`${BAD}/nonnumeric`]), /20240102_quote\.zip!20240102_abc_minute_quote\.csv:2: field 2 "x" is not a number/);
  await t.rejects(loadMarketSessions([`${BAD}/order`]), /quote\.csv:2: time 34200000 ms is not after the previous row's 34260000/);
  await t.rejects(loadMarketSessions([`${BAD}/alone`]), /20240102_quote\.zip: no matching trade zip/);
  const err = await loadMarketSessions([`${BAD}/order`]).catch((e: unknown) => e);
  t.ok(err instanceof MarketDataError);
});

t.test('LOBSTER files aggregate to 1 s bars keeping the visible book', async (t) => {
  const [s] = await loadMarketSessions([fixture('TINY_2012-06-21_message_2.csv'), fixture('TINY_2012-06-21_orderbook_2.csv')]);
  t.equal(s.instrument, 'TINY');
  t.equal(s.date, '2012-06-21');
  t.equal(s.depth?.levels, 2);
  t.equal(s.firstEnd, 34_200);
  t.equal(s.depth!.book.length, s.bars * 8, 'four numbers per level per bar');
  t.equal(s.depth!.book[2], s.bid[0], 'level 1 bid is the touch');
});

const REAL = new URL('../../../shared/data/real/lean_algoseek_2013/Data/', import.meta.url).pathname;
t.test('the shared LEAN sessions load with their instrument and date', { skip: existsSync(REAL) ? false : `no shared data at ${REAL}` }, async (t) => {
  const es = await loadMarketSessions([`${REAL}future/cme/minute/es`]);
  t.equal(es.length, 9);
  t.ok(es.every((s) => s.instrument === 'ES' && s.barSeconds === 60));
  t.ok(es[1].bid[600] > 1600 && es[1].bid[600] < 1800, 'ESZ13 in index points');
  const spy = await loadMarketSessions([`${REAL}equity/usa/minute/spy`]);
  t.same(spy.map((s) => s.date), ['2013-10-04', '2013-10-07', '2013-10-08', '2013-10-09']);
  t.ok(spy[0].bid[400] > 160 && spy[0].bid[400] < 175, 'SPY in dollars');
});
