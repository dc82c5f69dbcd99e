/**
 * `lob-replay` (docs/DESIGN.md 4): real LOBSTER books replayed. At each step boundary the visible book is the one
 * after the last message before the boundary. A child market order walks the visible levels of its side; its
 * VWAP is the fill price; shares beyond the visible depth walk a modelled book past the deepest visible level
 * (levels as far apart as the visible ones, each holding their mean size; the true book beyond level L is unknown). Depth the agent took stays missing at those prices
 * and refills linearly over `refillSteps` steps. No other impact: the recorded order flow does not react to us.
 * Episodes of `horizon` steps of `stepSeconds` are cut from each day and split by time: train episodes end by
 * `validationTime`, validation episodes (checkpoint selection) lie between it and `splitTime`, test episodes start
 * at or after `splitTime`, so no test episode overlaps training or validation data.
 */
import { MAX_HORIZON } from '../limits.js';
import { checkParam, type Execution, type ImpactParams, type Market } from '../market.js';
import { PRICE_SCALE, rowsBefore, type LobsterDay } from '../lobster/day.js';
import { walkCost } from '../replay/impact.js';
import type { BookLevel, MarketState, Side } from '../types.js';

/** One cent in LOBSTER price units: the level spacing assumed when only one level is visible. */
const TICK_UNITS = 100;

export interface LobReplayParams {
  days: readonly LobsterDay[];
  quantity: number;
  horizon: number;
  stepSeconds: number;
  /** Session window, seconds after midnight (09:30-16:00). */
  sessionStart: number;
  sessionEnd: number;
  /** Episode start times (seconds after midnight); default every horizon x stepSeconds from sessionStart. */
  starts?: readonly number[];
  /** Train episodes end by it; validation episodes lie in [validationTime, splitTime]. Default: one episode's
   * length before splitTime. */
  validationTime?: number;
  splitTime: number;
  split: 'train' | 'validation' | 'test' | 'all';
  refillSteps: number;
}

export const LOB_REPLAY_DEFAULTS: Readonly<Omit<LobReplayParams, 'days'>> = {
  quantity: 5_000,
  horizon: 60,
  stepSeconds: 60,
  sessionStart: 34_200,
  sessionEnd: 57_600,
  validationTime: undefined, // one episode before splitTime: 12:30 by default, three one-hour train episodes a day
  splitTime: 48_600, // 13:30: one validation episode a day before it, two test episodes after it
  split: 'test',
  refillSteps: 5,
};

interface Episode {
  readonly day: number;
  readonly start: number;
}

interface Taken {
  side: Side;
  /** LOBSTER price units. */
  price: number;
  shares: number;
  step: number;
}

const EMPTY_BID = -9_999_999_999;
const EMPTY_ASK = 9_999_999_999;

export class LobReplayMarket implements Market {
  readonly name = 'lob-replay';
  readonly params: LobReplayParams;
  readonly horizon: number;
  readonly quantity: number;
  readonly episodes: readonly Episode[];
  /** Per day: mean per-step volume and mid standard deviation per step over the training window. */
  private readonly dayStats: { volume: number; sigma: number; spread: number; depth: number }[];
  private episode: Episode = { day: 0, start: 0 };
  private k = 0;
  private taken: Taken[] = [];

  constructor(overrides: Partial<LobReplayParams> & { days: readonly LobsterDay[] }) {
    const p: LobReplayParams = { ...LOB_REPLAY_DEFAULTS, ...overrides };
    const n = this.name;
    if (p.days.length === 0) throw new RangeError('lob-replay: give at least one LOBSTER day (--data FILE)');
    checkParam(n, 'quantity', p.quantity, Number.MIN_VALUE);
    checkParam(n, 'horizon', p.horizon, 1, MAX_HORIZON);
    checkParam(n, 'stepSeconds', p.stepSeconds, 1e-6);
    checkParam(n, 'refillSteps', p.refillSteps, 1);
    if (!['train', 'validation', 'test', 'all'].includes(p.split)) throw new RangeError(`lob-replay: split must be train, validation, test or all, got ${p.split}`);
    p.validationTime ??= Math.max(p.sessionStart, p.splitTime - p.horizon * p.stepSeconds);
    if (!(p.validationTime <= p.splitTime)) throw new RangeError(`lob-replay: validationTime (${p.validationTime}) must be <= splitTime (${p.splitTime})`);
    this.params = p;
    this.horizon = p.horizon;
    this.quantity = p.quantity;
    this.episodes = cutEpisodes(p);
    if (this.episodes.length === 0) {
      throw new RangeError(`lob-replay: no ${p.split} episode of ${p.horizon} x ${p.stepSeconds}s fits the session; shorten the horizon or move splitTime`);
    }
    this.dayStats = p.days.map((day) => trainingStats(day, p));
  }

