/** Observation v2 is side-symmetric and scale-free; obs-v1 (the first models' spec) is not side-aware, and is kept as is. */
import t from 'tap';
import { featuresOf, observe, observeV1, observeV2, OBSERVATION_FEATURES_V2 } from '../../src/core/observation.js';
import { Rng } from '../../src/core/rng.js';
import type { BookLevel, MarketState, Order } from '../../src/core/types.js';

/** A random sell order part-way through, and its market (two book levels, sizes, volume, volatility, a cap or not). */
function randomState(rng: Rng): { order: Order; market: MarketState } {
  const mid = 5 + rng.uniform() * 2000;
  const spread = mid * (1 + rng.uniform() * 49) * 1e-4;
  const bid = mid - spread / 2;
  const ask = mid + spread / 2;
  const quantity = 1000 + Math.floor(rng.uniform() * 1e6);
  const executed = Math.floor(rng.uniform() * quantity);
  const arrival = bid * (1 + (rng.uniform() - 0.5) * 0.01);
  const horizon = 5 + Math.floor(rng.uniform() * 400);
  const levels: BookLevel[] = [
    { bidPrice: bid, bidSize: 100 + rng.uniform() * 5000, askPrice: ask, askSize: 100 + rng.uniform() * 5000 },
    { bidPrice: bid - spread, bidSize: 100 + rng.uniform() * 5000, askPrice: ask + spread, askSize: 100 + rng.uniform() * 5000 },
  ];
  return {
    order: {
      side: 'sell',
      quantity,
      horizon,
      step: Math.floor(rng.uniform() * horizon),
      remaining: quantity - executed,
      arrivalPrice: arrival,
      executedNotional: executed * arrival * (1 - (rng.uniform() - 0.3) * 0.002),
      ...(rng.uniform() < 0.5 ? { maxParticipation: 0.05 + rng.uniform() * 0.25 } : {}),
    },
    market: {
      bid,
      ask,
      bidSize: levels[0].bidSize,
      askSize: levels[0].askSize,
      levels,
      volume: rng.uniform() * 1e5,
      averageVolume: 1e3 + rng.uniform() * 1e5,
      volatility: mid * (1 + rng.uniform() * 49) * 1e-4,
    },
  };
}

/** The buy of the same order on the market mirrored around the arrival price: every price p becomes 2A - p. */
function mirrored({ order, market }: { order: Order; market: MarketState }): { order: Order; market: MarketState } {
  const a = order.arrivalPrice!;
  const executed = order.quantity - order.remaining;
  const flip = (l: BookLevel): BookLevel => ({ bidPrice: 2 * a - l.askPrice, bidSize: l.askSize, askPrice: 2 * a - l.bidPrice, askSize: l.bidSize });
  return {
    order: { ...order, side: 'buy', executedNotional: 2 * a * executed - order.executedNotional! },
    market: { ...market, bid: 2 * a - market.ask, ask: 2 * a - market.bid, bidSize: market.askSize, askSize: market.bidSize, levels: market.levels!.map(flip) },
  };
}

/** Every price x k (quotes, levels, arrival, cash, volatility). */
function scaled({ order, market }: { order: Order; market: MarketState }, k: number): { order: Order; market: MarketState } {
  return {
    order: { ...order, arrivalPrice: order.arrivalPrice! * k, executedNotional: order.executedNotional! * k },
    market: {
      ...market,
      bid: market.bid * k,
      ask: market.ask * k,
      volatility: market.volatility! * k,
      levels: market.levels!.map((l) => ({ ...l, bidPrice: l.bidPrice * k, askPrice: l.askPrice * k })),
    },
  };
}

const close = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) <= 1e-9 * Math.max(1, Math.abs(x)));

t.test('obs-v2 is side-symmetric: a buy on the mirrored market observes exactly what the sell observes', async (t) => {
  const rng = new Rng(31);
  let v1Differs = 0;
  for (let i = 0; i < 500; i++) {
    const sell = randomState(rng);
    const buy = mirrored(sell);
    const a = observeV2(sell.order, sell.market);
    const b = observeV2(buy.order, buy.market);
    if (!close(a, b)) t.fail(`state ${i}: sell ${a} != buy ${b}`);
    if (!close(observeV1(sell.order, sell.market), observeV1(buy.order, buy.market))) v1Differs++;
  }
  t.equal(v1Differs, 500, 'obs-v1 tells them apart on every state (its imbalance ignores the side): the test can fail');
});

t.test('obs-v2 is scale-free: every price x10 (or /100) changes no feature', async (t) => {
  const rng = new Rng(32);
  for (let i = 0; i < 500; i++) {
    const s = randomState(rng);
    const base = observeV2(s.order, s.market);
    for (const k of [10, 0.01]) {
      const x = scaled(s, k);
      if (!close(base, observeV2(x.order, x.market))) t.fail(`state ${i} x${k}`);
    }
    const shifted = { order: { ...s.order, arrivalPrice: s.order.arrivalPrice! + 1 }, market: s.market };
    if (close(base, observeV2(shifted.order, shifted.market))) t.fail('a real change of the arrival price must show');
  }
  t.ok(true, '500 states');
});

t.test('obs-v2 features: size against the remaining volume, cap headroom, steps left, signed imbalance', async (t) => {
  const order: Order = { side: 'buy', quantity: 10000, horizon: 10, step: 6, remaining: 2000, maxParticipation: 0.1 };
  const market: MarketState = { bid: 99, ask: 101, bidSize: 300, askSize: 100, volume: 1000, averageVolume: 2000, volatility: 0.5 };
  const o = Object.fromEntries(OBSERVATION_FEATURES_V2.map((f, i) => [f, observeV2(order, market)[i]]));
  t.same(featuresOf('obs-v2'), OBSERVATION_FEATURES_V2);
  t.equal(o.stepsLeft, 4);
  t.equal(o.timeLeft, 0.4);
  t.equal(o.remainingVsVolume, 2000 / (2000 * 4));
  t.equal(o.capHeadroom, (0.1 * 2000 * 4) / 2000);
  t.equal(o.sideImbalance, -0.5, 'a bid-heavy book pushes the mid up: bad news for a buyer');
  t.equal(o.spreadBps, (2 / 101) * 1e4, 'bps of the arrival price (the ask for a buy)');
  t.equal(observeV2({ ...order, maxParticipation: undefined }, market)[10], 10, 'no cap: the headroom saturates');
  t.same(observe(order, market), observeV1(order, market), 'observe defaults to obs-v1');
  t.same(observe(order, market, 'obs-v2'), observeV2(order, market));
});
