/**
 * The training distribution of the `generalist` scenario (docs/SCENARIOS.md): one seeded draw of an episode's
 * order and market parameters. Scale parameters (horizon, size, price, volatility, spread, impact, volume level,
 * lot size) are drawn log-uniformly, since a model must be as good at 5 bps as at 50; the rest uniformly.
 * A range with min = max pins the parameter.
 */
import { MAX_HORIZON } from '../limits.js';
import { checkParam } from '../market.js';
import type { Rng } from '../rng.js';
import type { Side } from '../types.js';

/** The ranges of the distribution; every one is a scenario parameter (`--param horizonMax=100`). */
export interface GeneralistRanges {
  /** T, decision steps. */
  horizonMin: number;
  horizonMax: number;
  /** Q as a fraction of the expected volume over the horizon (0.005 = 0.5%). */
  sizeMin: number;
  sizeMax: number;
  /** P(side = buy). */
  buyProbability: number;
  /** Arrival mid, currency per share. */
  priceMin: number;
  priceMax: number;
  /** Mid standard deviation per step, bps of the price. */
  volatilityBpsMin: number;
  volatilityBpsMax: number;
  /** Mean quoted spread, bps of the price (floored at the tick). */
  spreadBpsMin: number;
  spreadBpsMax: number;
  /** Expected market volume per step (the mean over the horizon, the `averageVolume` a caller sends), shares. */
  volumeMin: number;
  volumeMax: number;
  /** U shape: expected volume at the open and at the close, as multiples of the midday level. */
  openBoostMin: number;
  openBoostMax: number;
  closeBoostMin: number;
  closeBoostMax: number;
  /** Liquidity regime: probability of staying in the regime per step, and the regimes' +- volume swing. */
  rhoMin: number;
  rhoMax: number;
  regimeSwingMin: number;
  regimeSwingMax: number;
  /** Std of the log-normal per-step volume noise. */
  volumeNoiseMin: number;
  volumeNoiseMax: number;
  /** P(the book imbalance predicts the next mid move); its strength alpha (mid drift alpha x sigma x I) when it does. */
  imbalanceProbability: number;
  imbalanceAlphaMin: number;
  imbalanceAlphaMax: number;
  /** P(the market shows a book: bidSize and askSize at the touch); without one the imbalance is not observed. */
  bookProbability: number;
  /** P(a participation cap); the cap's range. */
  capProbability: number;
  capMin: number;
  capMax: number;
  /** Lot size as a fraction of Q: from 1 share up to this (0.01 = 1% of the order). */
  lotFractionMax: number;
  /** Temporary impact: bps of the price per unit of participation (n / v). */
  etaBpsMin: number;
  etaBpsMax: number;
  /** Permanent impact: bps of the price per expected horizon volume traded. */
  gammaBpsMin: number;
  gammaBpsMax: number;
  /** Tick size, currency. */
  tick: number;
}

export const GENERALIST_RANGES: Readonly<GeneralistRanges> = {
  horizonMin: 5,
  horizonMax: 400,
  sizeMin: 0.005,
  sizeMax: 0.3,
  buyProbability: 0.5,
  priceMin: 5,
  priceMax: 2000,
  volatilityBpsMin: 1,
  volatilityBpsMax: 50,
  spreadBpsMin: 1,
  spreadBpsMax: 50,
  volumeMin: 1_000,
  volumeMax: 1_000_000,
  openBoostMin: 1,
  openBoostMax: 4,
  closeBoostMin: 1,
  closeBoostMax: 6,
  rhoMin: 0.5,
  rhoMax: 0.95,
  regimeSwingMin: 0,
  regimeSwingMax: 0.8,
  volumeNoiseMin: 0,
  volumeNoiseMax: 0.5,
  imbalanceProbability: 0.5,
  imbalanceAlphaMin: 0.1,
  imbalanceAlphaMax: 0.5,
  bookProbability: 0.75,
  capProbability: 0.5,
  capMin: 0.05,
  capMax: 0.3,
  lotFractionMax: 0.01,
  etaBpsMin: 10,
  etaBpsMax: 200,
  gammaBpsMin: 5,
  gammaBpsMax: 100,
  tick: 0.01,
};

/** One episode's parameters. */
export interface GeneralistEpisode {
  readonly horizon: number;
  /** Q / (expected volume over the horizon). */
  readonly size: number;
  readonly quantity: number;
  readonly side: Side;
  readonly price: number;
  readonly volatilityBps: number;
  readonly spreadBps: number;
  readonly volume: number;
  readonly openBoost: number;
  readonly closeBoost: number;
  readonly rho: number;
  readonly regimeSwing: number;
  readonly volumeNoise: number;
  /** 0 when the imbalance is noise only. */
  readonly imbalanceAlpha: number;
  /** Whether the market shows its book (bidSize, askSize). */
  readonly book: boolean;
  readonly maxParticipation?: number;
  readonly lotSize: number;
  readonly etaBps: number;
  readonly gammaBps: number;
  readonly tick: number;
}

