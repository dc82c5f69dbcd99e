/**
 * `replay`: recorded bar sessions (canonical CSV, LEAN, LOBSTER) replayed as the market, with the impact model of
 * ../replay/impact.ts on top of the recorded touch (docs/REPLAY.md). Episodes of `horizon` steps of `stepSeconds`
 * start every `startSpacing` seconds across each session's trading hours; the parent order is `participation` x
 * the window's expected volume. Every feature (volume profile, volatility, spread, touch size) comes from the
 * instrument's earlier sessions, or for a session with none from its own bars before the episode (after
 * `warmupSeconds`). Buys and sells mirror every sign.
 */
import { barAtOrBefore, sessionId, traded, type BarSession } from '../bars/session.js';
import { MAX_HORIZON } from '../limits.js';
import { checkParam, type Execution, type ImpactParams, type Market } from '../market.js';
import { episodeFeatures, historyOf, intradayFeatures, type EpisodeFeatures } from '../replay/features.js';
import {
  IMPACT_DEFAULTS,
  Propagator,
  temporaryImpact,
  transientKick,
  walkCost,
  type ImpactModelParams,
  type ImpactScale,
} from '../replay/impact.js';
import type { BookLevel, MarketState, Side } from '../types.js';

export interface ReplayParams extends ImpactModelParams {
  /** Every session read; earlier ones are history for the later ones. */
  sessions: readonly BarSession[];
  /** Session ids (`ES 2013-10-07`) episodes are cut from; default every session with history. */
  episodeSessions?: readonly string[];
  horizon: number;
  stepSeconds: number;
  /** Parent order = participation x the window's expected volume. */
  participation: number;
  /** Seconds between episode starts; default horizon x stepSeconds (episodes do not overlap). */
  startSpacing?: number;
  /** How many earlier sessions the features average over. */
  historySessions: number;
  /**
   * A session with no earlier one learns from its own bars before each episode; its first episode starts this
   * many seconds into its hours (0: such a session is history only).
   */
  warmupSeconds: number;
}

/** Every `--param` the scenario takes. */
export const REPLAY_PARAM_NAMES = [
  'horizon',
  'stepSeconds',
  'participation',
  'startSpacing',
  'historySessions',
  'warmupSeconds',
  'eta',
  'delta',
  'impactY',
  'kernelBeta',
  'kernelSeconds',
  'volumeFloor',
] as const;

export const REPLAY_DEFAULTS: Readonly<Omit<ReplayParams, 'sessions'>> = {
  ...IMPACT_DEFAULTS,
  horizon: 30,
  stepSeconds: 60,
  participation: 0.05,
  historySessions: 5,
  warmupSeconds: 3600,
};

export interface ReplayEpisode {
  readonly session: number;
  /** Seconds after local midnight. */
  readonly start: number;
  readonly quantity: number;
  readonly features: EpisodeFeatures;
}

const SIGN: Record<Side, 1 | -1> = { sell: 1, buy: -1 };

export class ReplayMarket implements Market {
  readonly name = 'replay';
  readonly params: ReplayParams;
  readonly horizon: number;
  readonly episodes: readonly ReplayEpisode[];
  private episode: ReplayEpisode;
  private scale: ImpactScale;
  private k = 0;
  private readonly propagator: Propagator;
  private side: Side = 'sell';

