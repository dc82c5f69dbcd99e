import t from 'tap';
import { existsSync } from 'node:fs';
import { buildSession, type RawBar } from '../../src/core/bars/session.js';
import { recordedSteps, simulatedSeries, withRecordedProfiles } from '../../src/core/calibration-series.js';
import { calibrate } from '../../src/core/calibration-stats.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { loadMarketSessions } from '../../src/io/market-data.js';

const close = (t: { ok: (pass: boolean, message: string) => void }, actual: number, expected: number, tolerance: number, what: string) =>
  t.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)} within ${tolerance} of ${expected}`);

t.test('a recorded session cut to a window of its clock: the bars ending in (start, end]', async (t) => {
  const raw: RawBar[] = Array.from({ length: 10 }, (_, i) => ({ end: 100 + 60 * i, line: i + 1, bid: 10 + i, ask: 10.02 + i, bidSize: 5, askSize: 3, volume: i }));
  const s = buildSession({ instrument: 'X', date: '2020-01-02', source: 'test', barSeconds: 60 }, raw);
  const cut = recordedSteps(s, { start: 160, end: 340 });
  if (typeof cut === 'string') throw new Error(cut);
  t.same(Array.from(cut.volume), [2, 3, 4], 'bars ending at 220, 280, 340');
  t.same(Array.from(cut.bid), [12, 13, 14]);
  t.ok(cut.bidSize && cut.askSize, 'sizes kept');
  t.equal(recordedSteps(s, { start: 0, end: 340 }), 'the file does not cover the whole window');
  t.equal(recordedSteps(s, { start: 160, end: 1000 }), 'the file does not cover the whole window');
  const bare = buildSession({ instrument: 'X', date: '2020-01-02', source: 'test', barSeconds: 60 }, raw.map(({ bidSize: _b, askSize: _a, ...r }) => r));
  const noSizes = recordedSteps(bare, { start: 160, end: 340 });
  t.ok(typeof noSizes !== 'string' && noSizes.bidSize === undefined, 'a source without sizes shows none');
  const profiled = withRecordedProfiles([cut, cut]);
  t.equal(profiled[0].expectedVolume.length, 3, 'each session gets an expected volume per step');
});

t.test('a simulator played with empty slices: its drawn persistence and imbalance signal come back', async (t) => {
  // regime-liquidity over a long horizon: log volume flips between two levels, a chain staying with rho, so its
  // lag-1 autocorrelation is 2 rho - 1.
  const regime = createScenario('regime-liquidity', { horizon: 2000, rho: 0.9 });
  const r = calibrate(Array.from({ length: 10 }, (_, e) => simulatedSeries(regime, e)));
  close(t, r.volumeAutocorrelation, 0.8, 0.03, 'regime persistence');
  close(t, r.spreadBps, 2, 0.05, '2 cents on $100');
  t.equal(r.sessionsWithSizes, 0, 'regime-liquidity shows no book');

  // The generalist pinned to a predictive book: the next mid move is alpha sigma I + sigma xi, I = tanh(y) with y
  // N(0, s^2), s = 0.8 / sqrt(1 - 0.5^2): corr = alpha sd(I) / sqrt(alpha^2 E[I^2] + 1).
  const pinned = { horizonMin: 400, horizonMax: 400, volumeMin: 1e5, volumeMax: 1e5, volatilityBpsMin: 10, volatilityBpsMax: 10, imbalanceProbability: 1, imbalanceAlphaMin: 0.5, imbalanceAlphaMax: 0.5, bookProbability: 1 };
  const g = calibrate(Array.from({ length: 50 }, (_, e) => simulatedSeries(createScenario('generalist', pinned), e)));
  const s = 0.8 / Math.sqrt(0.75);
  let i2 = 0;
  for (let z = -8; z <= 8; z += 1e-3) i2 += Math.tanh(s * z) ** 2 * Math.exp(-z * z / 2) * 1e-3 / Math.sqrt(2 * Math.PI);
  close(t, g.imbalanceCorrelation, (0.5 * Math.sqrt(i2)) / Math.sqrt(0.25 * i2 + 1), 0.02, 'imbalance signal');
  close(t, g.volatilityBps, Math.sqrt(1 + 0.25 * i2) * 10, 0.3, 'volatility per step');

  const a = simulatedSeries(createScenario('intraday', {}), 3);
  const b = simulatedSeries(createScenario('intraday', {}), 3);
  t.same(Array.from(a.volume), Array.from(b.volume), 'same seed, same path');
});

// LEAN stamps futures in UTC: the US day session opens at 13:30 on the file's clock (09:30 New York, daylight time).
const ES = new URL('../../../shared/data/real/lean_algoseek_2013/Data/future/cme/minute/es', import.meta.url).pathname;
t.test('ES files are on UTC: the 09:30 New York open trades at 13:30 on their clock', { skip: existsSync(ES) ? false : `no shared data at ${ES}` }, async (t) => {
  const sessions = await loadMarketSessions([`${ES}/20131008_quote.zip`, `${ES}/20131008_trade.zip`]);
  const volume = (start: number) => {
    const cut = recordedSteps(sessions[0], { start, end: start + 1800 });
    if (typeof cut === 'string') throw new Error(cut);
    return Array.from(cut.volume).reduce((a, v) => a + v, 0);
  };
  const h = 3600;
  t.ok(volume(13.5 * h) > 5 * volume(9.5 * h), `13:30-14:00 on the file's clock trades ${volume(13.5 * h)}, 09:30-10:00 ${volume(9.5 * h)}`);
});