const PAIRS = [
  ['horizonMin', 'horizonMax', 1, MAX_HORIZON],
  ['sizeMin', 'sizeMax', 1e-6, 10],
  ['priceMin', 'priceMax', 1e-6, 1e9],
  ['volatilityBpsMin', 'volatilityBpsMax', 0, 10_000],
  ['spreadBpsMin', 'spreadBpsMax', 1e-6, 10_000],
  ['volumeMin', 'volumeMax', 1, 1e12],
  ['openBoostMin', 'openBoostMax', 1, 100],
  ['closeBoostMin', 'closeBoostMax', 1, 100],
  ['rhoMin', 'rhoMax', 0, 1],
  ['regimeSwingMin', 'regimeSwingMax', 0, 0.99],
  ['volumeNoiseMin', 'volumeNoiseMax', 0, 5],
  ['imbalanceAlphaMin', 'imbalanceAlphaMax', -10, 10],
  ['capMin', 'capMax', 1e-6, 1],
  ['etaBpsMin', 'etaBpsMax', 0, 1e6],
  ['gammaBpsMin', 'gammaBpsMax', 0, 1e6],
] as const;

/** The ranges with overrides applied. @throws RangeError naming the parameter and its accepted range. */
export function generalistRanges(overrides: Partial<GeneralistRanges> = {}): GeneralistRanges {
  const r = { ...GENERALIST_RANGES, ...overrides };
  const n = 'generalist';
  for (const [lo, hi, min, max] of PAIRS) {
    checkParam(n, lo, r[lo], min, max);
    checkParam(n, hi, r[hi], r[lo], max);
  }
  if (!Number.isInteger(r.horizonMin) || !Number.isInteger(r.horizonMax)) {
    throw new RangeError(`${n}: parameters horizonMin and horizonMax must be integers`);
  }
  for (const key of ['buyProbability', 'imbalanceProbability', 'bookProbability', 'capProbability'] as const) checkParam(n, key, r[key], 0, 1);
  checkParam(n, 'lotFractionMax', r.lotFractionMax, 0, 1);
  checkParam(n, 'tick', r.tick, 0, 1e6);
  return r;
}

const logUniform = (rng: Rng, lo: number, hi: number): number => (lo === hi ? lo : Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo))));
const uniform = (rng: Rng, lo: number, hi: number): number => lo + rng.uniform() * (hi - lo);

/**
 * Draws one episode. A fixed number of draws in a fixed order whatever the branch taken, so a change of one range
 * leaves the other parameters of the same seed where they were.
 */
export function sampleGeneralistEpisode(rng: Rng, r: GeneralistRanges): GeneralistEpisode {
  const horizon = Math.min(r.horizonMax, Math.floor(logUniform(rng, r.horizonMin, r.horizonMax + 1)));
  const size = logUniform(rng, r.sizeMin, r.sizeMax);
  const side: Side = rng.uniform() < r.buyProbability ? 'buy' : 'sell';
  const price = logUniform(rng, r.priceMin, r.priceMax);
  const volatilityBps = r.volatilityBpsMin > 0 ? logUniform(rng, r.volatilityBpsMin, r.volatilityBpsMax) : uniform(rng, r.volatilityBpsMin, r.volatilityBpsMax);
  const spreadBps = logUniform(rng, r.spreadBpsMin, r.spreadBpsMax);
  const volume = logUniform(rng, r.volumeMin, r.volumeMax);
  const openBoost = uniform(rng, r.openBoostMin, r.openBoostMax);
  const closeBoost = uniform(rng, r.closeBoostMin, r.closeBoostMax);
  const rho = uniform(rng, r.rhoMin, r.rhoMax);
  const regimeSwing = uniform(rng, r.regimeSwingMin, r.regimeSwingMax);
  const volumeNoise = uniform(rng, r.volumeNoiseMin, r.volumeNoiseMax);
  const predictive = rng.uniform() < r.imbalanceProbability;
  const alpha = uniform(rng, r.imbalanceAlphaMin, r.imbalanceAlphaMax);
  const capped = rng.uniform() < r.capProbability;
  const cap = uniform(rng, r.capMin, r.capMax);
  const lotDraw = rng.uniform();
  const etaBps = r.etaBpsMin > 0 ? logUniform(rng, r.etaBpsMin, r.etaBpsMax) : uniform(rng, r.etaBpsMin, r.etaBpsMax);
  const gammaBps = r.gammaBpsMin > 0 ? logUniform(rng, r.gammaBpsMin, r.gammaBpsMax) : uniform(rng, r.gammaBpsMin, r.gammaBpsMax);
  // Drawn last, so the draws above stay where they were before the book became optional.
  const book = rng.uniform() < r.bookProbability;
  // The U shape has mean 1 (generalist.ts), so the expected horizon volume is volume x horizon.
  const quantity = Math.max(1, Math.round(size * volume * horizon));
  const lotMax = Math.max(1, Math.floor(r.lotFractionMax * quantity));
  const lotSize = Math.max(1, Math.min(lotMax, Math.floor(Math.exp(lotDraw * Math.log(lotMax + 1)))));
  return {
    horizon,
    size,
    quantity,
    side,
    price,
    volatilityBps,
    spreadBps,
    volume,
    openBoost,
    closeBoost,
    rho,
    regimeSwing,
    volumeNoise,
    imbalanceAlpha: predictive ? alpha : 0,
    book,
    ...(capped ? { maxParticipation: cap } : {}),
    lotSize,
    etaBps,
    gammaBps,
    tick: r.tick,
  };
}
