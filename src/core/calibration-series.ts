/**
 * Step series for the calibration statistics (calibration-stats.ts) from the two kinds of market: a recorded bar
 * session cut to a window of its clock, and a simulator played with empty slices (so our trading moves nothing).
 */
import type { BarSession } from './bars/session.js';
import { leaveOneOutProfiles, type StepSeries } from './calibration-stats.js';
import type { Market } from './market.js';
import type { MarketState } from './types.js';

/** Hours of a session's clock, seconds after midnight: the bars ending in (start, end]. */
export interface ClockWindow {
  readonly start: number;
  readonly end: number;
}

export type RecordedSteps = Omit<StepSeries, 'expectedVolume'>;

/**
 * The bars of `s` ending in the window, or the reason it has none to give (the file does not cover the whole
 * window, e.g. a Sunday-evening futures file or a half day).
 */
export function recordedSteps(s: BarSession, window: ClockWindow): RecordedSteps | string {
  const first = Math.round((window.start + s.barSeconds - s.firstEnd) / s.barSeconds);
  const count = Math.round((window.end - window.start) / s.barSeconds);
  if (first < 0 || first + count > s.bars) return 'the file does not cover the whole window';
  const cut = (a: Float64Array) => a.subarray(first, first + count);
  // A source without sizes leaves them at 0 (session.ts): then the touch shows no sizes at all.
  const sized = cut(s.bidSize).some((b, i) => b + s.askSize[first + i] > 0);
  return {
    bid: cut(s.bid),
    ask: cut(s.ask),
    ...(sized ? { bidSize: cut(s.bidSize), askSize: cut(s.askSize) } : {}),
    volume: cut(s.volume),
  };
}

/** Half-width of the profile's smoothing: 5 minutes of a 6.5-hour day, in steps. */
const PROFILE_HALF_WIDTH = 1 / 78;

/** Recorded sessions of one set (one clock grid) with each one's expected volume taken from the others. */
export function withRecordedProfiles(sessions: readonly RecordedSteps[]): StepSeries[] {
  if (sessions.length === 0) return [];
  const half = Math.max(1, Math.round(sessions[0].volume.length * PROFILE_HALF_WIDTH));
  const profiles = leaveOneOutProfiles(
    sessions.map((s) => s.volume),
    half,
  );
  return sessions.map((s, i) => ({ ...s, expectedVolume: profiles[i] }));
}

/**
 * One episode of a simulator as a step series: the touch after each step and the market's volume in it, with the
 * simulator's own expected volume profile. Empty slices leave the exogenous path exactly as drawn.
 */
export function simulatedSeries(market: Market, seed: number): StepSeries {
  market.reset(seed);
  const T = market.horizon;
  const bid = new Float64Array(T);
  const ask = new Float64Array(T);
  const bidSize = new Float64Array(T);
  const askSize = new Float64Array(T);
  const volume = new Float64Array(T);
  let sized = true;
  for (let k = 0; k < T; k++) {
    volume[k] = market.execute('sell', 0).volume;
    const after: MarketState = market.state();
    bid[k] = after.bid;
    ask[k] = after.ask;
    if (after.bidSize === undefined || after.askSize === undefined) sized = false;
    else {
      bidSize[k] = after.bidSize;
      askSize[k] = after.askSize;
    }
  }
  return { bid, ask, ...(sized ? { bidSize, askSize } : {}), volume, expectedVolume: market.volumeProfile() };
}
