import t from 'tap';
import {
  cumulativeShortfall,
  fillFees,
  fillShortfall,
  orderShortfall,
  priceDivergence,
  shortfallBps,
  vwapSlippage,
} from '../../src/core/costs.js';

t.test('IS of a sell and of a buy, by hand', async (t) => {
  // Sell 1000 at 99.90 against arrival 100.00: (100 - 99.9) x 1000 = 100 currency, worse than arrival.
  t.ok(Math.abs(fillShortfall('sell', 100, 99.9, 1000) - 100) < 1e-9);
  // Buy 1000 at 100.05 against arrival 100: (100.05 - 100) x 1000 = 50.
  t.ok(Math.abs(fillShortfall('buy', 100, 100.05, 1000) - 50) < 1e-9);
  // A buy below arrival is a gain: negative shortfall.
  t.ok(fillShortfall('buy', 100, 99.9, 10) < 0);
  // 100 currency on Q = 10000 at 100 is 100 / 1e6 = 1 bp.
  t.equal(shortfallBps(100, 10000, 100), 1);
});

t.test('cumulative IS from the cash of the fills', async (t) => {
  // Sold 15000 for 1499850 with arrival 99.99: 99.99 x 15000 - 1499850 = 0.
  t.ok(Math.abs(cumulativeShortfall('sell', 99.99, 15000, 1499850)) < 1e-6);
  // Sold 10000 for 999000 with arrival 100: 1000000 - 999000 = 1000.
  t.ok(Math.abs(cumulativeShortfall('sell', 100, 10000, 999000) - 1000) < 1e-6);
  // Bought 10000 for 1001000 with arrival 100: 1001000 - 1000000 = 1000.
  t.ok(Math.abs(cumulativeShortfall('buy', 100, 10000, 1001000) - 1000) < 1e-6);
  const order = { side: 'sell' as const, quantity: 20000, horizon: 10, step: 5, remaining: 10000, arrivalPrice: 100 };
  t.equal(orderShortfall({ ...order, remaining: 20000 }, { bid: 1, ask: 2 }), 0, 'nothing executed: 0');
  t.equal(orderShortfall(order, { bid: 1, ask: 2 }), undefined, 'executed without cash: unknown');
  t.ok(Math.abs(orderShortfall({ ...order, executedNotional: 999000 }, { bid: 1, ask: 2 })! - 1000) < 1e-6);
});

t.test('price divergence with one and with two levels', async (t) => {
  const one = { bid: 100.1, ask: 100.2 };
  t.ok(Math.abs(priceDivergence('sell', 100, one) - 0.1) < 1e-9, 'sell, level 1: bid - arrival');
  t.ok(Math.abs(priceDivergence('buy', 100.3, one) - 0.1) < 1e-9, 'buy, level 1: arrival - ask');
  const two = {
    bid: 100.1,
    ask: 100.2,
    levels: [
      { bidPrice: 100.1, bidSize: 5, askPrice: 100.2, askSize: 5 },
      { bidPrice: 99.9, bidSize: 5, askPrice: 100.4, askSize: 5 },
    ],
  };
  // sell: mean(100.1, 99.9) - 100 = 0; buy: 100.3 - mean(100.2, 100.4) = 0.
  t.ok(Math.abs(priceDivergence('sell', 100, two)) < 1e-9);
  t.ok(Math.abs(priceDivergence('buy', 100.3, two)) < 1e-9);
  t.ok(Math.abs(priceDivergence('sell', 99.5, two) - 0.5) < 1e-9);
});

t.test('fees and VWAP slippage', async (t) => {
  // 1 bp of 100 x 1000 = 10, plus 0.001 x 1000 = 1.
  t.ok(Math.abs(fillFees(100, 1000, { feeBps: 1, feePerShare: 0.001 }) - 11) < 1e-9);
  t.equal(fillFees(100, 1000), 0);
  // Sold at 100.1 on average while the market VWAP was 100: beat it by 0.1 x 500.
  t.ok(Math.abs(vwapSlippage('sell', 100, 100.1, 500) - 50) < 1e-9);
  t.ok(Math.abs(vwapSlippage('buy', 100, 100.1, 500) + 50) < 1e-9);
});
