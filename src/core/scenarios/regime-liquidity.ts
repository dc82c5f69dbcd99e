/**
 * `regime-liquidity` (docs/DESIGN.md 4): a liquidity regime L_k in {low, high} follows a Markov chain that stays with
 * probability rho; v_k = volumeLow or volumeHigh. The agent sees v_{k-1}, not v_k, so an adaptive policy can
 * exploit the persistence. Execution (sell) p_k = S_k - s/2 - eta n_k / v_k, S_{k+1} = S_k + mu + sigma xi_k
 * - gamma n_k; a buy mirrors the signs.
 */
import { MAX_HORIZON } from '../limits.js';
import { checkParam, type Execution, type ImpactParams, type Market } from '../market.js';
import { Rng } from '../rng.js';
import type { MarketState, Side } from '../types.js';

export interface RegimeLiquidityParams {
  quantity: number;
  horizon: number;
  s0: number;
  sigma: number;
  mu: number;
  gamma: number;
  eta: number;
  spread: number;
  rho: number;
  volumeLow: number;
  volumeHigh: number;
  /** P(L_{-1} = high). */
  pHighInitial: number;
}

export const REGIME_LIQUIDITY_DEFAULTS: Readonly<RegimeLiquidityParams> = {
  quantity: 100_000,
  horizon: 20,
  s0: 100,
  sigma: 0.05,
  mu: 0,
  gamma: 2.5e-7,
  eta: 0.5,
  spread: 0.02,
  rho: 0.9,
  volumeLow: 10_000,
  volumeHigh: 90_000,
  pHighInitial: 0.5,
};

export function regimeLiquidityParams(overrides: Partial<RegimeLiquidityParams> = {}): RegimeLiquidityParams {
  const p = { ...REGIME_LIQUIDITY_DEFAULTS, ...overrides };
  const name = 'regime-liquidity';
  checkParam(name, 'quantity', p.quantity, 1);
  checkParam(name, 'horizon', p.horizon, 1, MAX_HORIZON);
  checkParam(name, 's0', p.s0, 0);
  checkParam(name, 'sigma', p.sigma, 0);
  checkParam(name, 'gamma', p.gamma, 0);
  checkParam(name, 'eta', p.eta, 0);
  checkParam(name, 'spread', p.spread, 0);
  checkParam(name, 'rho', p.rho, 0, 1);
  checkParam(name, 'volumeLow', p.volumeLow, Number.MIN_VALUE);
  checkParam(name, 'volumeHigh', p.volumeHigh, Number.MIN_VALUE);
  checkParam(name, 'pHighInitial', p.pHighInitial, 0, 1);
  return p;
}

export class RegimeLiquidityMarket implements Market {
  readonly name = 'regime-liquidity';
  readonly params: RegimeLiquidityParams;
  readonly horizon: number;
  readonly quantity: number;
  /** regimes[k + 1] = L_k (1 = high), regimes[0] = L_{-1}: the whole exogenous path is drawn at reset. */
  private readonly regimes: Uint8Array;
  private readonly shocks: Float64Array;
  private readonly rng = new Rng(0);
  private mid = 0;
  private k = 0;

  constructor(overrides: Partial<RegimeLiquidityParams> = {}) {
    this.params = regimeLiquidityParams(overrides);
    this.horizon = this.params.horizon;
    this.quantity = this.params.quantity;
    this.regimes = new Uint8Array(this.horizon + 1);
    this.shocks = new Float64Array(this.horizon);
  }

  get step(): number {
    return this.k;
  }

  reset(seed: number): void {
    const { rho, pHighInitial, s0 } = this.params;
    this.rng.reseed(seed);
    this.regimes[0] = this.rng.uniform() < pHighInitial ? 1 : 0;
    for (let k = 0; k < this.horizon; k++) {
      const stay = this.rng.uniform() < rho;
      this.regimes[k + 1] = stay ? this.regimes[k] : 1 - this.regimes[k];
      this.shocks[k] = this.rng.normal();
    }
    this.mid = s0;
    this.k = 0;
  }

  /** L_{k-1} for k = 0..horizon (1 = high). Exposed for the oracle's tests and statistics. */
  regimeBefore(k: number): number {
    return this.regimes[k];
  }

  private volumeOf(regime: number): number {
    return regime === 1 ? this.params.volumeHigh : this.params.volumeLow;
  }

  state(): MarketState {
    const half = this.params.spread / 2;
    return {
      bid: this.mid - half,
      ask: this.mid + half,
      volume: this.volumeOf(this.regimes[this.k]),
      volatility: this.params.sigma,
      averageVolume: (this.params.volumeLow + this.params.volumeHigh) / 2,
    };
  }

  execute(side: Side, shares: number): Execution {
    if (this.k >= this.horizon) throw new RangeError('regime-liquidity: episode is over; call reset(seed)');
    const { spread, eta, gamma, mu, sigma } = this.params;
    const sign = side === 'sell' ? 1 : -1;
    const volume = this.volumeOf(this.regimes[this.k + 1]);
    const price = this.mid - sign * (spread / 2 + (eta * shares) / volume);
    const marketVwap = this.mid;
    this.mid += mu + sigma * this.shocks[this.k] - sign * gamma * shares;
    this.k++;
    return { price, volume, marketVwap };
  }

  volumeProfile(): number[] {
    return new Array<number>(this.horizon).fill((this.params.volumeLow + this.params.volumeHigh) / 2);
  }

  impactParams(): ImpactParams {
    // AC's eta for the expected step volume: eta E[1/v] is what a risk-neutral planner without the regime pays.
    const { eta, gamma, sigma, volumeLow, volumeHigh } = this.params;
    return { eta: eta * 0.5 * (1 / volumeLow + 1 / volumeHigh), gamma, sigma };
  }
}
