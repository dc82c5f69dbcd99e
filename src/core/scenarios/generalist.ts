/**
 * `generalist`: a new order and a new market every episode, drawn from the ranges of generalist-sampler.ts, so
 * one model learns across horizons, sizes, sides, price levels, volatilities, spreads, liquidity patterns,
 * participation caps and lot sizes (docs/SCENARIOS.md). The market: U-shaped expected volume through the horizon
 * times a persistent two-state liquidity regime (stay probability rho) times log-normal noise; a mean-reverting
 * spread floored at the tick; a book imbalance that predicts the next mid move in some episodes and is noise in
 * the others; linear temporary and permanent impact in bps of the price (docs/DESIGN.md 1). Everything exogenous is
 * drawn at reset from the seed, so every policy meets the same episode.
 */
import type { Execution, ImpactParams, Market, OrderTerms } from '../market.js';
import { Rng } from '../rng.js';
import type { MarketState, Side } from '../types.js';
import { generalistRanges, sampleGeneralistEpisode, type GeneralistEpisode, type GeneralistRanges } from './generalist-sampler.js';

export type GeneralistParams = GeneralistRanges;

/** Width of the open and close volume bumps, fraction of the horizon. */
const BOOST_WIDTH = 0.08;
/** Spread: persistence and noise of its log. Imbalance I = tanh(y), y AR(1). Depth at the touch / step volume. */
const SPREAD_PERSISTENCE = 0.8;
const SPREAD_NOISE = 0.2;
const IMBALANCE_PERSISTENCE = 0.5;
const IMBALANCE_NOISE = 0.8;
const DEPTH_FRACTION = 0.02;

/** Expected volume per step as multiples of the mean: open ~openBoost, midday ~1, close ~closeBoost, then mean 1. */
export function generalistVolumeShape(horizon: number, openBoost: number, closeBoost: number): number[] {
  const shape = new Array<number>(horizon);
  let sum = 0;
  for (let k = 0; k < horizon; k++) {
    const t = (k + 0.5) / horizon;
    shape[k] = 1 + (openBoost - 1) * Math.exp(-t / BOOST_WIDTH) + (closeBoost - 1) * Math.exp(-(1 - t) / BOOST_WIDTH);
    sum += shape[k];
  }
  for (let k = 0; k < horizon; k++) shape[k] = (shape[k] * horizon) / sum;
  return shape;
}

export class GeneralistMarket implements Market {
  readonly name = 'generalist';
  readonly ranges: GeneralistRanges;
  private readonly rng = new Rng(0);
  private episode: GeneralistEpisode;
  private shape: number[] = [];
  // Index k + 1 holds step k; index 0 the step before the episode (what the agent sees at k = 0).
  private volumes = new Float64Array(0);
  private spreads = new Float64Array(0);
  private imbalances = new Float64Array(0);
  private shocks = new Float64Array(0);
  /** highs[k + 1] = 1 when step k is in the high-liquidity regime (index 0: the step before the episode). */
  private highs = new Uint8Array(0);
  private mid = 0;
  private sigma = 0;
  private k = 0;
  private shock = 0;

  constructor(overrides: Partial<GeneralistParams> = {}) {
    this.ranges = generalistRanges(overrides);
    // A first episode so horizon and quantity are defined before the first reset.
    this.episode = sampleGeneralistEpisode(new Rng(0), this.ranges);
  }

  /** The current episode's parameters (after reset). */
  get params(): GeneralistEpisode {
    return this.episode;
  }

  get horizon(): number {
    return this.episode.horizon;
  }

  get quantity(): number {
    return this.episode.quantity;
  }

  get step(): number {
    return this.k;
  }

  orderTerms(): OrderTerms {
    const e = this.episode;
    return { side: e.side, quantity: e.quantity, lotSize: e.lotSize, ...(e.maxParticipation !== undefined ? { maxParticipation: e.maxParticipation } : {}) };
  }

  /**
   * The order parameters' ranges (domain.ts names). The mid wanders within an episode: the price range is the
   * arrival range widened by 10%, about four standard deviations of 400 steps at 50 bps.
   */
  declaredParameters(): Record<string, { min: number; max: number }> {
    const r = this.ranges;
    return {
      horizon: { min: r.horizonMin, max: r.horizonMax },
      orderSizeVsVolume: { min: r.sizeMin, max: r.sizeMax },
      price: { min: r.priceMin * 0.9, max: r.priceMax * 1.1 },
      maxParticipation: { min: r.capProbability > 0 ? r.capMin : 1, max: r.capProbability < 1 ? 1 : r.capMax },
      lotFraction: { min: 0, max: r.lotFractionMax },
    };
  }

