import t from 'tap';
import { buildSession, type BarSession, type RawBar } from '../../../src/core/bars/session.js';
import { ExecutionEnv } from '../../../src/core/environment.js';
import { evaluate } from '../../../src/core/evaluation.js';
import { policyFromName } from '../../../src/core/evaluation-policies.js';
import { ReplayMarket } from '../../../src/core/scenarios/replay.js';
import { Rng } from '../../../src/core/rng.js';

/** A session of 60 s bars ending at 60, 120, ..., trading hours 60..240 (three 60 s steps). */
function session(date: string, bars: Partial<RawBar>[], hours = { start: 60, end: 240 }): BarSession {
  const raw = bars.map((b, i) => ({ end: 60 * (i + 1), line: i + 1, bidSize: 100, askSize: 100, volume: 1000, ...b }) as RawBar);
  return buildSession({ instrument: 'T', date, source: `T_${date}.csv`, barSeconds: 60, tradingStart: hours.start, tradingEnd: hours.end }, raw);
}

// History: mid 100, 101, 100, 101 at the boundaries 60..240 (spread 0.02), 1000 shares per bar.
const history = session(
  '2024-01-01',
  [100, 101, 100, 101].map((mid) => ({ bid: mid - 0.01, ask: mid + 0.01 })),
);
// The episode's session: a flat 50.00 / 50.02 touch, 400 then 1600 shares traded in the two steps, the touch
// holding 40 shares at the second step's start (the end of the bar ending at 120 s).
const today = session('2024-01-02', [
  { bid: 50, ask: 50.02, volume: 0 },
  { bid: 50, ask: 50.02, volume: 400, bidSize: 40, askSize: 40 },
  { bid: 50, ask: 50.02, volume: 1600 },
  { bid: 50, ask: 50.02, volume: 0 },
]);

t.test('the cost of a hand-computed order: touch, temporary impact, beyond-touch walk, transient impact', async (t) => {
  const market = new ReplayMarket({ sessions: [history, today], horizon: 2, stepSeconds: 60, participation: 0.1, startSpacing: 1e6 });
  t.equal(market.episodeCount, 1, 'the first session is history only; one episode of the second');
  t.equal(market.episodeSession(0), 'T 2024-01-02');
  // Features from the history: sigma_day = sqrt(1 + 1 + 1), sigma_step = 1, tick 0.02, touch size 100;
  // expected volume 1000 + 1000, so Q = 0.1 x 2000 = 200 and TWAP sells 100 per step.
  t.equal(market.quantity, 200);
  const f = market.current.features;
  t.same([f.sigmaDay, f.sigmaStep, f.tick, f.touchSize], [Math.sqrt(3), 1, 0.02, 100]);
  t.same(market.volumeProfile(), [1000, 1000]);

  const env = new ExecutionEnv(market, { side: 'sell' });
  env.reset(0);
  const s0 = env.step(100);
  const s1 = env.step(100);
  t.ok(s1.done);
  const eta = 0.142;
  const h0 = eta * Math.sqrt(3) * Math.sqrt(100 / 400); // 100 of the step's 400 shares
  const h1 = eta * Math.sqrt(3) * Math.sqrt(100 / 1600);
  const kick0 = (0.5 / 2) * 1 * Math.sqrt(100 / 400); // Y / 2 x sigma_step x sqrt(participation)
  const transient1 = kick0 * (1 + 60 / 60) ** -0.5; // decayed over one 60 s step
  const walk1 = (0.02 * 60) / 100; // 60 shares past the 40 at the touch, one tick deeper, per share of 100
  t.ok(Math.abs(s0.fill.price - (50 - h0)) < 1e-9, 'step 0: the touch less its temporary impact');
  t.ok(Math.abs(s1.fill.price - (50 - transient1 - h1 - walk1)) < 1e-9, 'step 1: plus the decayed displacement and the walk');
  const shortfall = 100 * (50 - s0.fill.price) + 100 * (50 - s1.fill.price);
  t.ok(Math.abs(env.result().shortfall - shortfall) < 1e-9);
  t.ok(Math.abs(env.shortfallBps() - (shortfall / (200 * 50)) * 1e4) < 1e-9, `${env.shortfallBps().toFixed(3)} bps`);
  t.ok(Math.abs(s1.view.market.bid - (50 - kick0 * (1 + 120 / 60) ** -0.5 - (0.5 / 2) * Math.sqrt(100 / 1600) * (1 + 60 / 60) ** -0.5)) < 1e-9,
    'the state after the order shows our displacement');

  const buy = new ExecutionEnv(new ReplayMarket({ sessions: [history, today], horizon: 2, stepSeconds: 60, participation: 0.1, startSpacing: 1e6 }), { side: 'buy' });
  buy.reset(0);
  const b0 = buy.step(100);
  const b1 = buy.step(100);
  t.ok(Math.abs(b0.fill.price - (50.02 + h0)) < 1e-9, 'a buy mirrors every sign');
  t.ok(Math.abs(b1.fill.price - (50.02 + transient1 + h1 + walk1)) < 1e-9);
  t.ok(Math.abs(buy.result().shortfall - env.result().shortfall) < 1e-9, 'the same cost in currency on either side');
});

