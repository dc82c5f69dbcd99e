/**
 * `almgren-chriss` (docs/DESIGN.md 4): constant volume V, constant spread, arithmetic Brownian mid, linear temporary
 * and permanent impact. The AC schedule is the mean-variance optimum here (Almgren & Chriss 2000, eq. 18-19).
 */
import { MAX_HORIZON } from '../limits.js';
import { checkParam, type Execution, type ImpactParams, type Market } from '../market.js';
import { Rng } from '../rng.js';
import type { MarketState, Side } from '../types.js';

export interface AlmgrenChrissMarketParams {
  quantity: number;
  horizon: number;
  s0: number;
  sigma: number;
  mu: number;
  gamma: number;
  /** Temporary impact in price per unit of participation: p = S - s/2 - eta n / V. */
  eta: number;
  spread: number;
  volume: number;
}

export const ALMGREN_CHRISS_DEFAULTS: Readonly<AlmgrenChrissMarketParams> = {
  quantity: 100_000,
  horizon: 20,
  s0: 100,
  sigma: 0.05,
  mu: 0,
  gamma: 2.5e-7,
  eta: 0.5,
  spread: 0.02,
  volume: 50_000,
};

export class AlmgrenChrissMarket implements Market {
  readonly name = 'almgren-chriss';
  readonly params: AlmgrenChrissMarketParams;
  readonly horizon: number;
  readonly quantity: number;
  private readonly shocks: Float64Array;
  private readonly rng = new Rng(0);
  private mid = 0;
  private k = 0;

  constructor(overrides: Partial<AlmgrenChrissMarketParams> = {}) {
    const p = { ...ALMGREN_CHRISS_DEFAULTS, ...overrides };
    for (const key of ['quantity', 'volume'] as const) checkParam(this.name, key, p[key], Number.MIN_VALUE);
    for (const key of ['s0', 'sigma', 'gamma', 'eta', 'spread'] as const) checkParam(this.name, key, p[key], 0);
    checkParam(this.name, 'horizon', p.horizon, 1, MAX_HORIZON);
    checkParam(this.name, 'mu', p.mu, -Infinity);
    this.params = p;
    this.horizon = p.horizon;
    this.quantity = p.quantity;
    this.shocks = new Float64Array(p.horizon);
  }

  get step(): number {
    return this.k;
  }

  reset(seed: number): void {
    this.rng.reseed(seed);
    for (let k = 0; k < this.horizon; k++) this.shocks[k] = this.rng.normal();
    this.mid = this.params.s0;
    this.k = 0;
  }

  state(): MarketState {
    const half = this.params.spread / 2;
    return {
      bid: this.mid - half,
      ask: this.mid + half,
      volume: this.params.volume,
      volatility: this.params.sigma,
      averageVolume: this.params.volume,
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('almgren-chriss: episode is over; call reset(seed)');
    const { spread, eta, gamma, mu, sigma, volume } = this.params;
    const sign = side === 'sell' ? 1 : -1;
    const price = this.mid - sign * (spread / 2 + (eta * shares) / volume);
    const marketVwap = this.mid;
    this.mid += mu + sigma * this.shocks[this.k] - sign * gamma * shares;
    this.k++;
    return { price, volume, marketVwap };
  }

  volumeProfile(): number[] {
    return new Array<number>(this.horizon).fill(this.params.volume);
  }

  impactParams(): ImpactParams {
    return { eta: this.params.eta / this.params.volume, gamma: this.params.gamma, sigma: this.params.sigma };
  }
}
