/**
 * The statistics that set a simulator beside a recorded market (docs/SCENARIOS.md, "Calibration against recorded
 * markets"). Both arrive as the same step series, one per session (an instrument's day, or one simulated episode),
 * so every number below means the same thing whatever produced it. Pure: no files, no simulators.
 */
import { quantile } from './stats.js';

/** One session on its step grid. */
export interface StepSeries {
  /** The touch at the end of each step (what the next decision sees). */
  readonly bid: ArrayLike<number>;
  readonly ask: ArrayLike<number>;
  /** Sizes at the touch, where the source shows them. */
  readonly bidSize?: ArrayLike<number>;
  readonly askSize?: ArrayLike<number>;
  /** Volume traded in each step. */
  readonly volume: ArrayLike<number>;
  /** Expected volume of each step (any scale): the intraday profile taken out of the volume's persistence. */
  readonly expectedVolume: ArrayLike<number>;
}

/** Open, midday and close as equal slices of the session: 13, the half hours of the US equity day. */
export const BUCKETS_PER_SESSION = 13;

/** A half-open step range [from, to). */
export type StepRange = readonly [number, number];

export interface SessionBuckets {
  readonly open: StepRange;
  readonly midday: StepRange;
  readonly close: StepRange;
}

/** The first, middle and last 1/13 of `steps` (at least one step each). */
export function sessionBuckets(steps: number): SessionBuckets {
  const width = Math.max(1, Math.round(steps / BUCKETS_PER_SESSION));
  const mid = Math.floor((steps - width) / 2);
  return { open: [0, width], midday: [mid, mid + width], close: [steps - width, steps] };
}

/** Mean of the finite values of x in [from, to) (NaN when there is none). */
function meanOf(x: ArrayLike<number>, from = 0, to = x.length): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (Number.isFinite(x[i])) {
      sum += x[i];
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** A quantity's mean level in the open, midday and close buckets of one session. */
export interface BucketLevels {
  readonly open: number;
  readonly midday: number;
  readonly close: number;
}

/** Non-finite entries (a step without a return) are left out. */
export function bucketLevels(x: ArrayLike<number>): BucketLevels {
  const b = sessionBuckets(x.length);
  return { open: meanOf(x, ...b.open), midday: meanOf(x, ...b.midday), close: meanOf(x, ...b.close) };
}

/** Open and close as multiples of midday. */
export interface Shape {
  readonly open: number;
  readonly close: number;
}

/**
 * Open and close over midday: the geometric mean over sessions of each session's ratio. A ratio within a session
 * is free of the session's scale (a busy day weighs no more than a quiet one), and the log keeps a persistent
 * level from reading as a shape: normalising by the session mean instead would lift the ends of a flat but
 * persistent series, whose middle moves with that mean more than its ends do. Sessions whose ratio is not a
 * positive number (an empty bucket) are left out.
 */
export function shapeOf(levels: readonly BucketLevels[]): Shape {
  const logRatio = (pick: (l: BucketLevels) => number) => {
    const logs = levels.map((l) => Math.log(pick(l) / l.midday)).filter(Number.isFinite);
    return Math.exp(meanOf(logs));
  };
  return { open: logRatio((l) => l.open), close: logRatio((l) => l.close) };
}

/**
 * RMS mid return in the open and close buckets over midday's. Each session's squared returns enter over their
 * mean outside the three buckets, and are averaged over sessions before the ratio. Returns are close to
 * independent, so that scale is independent of the buckets and divides them alike, however few returns a bucket
 * holds. (A per-session log ratio of buckets of one or two squared returns would fall well below 1 by Jensen's
 * inequality alone; a scale that includes the open would shrink a volatile open.) Sessions with no step outside
 * the buckets are left out.
 */
export function volatilityShape(returns: readonly ArrayLike<number>[]): Shape {
  let open = 0;
  let midday = 0;
  let close = 0;
  for (const r of returns) {
    const squared = Float64Array.from(r, (x) => x * x);
    const b = sessionBuckets(squared.length);
    const outside = squared.filter((_, i) => !(i < b.open[1] || (i >= b.midday[0] && i < b.midday[1]) || i >= b.close[0]));
    const scale = meanOf(outside);
    const l = bucketLevels(squared);
    if (!(scale > 0) || !Number.isFinite(l.open + l.midday + l.close)) continue;
    open += l.open / scale;
    midday += l.midday / scale;
    close += l.close / scale;
  }
  return { open: Math.sqrt(open / midday), close: Math.sqrt(close / midday) };
}

/** Quoted spread of each step, bps of the mid. */
export function spreadBps(s: Pick<StepSeries, 'bid' | 'ask'>): Float64Array {
  const out = new Float64Array(s.bid.length);
  for (let i = 0; i < out.length; i++) out[i] = (1e4 * (s.ask[i] - s.bid[i])) / ((s.ask[i] + s.bid[i]) / 2);
  return out;
}

/** Log mid return of each step in bps: entry k is the move from the end of step k - 1 to the end of step k; entry 0 is NaN. */
export function midReturnsBps(s: Pick<StepSeries, 'bid' | 'ask'>): Float64Array {
  const out = new Float64Array(s.bid.length);
  out[0] = NaN;
  for (let i = 1; i < out.length; i++) out[i] = 1e4 * Math.log((s.bid[i] + s.ask[i]) / (s.bid[i - 1] + s.ask[i - 1]));
  return out;
}

/** Touch imbalance (bidSize - askSize) / (bidSize + askSize) of each step; NaN without sizes or with an empty touch. */
export function touchImbalance(s: Pick<StepSeries, 'bidSize' | 'askSize'>, steps: number): Float64Array {
  const out = new Float64Array(steps).fill(NaN);
  if (!s.bidSize || !s.askSize) return out;
  for (let i = 0; i < steps; i++) {
    const total = s.bidSize[i] + s.askSize[i];
    if (total > 0) out[i] = (s.bidSize[i] - s.askSize[i]) / total;
  }
  return out;
}

/** Root mean square of the finite values. */
export function rms(x: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      sum += x[i] * x[i];
      n++;
    }
  }
  return n > 0 ? Math.sqrt(sum / n) : NaN;
}