/** Seeded random-walk sessions of 60 s bars over 09:30-16:00 with a U-shaped volume. */
function randomSessions(days: number, seed: number): BarSession[] {
  const rng = new Rng(seed);
  const out: BarSession[] = [];
  let mid = 100;
  for (let d = 0; d < days; d++) {
    const bars: RawBar[] = [];
    for (let i = 0; i <= 390; i++) {
      mid += (rng.uniform() - 0.5) * 0.1;
      const x = i / 390;
      const spread = 0.01 * (1 + Math.floor(rng.uniform() * 3));
      bars.push({ end: 34_200 + 60 * i, line: i + 1, bid: mid - spread / 2, ask: mid + spread / 2, bidSize: 100 + Math.floor(rng.uniform() * 900), askSize: 100 + Math.floor(rng.uniform() * 900), volume: Math.floor(5000 * (1 + 2 * (2 * x - 1) ** 2) * (0.5 + rng.uniform())), notional: 0 });
    }
    out.push(buildSession({ instrument: 'R', date: `2024-02-${String(d + 1).padStart(2, '0')}`, source: 'r', barSeconds: 60, tradingStart: 34_200, tradingEnd: 57_600 }, bars));
  }
  return out;
}

function mutateAfter(s: BarSession, t: number): BarSession {
  const copy = { ...s, bid: s.bid.slice(), ask: s.ask.slice(), volume: s.volume.slice(), bidSize: s.bidSize.slice(), askSize: s.askSize.slice() };
  for (let i = 0; i < s.bars; i++) {
    if (s.firstEnd + i * s.barSeconds > t) {
      copy.bid[i] *= 1.5;
      copy.ask[i] *= 1.5;
      copy.volume[i] = copy.volume[i] * 7 + 3;
      copy.bidSize[i] += 11;
    }
  }
  return copy;
}

t.test('causality: changing data after t changes nothing before t', async (t) => {
  const sessions = randomSessions(4, 7);
  const cut = 45_000; // 12:30 on the third session
  const changed = [sessions[0], sessions[1], mutateAfter(sessions[2], cut), mutateAfter(sessions[3], 0)];
  const params = { horizon: 30, stepSeconds: 60, participation: 0.05, startSpacing: 900 };
  const a = new ReplayMarket({ sessions, ...params });
  const b = new ReplayMarket({ sessions: changed, ...params });
  t.equal(a.episodeCount, b.episodeCount);
  let checkedSteps = 0;
  let checkedEpisodes = 0;
  for (let e = 0; e < a.episodeCount; e++) {
    a.reset(e);
    b.reset(e);
    const session = a.current.session;
    // Before t: every episode of the first two sessions, and the third session's episodes that start by t.
    if (session === 3 || (session === 2 && a.current.start > cut)) continue;
    checkedEpisodes++;
    t.same(b.current.features, a.current.features, `episode ${e}: features`);
    t.equal(b.quantity, a.quantity);
    t.same(b.volumeProfile(), a.volumeProfile());
    t.same(b.impactParams(), a.impactParams());
    for (let k = 0; k < a.horizon; k++) {
      const end = a.current.start + (k + 1) * params.stepSeconds;
      if (session === 2 && a.current.start + k * params.stepSeconds > cut) break;
      t.same(b.state(), a.state(), `episode ${e} step ${k}: state`);
      const xa = a.execute('sell', 300);
      const xb = b.execute('sell', 300);
      if (session !== 2 || end <= cut) {
        t.same(xb, xa, `episode ${e} step ${k}: fill`);
        checkedSteps++;
      } else break;
    }
  }
  t.ok(checkedEpisodes > 20 && checkedSteps > 500, `${checkedEpisodes} episodes, ${checkedSteps} steps checked`);
  // The mutation is seen where it should be: a later episode's fills.
  let differs = false;
  for (let e = 0; e < a.episodeCount && !differs; e++) {
    a.reset(e);
    b.reset(e);
    if (a.current.session !== 3) continue;
    differs = a.execute('sell', 300).price !== b.execute('sell', 300).price;
  }
  t.ok(differs, 'and it does change what comes after t');
});

