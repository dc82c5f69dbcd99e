/**
 * `intraday` (docs/DESIGN.md 4), a realistic US large-cap day: U-shaped expected volume with log-normal AR(1) noise,
 * stochastic volatility (log AR(1)), a mean-reverting spread floored at the tick, an order-book imbalance that
 * predicts the next mid move, and transient impact that decays over a few steps, on top of the linear model of
 * docs/DESIGN.md 1. Calibration and sources: docs/SCENARIOS.md. The whole exogenous path is drawn at reset, so it is
 * identical for every policy given the seed.
 */
import { MAX_HORIZON } from '../limits.js';
import { checkParam, type Execution, type ImpactParams, type Market } from '../market.js';
import { Rng } from '../rng.js';
import type { MarketState, Side } from '../types.js';

export interface IntradayParams {
  quantity: number;
  /** Steps of the session (26 = 15-minute bins of 09:30-16:00). */
  horizon: number;
  s0: number;
  /** Average daily volume, shares. */
  adv: number;
  /** Daily volatility of returns (fraction). */
  dailyVol: number;
  /** U shape: relative extra volume at the open and the close, and how fast it fades (fraction of the day). */
  openBoost: number;
  closeBoost: number;
  boostWidth: number;
  /** log-volume AR(1): persistence and innovation std. */
  volumePersistence: number;
  volumeNoise: number;
  /** log-volatility AR(1). */
  volPersistence: number;
  volOfVol: number;
  /** Spread: long-run mean (price), persistence and noise of its log, extra at the open, tick floor. */
  spreadMean: number;
  spreadPersistence: number;
  spreadNoise: number;
  spreadOpenBoost: number;
  tick: number;
  /** Imbalance I = tanh(y), y AR(1); next mid move has mean alpha sigma_k I_k. */
  imbalancePersistence: number;
  imbalanceNoise: number;
  imbalanceAlpha: number;
  /** Displayed size at the touch (both sides together) as a fraction of the expected step volume. */
  depthFraction: number;
  /** Temporary impact in price per unit of participation (p = S - s/2 - eta n / v). */
  eta: number;
  /** Permanent impact, price per share. */
  gamma: number;
  /** Share of the temporary impact that lingers, and its per-step decay factor. */
  transientShare: number;
  transientDecay: number;
}

export const INTRADAY_DEFAULTS: Readonly<IntradayParams> = {
  quantity: 250_000,
  horizon: 26,
  s0: 50,
  adv: 5_000_000,
  dailyVol: 0.02,
  openBoost: 1.5,
  closeBoost: 2,
  boostWidth: 0.08,
  volumePersistence: 0.7,
  volumeNoise: 0.3,
  volPersistence: 0.9,
  volOfVol: 0.1,
  spreadMean: 0.02,
  spreadPersistence: 0.8,
  spreadNoise: 0.2,
  spreadOpenBoost: 1,
  tick: 0.01,
  imbalancePersistence: 0.5,
  imbalanceNoise: 0.8,
  imbalanceAlpha: 0.3,
  depthFraction: 0.01,
  eta: 0.36,
  gamma: 2.4e-7,
  transientShare: 0.5,
  transientDecay: 0.6,
};

/** The U shape of expected volume, normalised to mean 1 over the session. */
export function intradayVolumeShape(p: Pick<IntradayParams, 'horizon' | 'openBoost' | 'closeBoost' | 'boostWidth'>): number[] {
  const shape = new Array<number>(p.horizon);
  let sum = 0;
  for (let k = 0; k < p.horizon; k++) {
    const t = (k + 0.5) / p.horizon;
    shape[k] = 1 + p.openBoost * Math.exp(-t / p.boostWidth) + p.closeBoost * Math.exp(-(1 - t) / p.boostWidth);
    sum += shape[k];
  }
  for (let k = 0; k < p.horizon; k++) shape[k] = (shape[k] * p.horizon) / sum;
  return shape;
}

export class IntradayMarket implements Market {
  readonly name = 'intraday';
  readonly params: IntradayParams;
  readonly horizon: number;
  readonly quantity: number;
  private readonly shape: number[];
  private readonly sigmaBar: number;
  // Index k + 1 holds step k; index 0 the step before the episode (what the agent sees at k = 0).
  private readonly volumes: Float64Array;
  private readonly sigmas: Float64Array;
  private readonly spreads: Float64Array;
  private readonly imbalances: Float64Array;
  private readonly shocks: Float64Array;
  private readonly rng = new Rng(0);
  private mid = 0;
  /** Our lingering impact (price, in the direction that hurts us). */
  private transient = 0;
  private k = 0;
  private shock = 0;

  constructor(overrides: Partial<IntradayParams> = {}) {
    const p = { ...INTRADAY_DEFAULTS, ...overrides };
    const n = this.name;
    checkParam(n, 'horizon', p.horizon, 1, MAX_HORIZON);
    for (const key of ['quantity', 'adv', 's0', 'boostWidth', 'spreadMean', 'depthFraction'] as const) {
      checkParam(n, key, p[key], Number.MIN_VALUE);
    }
    for (const key of ['dailyVol', 'openBoost', 'closeBoost', 'volumeNoise', 'volOfVol', 'spreadNoise', 'spreadOpenBoost', 'tick', 'imbalanceNoise', 'eta', 'gamma', 'transientShare'] as const) {
      checkParam(n, key, p[key], 0);
    }
    for (const key of ['volumePersistence', 'volPersistence', 'spreadPersistence', 'imbalancePersistence', 'transientDecay'] as const) {
      checkParam(n, key, p[key], 0, 0.999);
    }
    checkParam(n, 'imbalanceAlpha', p.imbalanceAlpha, -10, 10);
    this.params = p;
    this.horizon = p.horizon;
    this.quantity = p.quantity;
    this.shape = intradayVolumeShape(p);
    this.sigmaBar = (p.dailyVol * p.s0) / Math.sqrt(p.horizon);
    const len = p.horizon + 1;
    this.volumes = new Float64Array(len);
    this.sigmas = new Float64Array(len);
    this.spreads = new Float64Array(len);
    this.imbalances = new Float64Array(len);
    this.shocks = new Float64Array(len);
  }

