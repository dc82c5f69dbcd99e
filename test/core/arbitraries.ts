/** fast-check generators of valid orders and market states, shared by every policy's contract test. */
import fc from 'fast-check';
import type { MarketState, Order } from '../../src/core/types.js';

export interface State {
  order: Order;
  market: MarketState;
}

export const stateArb: fc.Arbitrary<State> = fc
  .record({
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    quantity: fc.integer({ min: 1, max: 5_000_000 }),
    horizon: fc.integer({ min: 1, max: 400 }),
    stepFrac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    remainingFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    lotSize: fc.option(fc.constantFrom(1, 10, 100, 1000), { nil: undefined }),
    maxParticipation: fc.option(fc.double({ min: 0.001, max: 1, noNaN: true }), { nil: undefined }),
    limitOffset: fc.option(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { nil: undefined }),
    mid: fc.double({ min: 1, max: 5000, noNaN: true }),
    spreadBps: fc.double({ min: 0, max: 100, noNaN: true }),
    volume: fc.option(fc.double({ min: 0, max: 10_000_000, noNaN: true }), { nil: undefined }),
    bidSize: fc.integer({ min: 0, max: 100000 }),
    askSize: fc.integer({ min: 0, max: 100000 }),
    volatilityBps: fc.double({ min: 0, max: 200, noNaN: true }),
  })
  .map((r) => {
    const half = (r.mid * r.spreadBps) / 2e4;
    const bid = r.mid - half;
    const ask = r.mid + half;
    const step = Math.floor(r.stepFrac * r.horizon);
    const remaining = Math.round(r.remainingFrac * r.quantity);
    // The cap needs a volume; a state with a cap always carries one.
    const volume = r.maxParticipation !== undefined && r.volume === undefined ? 50000 : r.volume;
    const order: Order = {
      side: r.side,
      quantity: r.quantity,
      horizon: r.horizon,
      step,
      remaining,
      lotSize: r.lotSize,
      maxParticipation: r.maxParticipation,
      limitPrice: r.limitOffset === undefined ? undefined : r.mid * (1 + r.limitOffset),
    };
    const market: MarketState = {
      bid,
      ask,
      bidSize: r.bidSize,
      askSize: r.askSize,
      volume,
      averageVolume: 50000,
      volatility: (r.mid * r.volatilityBps) / 1e4,
    };
    return { order, market };
  });

/** States that carry a market volume (POV needs one; the API answers 400 without it). */
export const stateWithVolumeArb: fc.Arbitrary<State> = stateArb.map((s) =>
  s.market.volume === undefined ? { ...s, market: { ...s.market, volume: 25000 } } : s,
);