  get episodeCount(): number {
    return this.episodes.length;
  }

  /** One LOBSTER file is one instrument's day: its name is the session. */
  episodeSession(episode: number): string {
    if (!(Number.isInteger(episode) && episode >= 0 && episode < this.episodes.length)) {
      throw new RangeError(`lob-replay: episode must be an integer in [0, ${this.episodes.length - 1}], got ${episode}`);
    }
    return this.params.days[this.episodes[episode].day].name;
  }

  get step(): number {
    return this.k;
  }

  reset(seed: number): void {
    const count = this.episodes.length;
    this.episode = this.episodes[((seed % count) + count) % count];
    this.k = 0;
    this.taken = [];
  }

  private get day(): LobsterDay {
    return this.params.days[this.episode.day];
  }

  private boundary(k: number): number {
    return this.episode.start + k * this.params.stepSeconds;
  }

  /** Book row in force at step k's boundary (the last message before it; row 0 before the first message). */
  private row(k: number): number {
    return Math.max(0, rowsBefore(this.day, this.boundary(k)) - 1);
  }

  private missing(side: Side, price: number): number {
    let m = 0;
    for (const t of this.taken) {
      if (t.side === side && t.price === price) m += t.shares * Math.max(0, 1 - (this.k - t.step) / this.params.refillSteps);
    }
    return m;
  }

  /** Visible levels of one side at step k after the depth we took: prices (LOBSTER units) and sizes. */
  private sideLevels(side: Side): { prices: number[]; sizes: number[] } {
    const day = this.day;
    const L = day.levels;
    const base = Math.min(this.row(this.k), day.rows - 1) * 4 * L;
    const prices: number[] = [];
    const sizes: number[] = [];
    // A sell hits the bids (offset 2), a buy lifts the asks (offset 0).
    const offset = side === 'sell' ? 2 : 0;
    for (let l = 0; l < L; l++) {
      const price = day.book[base + 4 * l + offset];
      if (price === EMPTY_BID || price === EMPTY_ASK) continue;
      const size = day.book[base + 4 * l + offset + 1] - this.missing(side, price);
      if (size > 0) {
        prices.push(price);
        sizes.push(size);
      } else if (prices.length === 0 && l === L - 1) {
        // Every level taken: keep the deepest price with no size so the quotes stay defined.
        prices.push(price);
        sizes.push(0);
      }
    }
    return { prices, sizes };
  }

  private volumeBetween(from: number, to: number): { volume: number; notional: number } {
    const day = this.day;
    const a = rowsBefore(day, from);
    const b = rowsBefore(day, to);
    return { volume: day.cumVolume[b] - day.cumVolume[a], notional: day.cumNotional[b] - day.cumNotional[a] };
  }

  state(): MarketState {
    const bids = this.sideLevels('sell');
    const asks = this.sideLevels('buy');
    const stats = this.dayStats[this.episode.day];
    const levels: BookLevel[] = [];
    const depth = Math.min(bids.prices.length, asks.prices.length);
    for (let l = 0; l < depth; l++) {
      levels.push({
        bidPrice: bids.prices[l] / PRICE_SCALE,
        bidSize: bids.sizes[l],
        askPrice: asks.prices[l] / PRICE_SCALE,
        askSize: asks.sizes[l],
      });
    }
    const first = levels[0] ?? { bidPrice: NaN, bidSize: 0, askPrice: NaN, askSize: 0 };
    // v_{k-1}: executions in the previous step; before the session's first step, the training mean.
    const t = this.boundary(this.k);
    const previous = t - this.params.stepSeconds >= this.params.sessionStart ? this.volumeBetween(t - this.params.stepSeconds, t).volume : stats.volume;
    return {
      bid: first.bidPrice,
      ask: first.askPrice,
      bidSize: first.bidSize,
      askSize: first.askSize,
      volume: previous,
      volatility: stats.sigma,
      averageVolume: stats.volume,
      levels,
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('lob-replay: episode is over; call reset(seed)');
    const { prices, sizes } = this.sideLevels(side);
    let left = shares;
    let notional = 0;
    for (let l = 0; l < prices.length && left > 0; l++) {
      const take = Math.min(left, sizes[l]);
      if (take <= 0) continue;
      notional += take * prices[l];
      left -= take;
      this.taken.push({ side, price: prices[l], shares: take, step: this.k });
    }
    const deepest = prices[prices.length - 1];
    notional += left * deepest;
    if (left > 0) {
      // Beyond the visible depth: the replay scenario's modelled book (replay/impact.ts walkCost), levels as far
      // apart as the visible ones on average, each holding their mean size; a sell gets less, a buy pays more.
      const levelSize = sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.filter((x) => x > 0).length);
      const tick = prices.length > 1 ? Math.abs(deepest - prices[0]) / (prices.length - 1) : TICK_UNITS;
      notional += (side === 'sell' ? -1 : 1) * walkCost(left, levelSize > 0 ? levelSize : left, tick);
    }
    const touch = prices[0] / PRICE_SCALE;
    const price = shares > 0 ? notional / shares / PRICE_SCALE : touch;
    const t = this.boundary(this.k);
    const window = this.volumeBetween(t, t + this.params.stepSeconds);
    const mid = (this.sideLevels('sell').prices[0] + this.sideLevels('buy').prices[0]) / 2 / PRICE_SCALE;
    this.k++;
    const refill = this.params.refillSteps;
    this.taken = this.taken.filter((x) => this.k - x.step < refill);
    return { price, volume: window.volume, marketVwap: window.volume > 0 ? window.notional / window.volume : mid };
  }