t.test('episodes: spread over the hours, sized from earlier sessions, a larger participation costs TWAP more', async (t) => {
  const sessions = randomSessions(3, 11);
  const m = new ReplayMarket({ sessions, horizon: 30, stepSeconds: 60, participation: 0.05, warmupSeconds: 0 });
  t.equal(m.episodeCount, 2 * 13, '390 minutes / 30 per session with history; the first is history only');
  const starts = new Set(m.episodes.map((e) => e.start));
  t.equal(Math.min(...starts), 34_200);
  t.equal(Math.max(...starts), 34_200 + 12 * 1800);
  const e0 = m.episodes[0];
  t.equal(e0.quantity, Math.round(0.05 * e0.features.volumeProfile.reduce((a, b) => a + b, 0)));
  t.same(e0.features.history, ['R 2024-02-01']);
  t.same(m.episodes[13].features.history, ['R 2024-02-01', 'R 2024-02-02']);

  const cost = (participation: number) => {
    const createEnv = () => new ExecutionEnv(new ReplayMarket({ sessions, horizon: 30, stepSeconds: 60, participation }), { side: 'sell' });
    const probe = createEnv().market;
    return evaluate({ createEnv, policies: [policyFromName('twap', probe)], episodes: 1 }).policies.twap.meanBps;
  };
  const [low, mid, high] = [cost(0.01), cost(0.05), cost(0.2)];
  t.ok(low < mid && mid < high, `TWAP ${low.toFixed(2)} < ${mid.toFixed(2)} < ${high.toFixed(2)} bps`);
});

t.test('VWAP and AC take each episode\'s own profile and impact parameters', async (t) => {
  const sessions = randomSessions(3, 5);
  const createEnv = () => new ExecutionEnv(new ReplayMarket({ sessions, horizon: 10, stepSeconds: 60, participation: 0.05, warmupSeconds: 0 }), { side: 'sell' });
  const envs = [createEnv(), createEnv()];
  const vwap = policyFromName('vwap', envs[0].market);
  const slices: number[][] = [];
  for (const e of [0, 20]) {
    const view = envs[1].reset(e);
    vwap.begin?.(envs[1].market);
    slices.push([vwap.propose(view.order, view.market) / view.order.quantity]);
    const profile = envs[1].market.volumeProfile();
    t.ok(Math.abs(slices[slices.length - 1][0] - profile[0] / profile.reduce((a, b) => a + b, 0)) < 1e-9, `episode ${e}: first VWAP slice = its profile share`);
  }
  t.not(slices[0][0], slices[1][0], 'different episodes, different profiles');
});

t.test('bad parameters fail naming them', async (t) => {
  const sessions = randomSessions(2, 1);
  t.throws(() => new ReplayMarket({ sessions, stepSeconds: 90 }), /stepSeconds \(90\) must be a whole multiple of the 60 s bars of R 2024-02-01/);
  t.throws(() => new ReplayMarket({ sessions, participation: -1 }), /participation must be in/);
  t.throws(() => new ReplayMarket({ sessions: sessions.slice(0, 1), warmupSeconds: 0 }), /needs an earlier session/);
  t.throws(() => new ReplayMarket({ sessions, T: 390 } as never), /replay: unknown parameter T; the parameters are horizon, stepSeconds/);
});

t.test('a session with no earlier one learns from its own bars before each episode, after the warm-up', async (t) => {
  const [only] = randomSessions(1, 3);
  const m = new ReplayMarket({ sessions: [only], horizon: 30, stepSeconds: 60, participation: 0.05 });
  t.equal(m.episodes[0].start, 34_200 + 3600, 'the first episode starts an hour into the session');
  t.equal(m.episodeCount, 11, '(390 - 60) / 30 windows');
  const e = m.episodes[2];
  let before = 0;
  for (let i = 0; i < only.bars; i++) if (only.firstEnd + i * 60 > 34_200 && only.firstEnd + i * 60 <= e.start) before += only.volume[i];
  const steps = (e.start - 34_200) / 60;
  t.same(e.features.volumeProfile, new Array(30).fill(before / steps), 'a flat profile at the mean step volume so far');
  t.same(e.features.history, ['R 2024-02-01 before 11:30:00']);
  const changed = mutateAfter(only, e.start);
  t.same(new ReplayMarket({ sessions: [changed], horizon: 30, stepSeconds: 60, participation: 0.05 }).episodes[2].features, e.features, 'nothing at or after the start is read');
});