  constructor(overrides: Partial<ReplayParams> & { sessions: readonly BarSession[] }) {
    const n = this.name;
    const unknown = Object.keys(overrides).filter((key) => !(REPLAY_PARAM_NAMES as readonly string[]).includes(key) && key !== 'sessions' && key !== 'episodeSessions');
    if (unknown.length > 0) throw new RangeError(`replay: unknown parameter ${unknown.join(', ')}; the parameters are ${REPLAY_PARAM_NAMES.join(', ')}`);
    const p: ReplayParams = { ...REPLAY_DEFAULTS, ...overrides };
    if (p.sessions.length === 0) throw new RangeError('replay: give at least one session (--data FILE|FOLDER|GLOB)');
    checkParam(n, 'horizon', p.horizon, 1, MAX_HORIZON);
    checkParam(n, 'stepSeconds', p.stepSeconds, 1e-3);
    checkParam(n, 'participation', p.participation, 1e-9, 10);
    checkParam(n, 'historySessions', p.historySessions, 1, 1_000);
    checkParam(n, 'warmupSeconds', p.warmupSeconds, 0);
    checkParam(n, 'eta', p.eta, 0);
    checkParam(n, 'delta', p.delta, 0, 2);
    checkParam(n, 'impactY', p.impactY, 0);
    checkParam(n, 'kernelBeta', p.kernelBeta, 0, 10);
    checkParam(n, 'kernelSeconds', p.kernelSeconds, 1e-6);
    checkParam(n, 'volumeFloor', p.volumeFloor, 0, 1);
    if (p.startSpacing !== undefined) checkParam(n, 'startSpacing', p.startSpacing, 1e-3);
    for (const s of p.sessions) {
      const ratio = p.stepSeconds / s.barSeconds;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || ratio < 1) {
        throw new RangeError(`replay: parameter stepSeconds (${p.stepSeconds}) must be a whole multiple of the ${s.barSeconds} s bars of ${sessionId(s)}`);
      }
    }
    this.params = p;
    this.horizon = p.horizon;
    this.propagator = new Propagator(p);
    this.episodes = cutReplayEpisodes(p);
    if (this.episodes.length === 0) {
      throw new RangeError(
        `replay: no episode of ${p.horizon} x ${p.stepSeconds} s fits: a session needs an earlier session of the same instrument, or warmupSeconds of its own hours, before its episodes, and hours longer than the horizon`,
      );
    }
    this.episode = this.episodes[0];
    this.scale = scaleOf(this.episode);
  }

  get episodeCount(): number {
    return this.episodes.length;
  }

  get quantity(): number {
    return this.episode.quantity;
  }

  get step(): number {
    return this.k;
  }

  /** The session episode e was cut from, e.g. `ES 2013-10-07`. */
  episodeSession(episode: number): string {
    const count = this.episodes.length;
    return sessionId(this.params.sessions[this.episodes[((episode % count) + count) % count].session]);
  }

  /** The current episode (reports, tests). */
  get current(): ReplayEpisode {
    return this.episode;
  }

  reset(seed: number): void {
    const count = this.episodes.length;
    this.episode = this.episodes[((seed % count) + count) % count];
    this.scale = scaleOf(this.episode);
    this.k = 0;
    this.propagator.reset();
  }

  private get session(): BarSession {
    return this.params.sessions[this.episode.session];
  }

  private boundary(k: number): number {
    return this.episode.start + k * this.params.stepSeconds;
  }

  /** Our transient displacement now, signed as a price move (a sell pushes prices down). */
  private shift(): number {
    return -SIGN[this.side] * this.propagator.displacement(this.boundary(this.k));
  }

  state(): MarketState {
    const s = this.session;
    const t = this.boundary(this.k);
    const i = Math.max(0, barAtOrBefore(s, t));
    const d = this.shift();
    const f = this.episode.features;
    const levels: BookLevel[] = [];
    if (s.depth) {
      const L = s.depth.levels;
      for (let l = 0; l < L; l++) {
        const o = (i * L + l) * 4;
        const b = s.depth.book;
        if (!(b[o + 1] > 0 && b[o + 3] > 0)) break;
        levels.push({ askPrice: b[o] + d, askSize: b[o + 1], bidPrice: b[o + 2] + d, bidSize: b[o + 3] });
      }
    }
    const stepVolume = this.scale.stepVolume;
    return {
      bid: s.bid[i] + d,
      ask: s.ask[i] + d,
      bidSize: s.bidSize[i],
      askSize: s.askSize[i],
      // v_{k-1}: the real volume of the step before this one (before the session's first bar: the expectation).
      volume: t - this.params.stepSeconds >= s.firstEnd - s.barSeconds ? traded(s, t - this.params.stepSeconds, t).volume : stepVolume,
      averageVolume: stepVolume,
      volatility: f.sigmaStep,
      ...(levels.length > 0 ? { levels } : {}),
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('replay: episode is over; call reset(seed)');
    if (this.k === 0) this.side = side;
    const s = this.session;
    const p = this.params;
    const t = this.boundary(this.k);
    const i = Math.max(0, barAtOrBefore(s, t));
    const sign = SIGN[side];
    const displacement = this.propagator.displacement(t);
    const window = traded(s, t, t + p.stepSeconds);
    const f = this.episode.features;
    // Walk what is visible (the book's levels, or the touch alone), then the modelled book beyond it.
    let notional = 0; // signed so that a higher number is always worse for us: sell -> price below touch
    const touch = sign > 0 ? s.bid[i] : s.ask[i];
    if (shares > 0) {
      let left = shares;
      let deepest = touch;
      let levelSize = f.touchSize;
      let tick = f.tick;
      if (s.depth) {
        const L = s.depth.levels;
        const b = s.depth.book;
        const offset = sign > 0 ? 2 : 0;
        let visible = 0;
        let counted = 0;
        for (let l = 0; l < L && left > 0; l++) {
          const o = (i * L + l) * 4 + offset;
          if (!(b[o + 1] > 0)) break;
          const take = Math.min(left, b[o + 1]);
          notional += take * sign * (touch - b[o]);
          left -= take;
          deepest = b[o];
          visible += b[o + 1];
          counted++;
        }
        if (counted > 1) tick = Math.abs(deepest - touch) / (counted - 1);
        if (counted > 0) levelSize = visible / counted;
        notional += left * sign * (touch - deepest);
        if (left > 0) notional += walkCost(left, levelSize, tick);
      } else {
        const touchSize = sign > 0 ? s.bidSize[i] : s.askSize[i];
        const beyond = Math.max(0, shares - touchSize);
        notional += walkCost(beyond, levelSize, tick);
      }
    }
    const temporary = temporaryImpact(p, this.scale, shares, window.volume);
    // Cost per share over the recorded touch: the walk, our earlier trades' displacement, this child's impact.
    const costPerShare = shares > 0 ? notional / shares + displacement + temporary : 0;
    const price = touch - sign * costPerShare;
    this.propagator.add(t, transientKick(p, this.scale, shares, window.volume));
    this.k++;
    const mid = (s.bid[i] + s.ask[i]) / 2;
    return { price, volume: window.volume, marketVwap: window.volume > 0 ? window.notional / window.volume : mid };
  }

  volumeProfile(): number[] {
    return [...this.episode.features.volumeProfile];
  }

  /** AC parameters of this episode from earlier data: the temporary impact linearised at the TWAP slice. */
  impactParams(): ImpactParams {
    const slice = this.episode.quantity / this.horizon;
    const h = temporaryImpact(this.params, this.scale, slice, this.scale.stepVolume);
    return { eta: slice > 0 ? h / slice : 0, gamma: 0, sigma: this.scale.sigmaStep };
  }
}