  get step(): number {
    return this.k;
  }

  private expectedVolume(k: number): number {
    // k = -1 (the bin before the episode) uses the first bin's level.
    return (this.params.adv / this.horizon) * this.shape[Math.max(k, 0)];
  }

  reset(seed: number): void {
    const p = this.params;
    const r = this.rng;
    r.reseed(seed);
    // AR(1) states start from their stationary laws; fixed draws per step keep the path policy-independent.
    const sdZ = p.volumeNoise / Math.sqrt(1 - p.volumePersistence ** 2);
    const sdH = p.volOfVol / Math.sqrt(1 - p.volPersistence ** 2);
    const sdS = p.spreadNoise / Math.sqrt(1 - p.spreadPersistence ** 2);
    const sdY = p.imbalanceNoise / Math.sqrt(1 - p.imbalancePersistence ** 2);
    let z = sdZ * r.normal();
    let h = sdH * r.normal();
    let s = sdS * r.normal();
    let y = sdY * r.normal();
    for (let i = 0; i <= this.horizon; i++) {
      const k = i - 1;
      if (i > 0) {
        z = p.volumePersistence * z + p.volumeNoise * r.normal();
        h = p.volPersistence * h + p.volOfVol * r.normal();
        s = p.spreadPersistence * s + p.spreadNoise * r.normal();
        y = p.imbalancePersistence * y + p.imbalanceNoise * r.normal();
      }
      const t = (Math.max(k, 0) + 0.5) / this.horizon;
      // exp(x - sd^2/2) keeps each log-normal factor's mean at 1.
      this.volumes[i] = this.expectedVolume(k) * Math.exp(z - (sdZ * sdZ) / 2);
      this.sigmas[i] = this.sigmaBar * Math.sqrt(this.shape[Math.max(k, 0)]) * Math.exp(h - (sdH * sdH) / 2);
      const spreadLevel = p.spreadMean * (1 + p.spreadOpenBoost * Math.exp(-t / p.boostWidth));
      this.spreads[i] = Math.max(p.tick, spreadLevel * Math.exp(s - (sdS * sdS) / 2));
      this.imbalances[i] = Math.tanh(y);
      this.shocks[i] = r.normal();
    }
    this.mid = p.s0;
    this.transient = 0;
    this.k = 0;
    this.shock = 0;
  }

  /** sigma_k xi_k of the last executed step: the unpredictable part of its mid move (Market.lastShock). */
  lastShock(): number {
    return this.shock;
  }

  /** Exogenous path, for statistics tests: v_k, sigma_k, spread_k, I_k of step k (k = -1..T-1). */
  path(k: number): { volume: number; sigma: number; spread: number; imbalance: number } {
    const i = k + 1;
    return { volume: this.volumes[i], sigma: this.sigmas[i], spread: this.spreads[i], imbalance: this.imbalances[i] };
  }

  state(): MarketState {
    const i = this.k + 1;
    const spread = this.spreads[Math.min(i, this.horizon)];
    const imbalance = this.imbalances[Math.min(i, this.horizon)];
    const depth = this.params.depthFraction * this.expectedVolume(Math.min(this.k, this.horizon - 1));
    return {
      // Our own lingering impact shows in the quotes.
      bid: this.mid - this.transient - spread / 2,
      ask: this.mid - this.transient + spread / 2,
      bidSize: Math.round(depth * (1 + imbalance)),
      askSize: Math.round(depth * (1 - imbalance)),
      volume: this.volumes[i - 1],
      volatility: this.sigmas[i - 1],
      averageVolume: this.params.adv / this.horizon,
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('intraday: episode is over; call reset(seed)');
    const p = this.params;
    const i = this.k + 1;
    const sign = side === 'sell' ? 1 : -1;
    const volume = this.volumes[i];
    const temporary = (p.eta * shares) / volume;
    // `transient` is signed in price (positive after selling: it lowers the quotes; negative after buying).
    const effectiveMid = this.mid - this.transient;
    const price = effectiveMid - sign * (this.spreads[i] / 2 + temporary);
    const marketVwap = effectiveMid;
    this.transient = p.transientDecay * (this.transient + sign * p.transientShare * temporary);
    this.shock = this.sigmas[i] * this.shocks[i];
    this.mid += p.imbalanceAlpha * this.sigmas[i] * this.imbalances[i] + this.shock - sign * p.gamma * shares;
    this.k++;
    return { price, volume, marketVwap };
  }

  volumeProfile(): number[] {
    return this.shape.map((s) => (s * this.params.adv) / this.horizon);
  }

  impactParams(): ImpactParams {
    return { eta: this.params.eta / (this.params.adv / this.horizon), gamma: this.params.gamma, sigma: this.sigmaBar };
  }
}
