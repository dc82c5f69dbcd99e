import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { ExecutionEnv } from '../../src/core/environment.js';
import { LobsterFormatError } from '../../src/core/lobster/csv.js';
import { parseLobster } from '../../src/core/lobster/day.js';
import { cutEpisodes, LOB_REPLAY_DEFAULTS, LobReplayMarket } from '../../src/core/scenarios/lob-replay.js';
import { loadLobsterCsvPair, loadLobsterFiles, loadLobsterZip } from '../../src/io/lobster-files.js';

const fixturePath = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const MSG = fixturePath('TINY_2012-06-21_message_2.csv');
const OB = fixturePath('TINY_2012-06-21_orderbook_2.csv');
// The real files are read in place beside the checkout (../shared), never copied; LOBSTER_DIR points elsewhere.
const REAL = process.env.LOBSTER_DIR
  ? `${process.env.LOBSTER_DIR.replace(/\/$/, '')}/`
  : new URL('../../../shared/data/real/lobster_2012-06-21/', import.meta.url).pathname;
const REAL_ZIP = `${REAL}LOBSTER_SampleFile_AMZN_2012-06-21_5.zip`;

const enc = (s: string) => new TextEncoder().encode(s);
const parse = (message: string, orderbook: string) =>
  parseLobster('x', { file: 'm.csv', bytes: enc(message) }, { file: 'o.csv', bytes: enc(orderbook) });

t.test('walking two levels by hand, depletion and refill, volume per step', async (t) => {
  const day = await loadLobsterCsvPair(MSG, OB);
  t.equal(day.levels, 2);
  t.equal(day.rows, 5);
  const market = new LobReplayMarket({ days: [day], quantity: 250, horizon: 3, stepSeconds: 60, sessionEnd: 34500, split: 'all', refillSteps: 2 });
  t.equal(market.episodeCount, 1, 'one 3 x 60 s episode from 34200; the next would end past sessionEnd 34500');
  const env = new ExecutionEnv(market);
  const view = env.reset(0);
  t.equal(view.market.bid, 100.01);
  t.equal(view.market.ask, 100.02);
  t.equal(view.order.arrivalPrice, 100.01);
  // Sell 250: 100 at 100.01 (level 1) + 150 at 100.00 (level 2); VWAP = (10001 + 15000) / 250 = 100.004.
  const r0 = env.step(250);
  t.ok(Math.abs(r0.fill.price - 100.004) < 1e-12, `fill ${r0.fill.price}`);
  t.ok(Math.abs(r0.shortfall - (100.01 - 100.004) * 250) < 1e-9);
  // Step 1 (34260): the book of 34230; half of what we took is still missing (refill over 2 steps).
  const s1 = r0.view.market;
  t.equal(s1.bidSize, 50, 'level 1: 100 - 100 x (1 - 1/2)');
  t.equal(s1.levels?.[1].bidSize, 125, 'level 2: 200 - 150 x (1 - 1/2)');
  t.equal(s1.askSize, 250, 'the ask side is untouched');
  t.equal(s1.volume, 50, 'executions (type 4) in [34200, 34260)');
  const r1 = env.step(0);
  // Step 2 (34320): book of 34300 (bid1 200 shares), fully refilled; hidden execution (type 5) counted.
  t.equal(r1.view.market.bidSize, 200);
  t.equal(r1.view.market.volume, 30, 'hidden execution (type 5) in [34260, 34320)');
});

t.test('beyond the visible depth a modelled book continues past the deepest level', async (t) => {
  const day = await loadLobsterCsvPair(MSG, OB);
  const market = new LobReplayMarket({ days: [day], quantity: 1000, horizon: 3, sessionEnd: 34500, split: 'all' });
  market.reset(0);
  const fill = market.execute('sell', 1000);
  // 100 @ 100.01, 200 @ 100.00 visible; 700 beyond on levels 0.01 apart holding 150 each (the visible mean):
  // 150 @ 99.99, 150 @ 99.98, 150 @ 99.97, 150 @ 99.96, 100 @ 99.95.
  const beyond = 150 * (99.99 + 99.98 + 99.97 + 99.96) + 100 * 99.95;
  t.ok(Math.abs(fill.price - (100 * 100.01 + 200 * 100.0 + beyond) / 1000) < 1e-9, `${fill.price}`);
  const buy = new LobReplayMarket({ days: [day], quantity: 1000, horizon: 3, sessionEnd: 34500, split: 'all' });
  buy.reset(0);
  t.ok(Math.abs(buy.execute('buy', 500).price - (300 * 100.02 + 200 * 100.03) / 500) < 1e-12, 'a buy walks the asks');
});