  volumeProfile(): number[] {
    // Flat: one day holds no out-of-sample volume profile for the test hours (and the test volumes are off limits).
    return new Array<number>(this.horizon).fill(this.dayStats[this.episode.day].volume);
  }

  impactParams(): ImpactParams {
    // Rough AC parameters for the baseline: crossing half the spread per touch-depth of shares, no permanent term.
    const s = this.dayStats[this.episode.day];
    return { eta: s.spread / Math.max(1, s.depth), gamma: 0, sigma: s.sigma };
  }
}

/** Episode starts within the session, filtered by the train/validation/test split. */
export function cutEpisodes(p: LobReplayParams): Episode[] {
  const length = p.horizon * p.stepSeconds;
  const starts: number[] = [];
  if (p.starts) starts.push(...p.starts);
  else for (let t = p.sessionStart; t + length <= p.sessionEnd + 1e-9; t += length) starts.push(t);
  const episodes: Episode[] = [];
  for (let d = 0; d < p.days.length; d++) {
    for (const start of starts) {
      if (start < p.sessionStart || start + length > p.sessionEnd + 1e-9) continue;
      const validationTime = p.validationTime ?? p.splitTime;
      const train = start + length <= validationTime + 1e-9;
      const validation = start >= validationTime && start + length <= p.splitTime + 1e-9;
      const test = start >= p.splitTime;
      if (p.split === 'all' || (p.split === 'train' && train) || (p.split === 'validation' && validation) || (p.split === 'test' && test)) {
        episodes.push({ day: d, start });
      }
    }
  }
  return episodes;
}

/** Per-step volume, mid volatility, spread and touch depth averaged over the training window (before splitTime). */
function trainingStats(day: LobsterDay, p: LobReplayParams): { volume: number; sigma: number; spread: number; depth: number } {
  const end = Math.min(p.splitTime, p.sessionEnd);
  let steps = 0;
  let volume = 0;
  let sumSq = 0;
  let spread = 0;
  let depth = 0;
  let prevMid = NaN;
  const L4 = 4 * day.levels;
  for (let t = p.sessionStart; t + p.stepSeconds <= end + 1e-9; t += p.stepSeconds) {
    const a = rowsBefore(day, t);
    const b = rowsBefore(day, t + p.stepSeconds);
    volume += day.cumVolume[b] - day.cumVolume[a];
    const r = Math.max(0, b - 1) * L4;
    const ask = day.book[r] / PRICE_SCALE;
    const bid = day.book[r + 2] / PRICE_SCALE;
    const mid = (ask + bid) / 2;
    if (!Number.isNaN(prevMid)) sumSq += (mid - prevMid) ** 2;
    prevMid = mid;
    spread += ask - bid;
    depth += (day.book[r + 1] + day.book[r + 3]) / 2;
    steps++;
  }
  if (steps === 0) return { volume: 1, sigma: 0, spread: 0, depth: 1 };
  return { volume: volume / steps, sigma: Math.sqrt(sumSq / Math.max(1, steps - 1)), spread: spread / steps, depth: depth / steps };
}
