/**
 * What an episode may know before it starts: the volume profile of its window, the volatility, the spread level,
 * the usual touch size and the tick, all measured on the instrument's EARLIER sessions only (the most recent
 * `historySessions` that traded in their trading hours), or, for a session with no earlier one, from its own bars
 * before the episode's start (after a warm-up). Nothing here reads the episode's own session at or after its start.
 */
import { barAtOrBefore, clock, sessionId, traded, type BarSession } from '../bars/session.js';

export interface EpisodeFeatures {
  /** Expected market volume of each step of the window (mean over the history sessions at the same clock time). */
  readonly volumeProfile: number[];
  readonly sigmaDay: number;
  readonly sigmaStep: number;
  /** Mean ask - bid at step boundaries in trading hours. */
  readonly spread: number;
  /** Median touch size (mean of bid and ask sizes) at step boundaries. */
  readonly touchSize: number;
  /** Smallest positive spread seen: the tick. */
  readonly tick: number;
  /** The sessions these came from. */
  readonly history: string[];
}

/** Earlier sessions of the same instrument and bar length that traded in their hours, most recent last. */
export function historyOf(sessions: readonly BarSession[], current: BarSession, count: number): BarSession[] {
  return sessions
    .filter((s) => s.instrument === current.instrument && s.barSeconds === current.barSeconds && s.date < current.date)
    .filter((s) => traded(s, s.tradingStart, s.tradingEnd).volume > 0)
    .sort((a, b) => a.date.localeCompare(b.date))
    .slice(-count);
}

function touchAt(s: BarSession, t: number): number {
  return Math.max(0, barAtOrBefore(s, t));
}

/**
 * For a session with no earlier one: the same features from its own bars in [tradingStart, start) only, with a
 * flat volume profile at the mean step volume so far (no earlier session, no shape to forecast).
 * @returns undefined when fewer than two steps precede the start or nothing traded in them.
 */
export function intradayFeatures(s: BarSession, start: number, horizon: number, stepSeconds: number): EpisodeFeatures | undefined {
  const steps = Math.floor((start - s.tradingStart) / stepSeconds + 1e-9);
  if (steps < 2) return undefined;
  const from = start - steps * stepSeconds;
  const volume = traded(s, from, start).volume;
  if (!(volume > 0)) return undefined;
  let sumSq = 0;
  let spreadSum = 0;
  let tick = Infinity;
  const sizes: number[] = [];
  let prevMid = NaN;
  for (let k = 0; k <= steps; k++) {
    const i = touchAt(s, from + k * stepSeconds);
    const mid = (s.bid[i] + s.ask[i]) / 2;
    const spread = s.ask[i] - s.bid[i];
    if (!Number.isNaN(prevMid)) sumSq += (mid - prevMid) ** 2;
    prevMid = mid;
    spreadSum += spread;
    if (spread > 1e-9) tick = Math.min(tick, spread);
    sizes.push((s.bidSize[i] + s.askSize[i]) / 2);
  }
  sizes.sort((a, b) => a - b);
  const sigmaStep = Math.sqrt(sumSq / steps);
  const daySteps = Math.max(1, (s.tradingEnd - s.tradingStart) / stepSeconds);
  return {
    volumeProfile: new Array<number>(horizon).fill(volume / steps),
    sigmaDay: sigmaStep * Math.sqrt(daySteps),
    sigmaStep,
    spread: spreadSum / (steps + 1),
    touchSize: Math.max(1, sizes[Math.floor(sizes.length / 2)]),
    tick: Number.isFinite(tick) ? Number(tick.toPrecision(10)) : 0,
    history: [`${sessionId(s)} before ${clock(start)}`],
  };
}

/** @returns undefined when there is no earlier session to learn from. */
export function episodeFeatures(history: readonly BarSession[], start: number, horizon: number, stepSeconds: number): EpisodeFeatures | undefined {
  if (history.length === 0) return undefined;
  const volumeProfile = new Array<number>(horizon).fill(0);
  let variance = 0;
  let steps = 0;
  let spreadSum = 0;
  let spreadCount = 0;
  let tick = Infinity;
  const sizes: number[] = [];
  for (const s of history) {
    for (let k = 0; k < horizon; k++) {
      const t = start + k * stepSeconds;
      volumeProfile[k] += traded(s, t, t + stepSeconds).volume / history.length;
    }
    let prevMid = NaN;
    let sessionSteps = 0;
    let sessionVar = 0;
    for (let t = s.tradingStart; t <= s.tradingEnd + 1e-9; t += stepSeconds) {
      const i = touchAt(s, t);
      const mid = (s.bid[i] + s.ask[i]) / 2;
      const spread = s.ask[i] - s.bid[i];
      if (!Number.isNaN(prevMid)) {
        sessionVar += (mid - prevMid) ** 2;
        sessionSteps++;
      }
      prevMid = mid;
      spreadSum += spread;
      spreadCount++;
      if (spread > 1e-9) tick = Math.min(tick, spread);
      sizes.push((s.bidSize[i] + s.askSize[i]) / 2);
    }
    variance += sessionVar / history.length;
    steps += sessionSteps / history.length;
  }
  sizes.sort((a, b) => a - b);
  const sigmaDay = Math.sqrt(variance);
  return {
    volumeProfile,
    sigmaDay,
    sigmaStep: steps > 0 ? sigmaDay / Math.sqrt(steps) : 0,
    spread: spreadCount > 0 ? spreadSum / spreadCount : 0,
    touchSize: Math.max(1, sizes[Math.floor(sizes.length / 2)] ?? 1),
    // Prices like 100.01 - 100 carry float noise; ten significant digits keep the tick a clean number.
    tick: Number.isFinite(tick) ? Number(tick.toPrecision(10)) : 0,
    history: history.map(sessionId),
  };
}