/** Pearson correlation over the pairs (x_i, y_i) where both are finite; NaN below two pairs or without spread. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  }
  if (n < 2) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * Lag-1 autocorrelation pooled over sessions: each series is centred on its own mean, then the products of
 * neighbouring finite values are summed over every session (a gap, NaN, breaks a pair, not the series).
 */
export function lag1Autocorrelation(series: readonly ArrayLike<number>[]): number {
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const x of series) {
    const m = meanOf(x);
    for (let i = 1; i < x.length; i++) {
      if (Number.isFinite(x[i - 1]) && Number.isFinite(x[i])) {
        sxy += (x[i - 1] - m) * (x[i] - m);
        sxx += (x[i - 1] - m) ** 2;
        syy += (x[i] - m) ** 2;
      }
    }
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** log(volume / expected) of each step; NaN where no volume traded (the log has no value there). */
export function logVolumeSurprise(s: Pick<StepSeries, 'volume' | 'expectedVolume'>): Float64Array {
  const out = new Float64Array(s.volume.length);
  for (let i = 0; i < out.length; i++) out[i] = s.volume[i] > 0 && s.expectedVolume[i] > 0 ? Math.log(s.volume[i] / s.expectedVolume[i]) : NaN;
  return out;
}

/** Centred moving average over i - half .. i + half (cut at the ends). */
export function movingAverage(x: ArrayLike<number>, half: number): Float64Array {
  const prefix = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) prefix[i + 1] = prefix[i] + x[i];
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(x.length, i + half + 1);
    out[i] = (prefix[b] - prefix[a]) / (b - a);
  }
  return out;
}