t.test('malformed files fail naming the file and the line', async (t) => {
  const ok = '1.0,1,1,10,100,1\n2.0,1,2,10,100,1\n';
  const book = '101,1,99,1\n101,1,99,1\n';
  t.throws(() => parse('1.0,1,1,10,100,1\n2.0,1,2,10,100\n', book), /m\.csv:2: expected 6 fields, got 5/);
  t.throws(() => parse(ok, '101,1,99,1\n101,1,99,1,5\n'), /o\.csv:2: more than 4 fields/);
  t.throws(() => parse('1.0,1,1,10,100,1\n2.0,1,2,1x,100,1\n', book), /m\.csv:2: field 4 is not numeric/);
  t.throws(() => parse('1.0,1,1,,100,1\n', '101,1,99,1\n'), /m\.csv:1: field 4 is empty/);
  t.throws(() => parse('2.0,1,1,10,100,1\n1.0,1,2,10,100,1\n', book), /m\.csv:2: time 1 is before the previous row's 2/);
  t.throws(() => parse(ok, '101,1,99,1\n'), /o\.csv:1: row count 1 differs from the message file m\.csv \(2 rows\)/);
  t.throws(() => parse(ok, '101,1,99\n101,1,99\n'), /o\.csv:1: expected 4 x L fields/);
  t.throws(() => parse('1.0,9,1,10,100,1\n', '101,1,99,1\n'), /m\.csv:1: event type must be an integer 1\.\.7/);
  const err = t.throws(() => parse(ok, book.replace('99', 'abc')));
  t.ok(err instanceof LobsterFormatError);
  await t.rejects(loadLobsterFiles([MSG]), /no orderbook file/);
});

const noRealData = existsSync(REAL_ZIP) ? false : `real LOBSTER file not found: ${REAL_ZIP} (set LOBSTER_DIR)`;

t.test('real LOBSTER day: parse from the zip, cut episodes, split by time', { skip: noRealData }, async (t) => {
  const day = await loadLobsterZip(REAL_ZIP);
  t.equal(day.rows, 155_935, 'row count of SOURCE.md');
  t.equal(day.levels, 5);
  t.equal(day.cumVolume[day.rows], 613_248 + 197_507, 'visible + hidden executed shares of SOURCE.md');
  const train = new LobReplayMarket({ days: [day], split: 'train' });
  const validation = new LobReplayMarket({ days: [day], split: 'validation' });
  const test = new LobReplayMarket({ days: [day], split: 'test' });
  t.equal(train.episodeCount, 3, '09:30-12:30');
  t.equal(validation.episodeCount, 1, '12:30-13:30');
  t.equal(test.episodeCount, 2, '13:30-15:30');
  for (let e = 0; e < test.episodeCount; e++) t.ok(test.episodes[e].start >= 48_600, 'no test episode starts before the split');
  for (let e = 0; e < train.episodeCount; e++) t.ok(train.episodes[e].start + 3600 <= 45_000, 'train episodes end by the validation window');
  test.reset(0);
  const s = test.state();
  t.ok(s.bid > 200 && s.bid < s.ask && s.ask < 240, `AMZN touch ${s.bid}/${s.ask}`);
  t.equal(s.levels?.length, 5);
});

t.test('the horizon is at most MAX_HORIZON (10,000 steps), as everywhere else', async (t) => {
  const day = await loadLobsterCsvPair(MSG, OB);
  t.throws(() => new LobReplayMarket({ days: [day], horizon: 10_001, stepSeconds: 0.001, split: 'all' }), /horizon/);
});

t.test('train, validation and test windows never overlap; checkpoints are chosen on validation, never test', async (t) => {
  const day = await loadLobsterCsvPair(MSG, OB);
  const base = { ...LOB_REPLAY_DEFAULTS, days: [day], horizon: 10, stepSeconds: 60, sessionStart: 34_200, sessionEnd: 57_600, validationTime: 45_000, splitTime: 48_600 };
  const windows = (split: 'train' | 'validation' | 'test') => cutEpisodes({ ...base, split }).map((e) => [e.start, e.start + 600]);
  const [train, validation, test] = [windows('train'), windows('validation'), windows('test')];
  t.ok(train.length > 0 && validation.length > 0 && test.length > 0);
  t.ok(train.every(([, end]) => end <= 45_000), 'train ends by validationTime');
  t.ok(validation.every(([start, end]) => start >= 45_000 && end <= 48_600), 'validation lies between');
  t.ok(test.every(([start]) => start >= 48_600), 'test starts at splitTime');
  t.equal(train.length + validation.length + test.length, cutEpisodes({ ...base, split: 'all' }).length, 'every window in exactly one split');
  // The environment factory of training hands lob-replay's validation split to checkpoint selection.
  const { marketFactory } = await import('../../src/models/training/scenario-env.js');
  const market = (await marketFactory({ scenario: 'lob-replay', params: { horizon: 1, stepSeconds: 60, sessionEnd: 34_500, splitTime: 34_380, validationTime: 34_260 }, data: [MSG, OB] }, 'validation'))() as LobReplayMarket;
  t.same(market.episodes.map((e) => e.start), [34_260, 34_320], 'validation windows only');
  t.throws(() => new LobReplayMarket({ days: [day], validationTime: 50_000, splitTime: 48_600 }), /validationTime/);
});
