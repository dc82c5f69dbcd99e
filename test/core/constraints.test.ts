import t from 'tap';
import { applyConstraints } from '../../src/core/constraints.js';
import type { Order } from '../../src/core/types.js';

const order: Order = { side: 'sell', quantity: 10000, horizon: 10, step: 2, remaining: 8000, lotSize: 100 };
const market = { bid: 100, ask: 100.02, volume: 5000 };

t.test('inventory and side: clamps to [0, remaining], NaN trades nothing', async (t) => {
  t.equal(applyConstraints(order, market, -500).quantity, 0);
  t.equal(applyConstraints(order, market, 1e9).quantity, 8000);
  t.equal(applyConstraints(order, market, NaN).quantity, 0);
  t.equal(applyConstraints({ ...order, remaining: 0 }, market, 100).quantity, 0);
});

t.test('lot size: nearest whole lot, the whole remainder allowed', async (t) => {
  t.equal(applyConstraints(order, market, 1234).quantity, 1200);
  t.equal(applyConstraints(order, market, 1260).quantity, 1300);
  t.equal(applyConstraints({ ...order, remaining: 150 }, market, 150).quantity, 150, 'remainder of 150 in one go');
  t.equal(applyConstraints({ ...order, remaining: 150 }, market, 140).quantity, 100, 'rounded to a lot below the remainder');
});

t.test('participation cap: cut and flagged, not forced before the end', async (t) => {
  const s = applyConstraints({ ...order, maxParticipation: 0.1 }, market, 2000);
  t.same(s, { quantity: 500, forced: false, capped: true, limited: false, unexecuted: 0 });
  const odd = applyConstraints({ ...order, maxParticipation: 0.1 }, { ...market, volume: 1999 }, 2000);
  t.equal(odd.quantity, 100, 'cap of 199.9 shares allows one lot of 100');
});

t.test('terminal step forces the remainder, flagged when it breaks the cap', async (t) => {
  const last = { ...order, step: 9, remaining: 3000, maxParticipation: 0.1 };
  t.same(applyConstraints(last, market, 0), { quantity: 3000, forced: true, capped: false, limited: false, unexecuted: 0 });
  t.same(applyConstraints({ ...last, maxParticipation: undefined }, market, 3000).forced, false, 'the policy asked for it all');
});

t.test('limit price: a sell never trades below it, the end is not forced through it', async (t) => {
  const limited = { ...order, limitPrice: 100.01 };
  t.same(applyConstraints(limited, market, 1000), { quantity: 0, forced: false, capped: false, limited: true, unexecuted: 0 });
  t.same(applyConstraints({ ...limited, step: 9 }, market, 1000), { quantity: 0, forced: false, capped: false, limited: true, unexecuted: 8000 });
  t.equal(applyConstraints({ ...order, limitPrice: 100 }, market, 1000).quantity, 1000, 'at the limit trades');
  const buy = { ...order, side: 'buy' as const, limitPrice: 100.01 };
  t.equal(applyConstraints(buy, market, 1000).limited, true, 'a buy never above it');
  t.equal(applyConstraints({ ...buy, limitPrice: 100.05 }, market, 1000).quantity, 1000);
});