/**
 * The expected volume of each recorded session from the others: every session's volume over its own mean, smoothed
 * over `half` steps either side, averaged over the other sessions of the set. Leaving the session out keeps its own
 * noise out of its profile (otherwise part of its persistence would be removed with the profile). One session
 * alone takes its own smoothed volume.
 * @throws RangeError when the sessions differ in length (they must share one clock grid).
 */
export function leaveOneOutProfiles(volumes: readonly ArrayLike<number>[], half: number): Float64Array[] {
  if (volumes.length === 0) return [];
  const steps = volumes[0].length;
  if (volumes.some((v) => v.length !== steps)) throw new RangeError('leaveOneOutProfiles: the sessions must have the same number of steps');
  const relative = volumes.map((v) => {
    const m = meanOf(v);
    return movingAverage(Float64Array.from(v, (x) => (m > 0 ? x / m : 0)), half);
  });
  if (relative.length === 1) return relative;
  const total = new Float64Array(steps);
  for (const r of relative) for (let i = 0; i < steps; i++) total[i] += r[i];
  return relative.map((r) => Float64Array.from(total, (t, i) => (t - r[i]) / (relative.length - 1)));
}

/** One source's statistics; NaN where the source has nothing to measure (e.g. no sizes at the touch). */
export interface Calibration {
  readonly sessions: number;
  /** Median steps per session. */
  readonly steps: number;
  /** Median over sessions of each session's median quoted spread, bps of the mid. */
  readonly spreadBps: number;
  /** Mean spread of the open and close buckets as multiples of midday's (shapeOf). */
  readonly spreadShape: Shape;
  /** Mean volume of the open and close buckets as multiples of midday's: the U shape (shapeOf). */
  readonly volumeShape: Shape;
  /** Share of steps in which nothing traded. */
  readonly zeroVolumeShare: number;
  /** Lag-1 autocorrelation of log(volume / expected volume), steps with volume only. */
  readonly volumeAutocorrelation: number;
  /** Median over sessions of the RMS log mid return per step, bps. */
  readonly volatilityBps: number;
  /** RMS return in the open and close buckets as multiples of midday's (volatilityShape). */
  readonly volatilityShape: Shape;
  /** Correlation of the touch imbalance at a step's end with the next step's mid return (each session's returns over their RMS). */
  readonly imbalanceCorrelation: number;
  /** Sessions that show sizes at the touch. */
  readonly sessionsWithSizes: number;
}

export function calibrate(series: readonly StepSeries[]): Calibration {
  const spreads = series.map(spreadBps);
  const returns = series.map(midReturnsBps);
  let zero = 0;
  let steps = 0;
  const imbalances: number[] = [];
  const nextReturns: number[] = [];
  let sessionsWithSizes = 0;
  series.forEach((s, j) => {
    for (let i = 0; i < s.volume.length; i++) if (!(s.volume[i] > 0)) zero++;
    steps += s.volume.length;
    const imbalance = touchImbalance(s, s.volume.length);
    const scale = rms(returns[j]);
    if (!imbalance.some(Number.isFinite) || !(scale > 0)) return;
    sessionsWithSizes++;
    for (let i = 0; i + 1 < imbalance.length; i++) {
      imbalances.push(imbalance[i]);
      nextReturns.push(returns[j][i + 1] / scale);
    }
  });
  const shape = (xs: readonly ArrayLike<number>[]) => shapeOf(xs.map(bucketLevels));
  return {
    sessions: series.length,
    steps: quantile(series.map((s) => s.volume.length), 0.5),
    spreadBps: quantile(spreads.map((x) => quantile(x, 0.5)), 0.5),
    spreadShape: shape(spreads),
    volumeShape: shape(series.map((s) => s.volume)),
    zeroVolumeShare: steps > 0 ? zero / steps : NaN,
    volumeAutocorrelation: lag1Autocorrelation(series.map(logVolumeSurprise)),
    volatilityBps: quantile(returns.map((r) => rms(r)), 0.5),
    volatilityShape: volatilityShape(returns),
    imbalanceCorrelation: correlation(imbalances, nextReturns),
    sessionsWithSizes,
  };
}