function scaleOf(e: ReplayEpisode): ImpactScale {
  const f = e.features;
  const expected = f.volumeProfile.reduce((a, b) => a + b, 0) / f.volumeProfile.length;
  return { sigmaDay: f.sigmaDay, sigmaStep: f.sigmaStep, stepVolume: expected };
}

/** Episodes of every chosen session that has history, starts spread across its trading hours. */
export function cutReplayEpisodes(p: ReplayParams): ReplayEpisode[] {
  const length = p.horizon * p.stepSeconds;
  const spacing = p.startSpacing ?? length;
  const chosen = p.episodeSessions ? new Set(p.episodeSessions) : undefined;
  const episodes: ReplayEpisode[] = [];
  p.sessions.forEach((s, index) => {
    if (chosen && !chosen.has(sessionId(s))) return;
    const history = historyOf(p.sessions, s, p.historySessions);
    if (history.length === 0 && !(p.warmupSeconds > 0)) return;
    const first = history.length > 0 ? s.tradingStart : s.tradingStart + p.warmupSeconds;
    for (let start = first; start + length <= s.tradingEnd + 1e-9; start += spacing) {
      const features = history.length > 0 ? episodeFeatures(history, start, p.horizon, p.stepSeconds) : intradayFeatures(s, start, p.horizon, p.stepSeconds);
      if (!features) continue;
      const expected = features.volumeProfile.reduce((a, b) => a + b, 0);
      // A window that never trades in the history gets no order: there is nothing to participate in.
      if (!(expected > 0)) continue;
      episodes.push({ session: index, start, quantity: Math.max(1, Math.round(p.participation * expected)), features });
    }
  });
  return episodes;
}