  reset(seed: number): void {
    const r = this.rng;
    r.reseed(seed);
    const e = (this.episode = sampleGeneralistEpisode(r, this.ranges));
    const T = e.horizon;
    this.shape = generalistVolumeShape(T, e.openBoost, e.closeBoost);
    if (this.volumes.length < T + 1) {
      this.volumes = new Float64Array(T + 1);
      this.spreads = new Float64Array(T + 1);
      this.imbalances = new Float64Array(T + 1);
      this.shocks = new Float64Array(T + 1);
      this.highs = new Uint8Array(T + 1);
    }
    this.sigma = (e.volatilityBps * e.price) / 1e4;
    const spreadMean = (e.spreadBps * e.price) / 1e4;
    const sdS = SPREAD_NOISE / Math.sqrt(1 - SPREAD_PERSISTENCE ** 2);
    const sdY = IMBALANCE_NOISE / Math.sqrt(1 - IMBALANCE_PERSISTENCE ** 2);
    let high = r.uniform() < 0.5;
    let s = sdS * r.normal();
    let y = sdY * r.normal();
    for (let i = 0; i <= T; i++) {
      if (i > 0) {
        if (r.uniform() >= e.rho) high = !high;
        s = SPREAD_PERSISTENCE * s + SPREAD_NOISE * r.normal();
        y = IMBALANCE_PERSISTENCE * y + IMBALANCE_NOISE * r.normal();
      }
      const noise = Math.exp(e.volumeNoise * r.normal() - (e.volumeNoise * e.volumeNoise) / 2);
      const regime = high ? 1 + e.regimeSwing : 1 - e.regimeSwing;
      this.highs[i] = high ? 1 : 0;
      this.volumes[i] = this.expectedVolume(i - 1) * regime * noise;
      this.spreads[i] = Math.max(e.tick, spreadMean * Math.exp(s - (sdS * sdS) / 2));
      this.imbalances[i] = Math.tanh(y);
      this.shocks[i] = r.normal();
    }
    this.mid = e.price;
    this.k = 0;
    this.shock = 0;
  }

  private expectedVolume(k: number): number {
    // k = -1 (the step before the episode) uses the first step's level.
    return this.episode.volume * this.shape[Math.max(k, 0)];
  }

  lastShock(): number {
    return this.shock;
  }

  state(): MarketState {
    const i = Math.min(this.k + 1, this.horizon);
    const spread = this.spreads[i];
    const imbalance = this.imbalances[i];
    const depth = DEPTH_FRACTION * this.expectedVolume(Math.min(this.k, this.horizon - 1));
    return {
      bid: this.mid - spread / 2,
      ask: this.mid + spread / 2,
      ...(this.episode.book ? { bidSize: Math.round(depth * (1 + imbalance)), askSize: Math.round(depth * (1 - imbalance)) } : {}),
      volume: this.volumes[this.k],
      volatility: this.sigma,
      averageVolume: this.episode.volume,
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('generalist: episode is over; call reset(seed)');
    const e = this.episode;
    const i = this.k + 1;
    const sign = side === 'sell' ? 1 : -1;
    const volume = this.volumes[i];
    const temporary = (((e.etaBps * e.price) / 1e4) * shares) / volume;
    const price = this.mid - sign * (this.spreads[i] / 2 + temporary);
    const marketVwap = this.mid;
    this.shock = this.sigma * this.shocks[i];
    this.mid += e.imbalanceAlpha * this.sigma * this.imbalances[i] + this.shock - sign * this.gamma() * shares;
    this.k++;
    return { price, volume, marketVwap };
  }

  /** Permanent impact per share: gammaBps of the price per expected horizon volume. */
  private gamma(): number {
    const e = this.episode;
    return (e.gammaBps * e.price) / 1e4 / (e.volume * e.horizon);
  }

  /**
   * The planner behind the training demonstrations. It knows what one request cannot carry: the regime of step
   * k - 1 with its persistence rho and swing, and whether the book's imbalance predicts the next move. It plans,
   * as a request does, without the intraday volume curve (a request sends one averageVolume): demonstrations that
   * followed the curve taught the network to guess it from the clock, which cost 0.15-0.25 bps against TWAP on
   * recorded US-equity sessions. It trades the remaining shares in proportion to each step's effective
   * liquidity 1 / E[1/v_j | regime], which minimises the expected temporary cost sum eta n_j^2 / v_j when the plan
   * is redone every step, then tilts this step by the one-step predicted drift: d extra shares where the drift's
   * gain meets the extra impact, d = drift x liquidity / (2 eta).
   */
  demonstration(remaining: number, side: Side): number {
    const e = this.episode;
    const k = this.k;
    const T = e.horizon;
    if (k >= T - 1) return remaining;
    const persistence = 2 * e.rho - 1;
    const low = Math.max(1e-9, 1 - e.regimeSwing);
    let p: number = this.highs[k]; // P(high) at step k - 1: known
    let total = 0;
    let now = 0;
    for (let j = k; j < T; j++) {
      p = 0.5 + (p - 0.5) * persistence; // P(high at step j)
      const liquidity = 1 / (p / (1 + e.regimeSwing) + (1 - p) / low);
      if (j === k) now = liquidity;
      total += liquidity;
    }
    let slice = (remaining * now) / total;
    if (e.book && e.imbalanceAlpha !== 0) {
      const sign = side === 'sell' ? 1 : -1;
      const drift = e.imbalanceAlpha * this.sigma * this.imbalances[Math.min(k + 1, T)];
      const eta = (e.etaBps * e.price) / 1e4; // temporary impact, price per unit of participation
      slice -= (sign * drift * e.volume * now) / (2 * eta);
    }
    return Math.min(remaining, Math.max(0, slice));
  }

  volumeProfile(): number[] {
    return this.shape.map((s) => s * this.episode.volume);
  }

  impactParams(): ImpactParams {
    const e = this.episode;
    return { eta: (e.etaBps * e.price) / 1e4 / e.volume, gamma: this.gamma(), sigma: this.sigma };
  }
}
