import t from 'tap';
import {
  bucketLevels,
  calibrate,
  correlation,
  lag1Autocorrelation,
  leaveOneOutProfiles,
  midReturnsBps,
  movingAverage,
  sessionBuckets,
  shapeOf,
  spreadBps,
  volatilityShape,
  type StepSeries,
} from '../../src/core/calibration-stats.js';
import { Rng } from '../../src/core/rng.js';

const close = (t: { ok: (pass: boolean, message: string) => void }, actual: number, expected: number, tolerance: number, what: string) =>
  t.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)} within ${tolerance} of ${expected}`);

/** AR(1) with persistence phi and unit stationary variance. */
function ar1(rng: Rng, n: number, phi: number): Float64Array {
  const x = new Float64Array(n);
  x[0] = rng.normal();
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + Math.sqrt(1 - phi * phi) * rng.normal();
  return x;
}

t.test('buckets: the first, middle and last 1/13 of the session, at least one step each', async (t) => {
  t.same(sessionBuckets(390), { open: [0, 30], midday: [180, 210], close: [360, 390] });
  t.same(sessionBuckets(5), { open: [0, 1], midday: [2, 3], close: [4, 5] });
  t.same(bucketLevels([3, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 4]), { open: 3, midday: 2, close: 4 });
  t.same(bucketLevels([NaN, 5, 1]), { open: NaN, midday: 5, close: 1 }, 'a step without a value is left out');
});

t.test('spread and mid returns in bps of the mid', async (t) => {
  const s = { bid: [99.99, 100.99], ask: [100.01, 101.01] };
  close(t, spreadBps(s)[0], 2, 1e-9, 'a 2-cent spread on $100');
  const r = midReturnsBps(s);
  t.ok(Number.isNaN(r[0]), 'no return before the first step');
  close(t, r[1], 1e4 * Math.log(101 / 100), 1e-9, 'log return of the mid');
});

t.test('U shape: open and close over midday, whatever the session scale', async (t) => {
  const day = (scale: number) => Float64Array.from({ length: 390 }, (_, i) => scale * (i < 30 ? 3 : i >= 360 ? 4 : 1));
  const shape = shapeOf([day(1), day(1000)].map(bucketLevels));
  close(t, shape.open, 3, 1e-12, 'open');
  close(t, shape.close, 4, 1e-12, 'close');
  // A flat but persistent two-level series (the regime-liquidity kind) has no shape, however short.
  const rng = new Rng(7);
  const flat = Array.from({ length: 4000 }, () => {
    let high = rng.uniform() < 0.5;
    return Float64Array.from({ length: 20 }, () => {
      if (rng.uniform() >= 0.9) high = !high;
      return high ? 90_000 : 10_000;
    });
  });
  const f = shapeOf(flat.map(bucketLevels));
  close(t, f.open, 1, 0.06, 'flat persistent series: open');
  close(t, f.close, 1, 0.06, 'flat persistent series: close');
});

t.test('volatility shape: twice the standard deviation in the open bucket reads 2, even with one return there', async (t) => {
  const rng = new Rng(3);
  const sessions = Array.from({ length: 3000 }, () => {
    const r = Float64Array.from({ length: 26 }, (_, i) => (i < 2 ? 2 : 1) * rng.normal());
    r[0] = NaN; // the first step has no return
    return r;
  });
  const v = volatilityShape(sessions);
  close(t, v.open, 2, 0.1, 'open');
  close(t, v.close, 1, 0.05, 'close');
});

t.test('lag-1 autocorrelation: an AR(1) returns its persistence; a gap breaks a pair, not the series', async (t) => {
  const rng = new Rng(11);
  const sessions = Array.from({ length: 50 }, () => ar1(rng, 4000, 0.6).map((x) => x + 5));
  close(t, lag1Autocorrelation(sessions), 0.6, 0.02, 'phi 0.6');
  close(t, lag1Autocorrelation(Array.from({ length: 50 }, () => ar1(rng, 4000, 0))), 0, 0.02, 'white noise');
  // Alternating +-1 with a gap: the pairs left are all (+1, -1) or (-1, +1).
  t.equal(lag1Autocorrelation([[1, -1, NaN, -1, 1, -1, 1]]), -1);
});

t.test('correlation of y = a x + noise is a sd(x) / sd(y); NaN pairs are skipped', async (t) => {
  const rng = new Rng(5);
  const x = Float64Array.from({ length: 100_000 }, () => rng.normal());
  const y = x.map((v) => 0.5 * v + rng.normal());
  close(t, correlation(x, y), 0.5 / Math.sqrt(1.25), 0.01, 'corr');
  t.equal(correlation([1, 2, NaN, 3], [2, 4, 100, 6]), 1);
  t.ok(Number.isNaN(correlation([1, 1, 1], [1, 2, 3])), 'no spread, no correlation');
});

t.test('profiles: a session is measured against the others, smoothed, never against itself', async (t) => {
  t.same([...movingAverage([0, 3, 0, 3], 1)], [1.5, 1, 2, 1.5]);
  const a = [1, 1, 1, 1, 100];
  const b = [2, 2, 2, 2, 2];
  const c = [4, 4, 4, 4, 4];
  const [pa, pb] = leaveOneOutProfiles([a, b, c], 0);
  t.ok(pa.every((x) => Math.abs(x - 1) < 1e-12), "a's profile is b's and c's shape (flat), its own spike left out");
  close(t, pb[4], (100 / 20.8 + 1) / 2, 1e-12, "b's last step averages a's and c's relative volume");
  t.throws(() => leaveOneOutProfiles([a, [1, 2]], 1), RangeError);
});

t.test('calibrate: known spread, U shape, persistence and imbalance signal', async (t) => {
  const rng = new Rng(21);
  const series: StepSeries[] = [];
  for (let s = 0; s < 40; s++) {
    const n = 390;
    const shape = Float64Array.from({ length: n }, (_, i) => (i < 30 ? 3 : i >= 360 ? 4 : 1));
    const noise = ar1(rng, n, 0.5);
    const imbalance = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
    const bid = new Float64Array(n);
    const ask = new Float64Array(n);
    let mid = 100;
    for (let i = 0; i < n; i++) {
      // The mid move into step i follows the imbalance shown at the end of step i - 1.
      if (i > 0) mid *= Math.exp(1e-4 * (imbalance[i - 1] + rng.normal()));
      bid[i] = mid * (1 - 1e-4);
      ask[i] = mid * (1 + 1e-4);
    }
    series.push({
      bid,
      ask,
      bidSize: imbalance.map((x) => 100 * (1 + x)),
      askSize: imbalance.map((x) => 100 * (1 - x)),
      volume: shape.map((v, i) => 1000 * v * Math.exp(0.4 * noise[i])),
      expectedVolume: shape,
    });
  }
  const c = calibrate(series);
  t.equal(c.sessions, 40);
  t.equal(c.steps, 390);
  close(t, c.spreadBps, 2, 1e-6, 'spread 2 bps');
  close(t, c.spreadShape.open, 1, 1e-6, 'constant spread has no shape');
  close(t, c.volumeShape.open, 3, 0.15, 'volume open');
  close(t, c.volumeShape.close, 4, 0.2, 'volume close');
  close(t, c.volumeAutocorrelation, 0.5, 0.04, 'log volume persistence once the profile is removed');
  t.equal(c.zeroVolumeShare, 0);
  // Uniform imbalance on [-1, 1] has variance 1/3: corr = sqrt(1/3) / sqrt(1/3 + 1).
  close(t, c.imbalanceCorrelation, Math.sqrt(1 / 3 / (1 / 3 + 1)), 0.03, 'imbalance predicts the next return');
  close(t, c.volatilityBps, Math.sqrt(1 / 3 + 1), 0.05, 'rms return per step, bps');
  const bare = calibrate(series.map(({ bidSize: _b, askSize: _a, ...rest }) => rest));
  t.equal(bare.sessionsWithSizes, 0);
  t.ok(Number.isNaN(bare.imbalanceCorrelation), 'no sizes, no imbalance statistic');
});
