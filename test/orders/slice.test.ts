import t from 'tap';
import type { Order } from '../../src/core/types.js';
import { orderSlice, volumeEstimate } from '../../src/orders/slice.js';
import { normalizeTicket, urgencyRiskAversion, URGENCY_KAPPA_T } from '../../src/orders/ticket.js';
import { almgrenChrissKappa } from '../../src/core/policies/index.js';
import type { Ticket } from '../../src/orders/types.js';

const NOW = Date.parse('2026-12-07T14:00:00Z');
const ticket = (extra: Partial<Parameters<typeof normalizeTicket>[0]> = {}): Ticket =>
  normalizeTicket({ side: 'sell', quantity: 1000, horizon: 2, ...extra }, NOW);
const core = (tk: Ticket, step: number, remaining: number): Order => ({
  side: tk.side, quantity: tk.quantity, horizon: tk.horizon, step, remaining, lotSize: tk.lotSize, maxParticipation: tk.maxParticipation, limitPrice: tk.limitPrice,
});

t.test('the cap applies to the lower of the previous and the average volume, or to the desk\'s forecast', async (t) => {
  t.equal(volumeEstimate({ bid: 1, ask: 1, volume: 90000, averageVolume: 10000 }), 10000);
  t.equal(volumeEstimate({ bid: 1, ask: 1, volume: 9000, averageVolume: 10000 }), 9000);
  t.equal(volumeEstimate({ bid: 1, ask: 1, volume: 90000, averageVolume: 10000 }, 20000), 20000);
  t.equal(volumeEstimate({ bid: 1, ask: 1 }), undefined);
  const tk = ticket({ quantity: 100000, horizon: 20, maxParticipation: 0.1 });
  const market = { bid: 99.9, ask: 100, volume: 90000, averageVolume: 10000 };
  const s = orderSlice(tk, core(tk, 0, 100000), market, 5000);
  t.equal(s.quantity, 1000, '0.1 x 10000, not 0.1 x 90000 (the previous step\'s volume alone)');
  t.ok(s.capped);
});

t.test('forceCompletion false leaves the rest unexecuted and never breaks the cap; true forces it', async (t) => {
  const market = { bid: 99.9, ask: 100, volume: 2000 };
  const free = ticket({ maxParticipation: 0.1, forceCompletion: false });
  const first = orderSlice(free, core(free, 0, 1000), market, 500);
  t.equal(first.quantity, 200);
  t.ok(first.capInfeasible, 'two steps of 0.1 x 2000 cannot sell 1000');
  t.equal(first.capShortfall, 600);
  const last = orderSlice(free, core(free, 1, 800), market, 800);
  t.same([last.quantity, last.forced, last.unexecuted], [200, false, 600]);
  const forced = ticket({ maxParticipation: 0.1 });
  const end = orderSlice(forced, core(forced, 1, 800), market, 800);
  t.same([end.quantity, end.forced, end.unexecuted], [800, true, 0]);
});

t.test('the I-would price trades as much as the cap allows when the touch is that good', async (t) => {
  const tk = ticket({ horizon: 10, maxParticipation: 0.2, iWouldPrice: 100.5 });
  const good = orderSlice(tk, core(tk, 0, 1000), { bid: 100.6, ask: 100.7, volume: 2000 }, 100);
  t.same([good.quantity, good.iWould, good.capped], [400, true, true]);
  const poor = orderSlice(tk, core(tk, 0, 1000), { bid: 100.4, ask: 100.5, volume: 2000 }, 100);
  t.same([poor.quantity, poor.iWould], [100, false]);
  const buy = ticket({ side: 'buy', horizon: 10, iWouldPrice: 50 });
  t.equal(orderSlice(buy, core(buy, 0, 1000), { bid: 49.9, ask: 50, volume: 2000 }, 100).quantity, 1000, 'no cap: the whole remainder');
});

t.test('minParticipation raises the slice to that share of the estimated volume', async (t) => {
  const tk = ticket({ horizon: 10, minParticipation: 0.1 });
  t.equal(orderSlice(tk, core(tk, 0, 1000), { bid: 1, ask: 1.01, volume: 3000 }, 100).quantity, 300);
});

t.test('urgency maps to the risk aversion that gives kappa x T = 0.5, 2, 6', async (t) => {
  const p = { eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 };
  for (const u of ['low', 'medium', 'high'] as const) {
    const lambda = urgencyRiskAversion(u, 20, p);
    t.ok(Math.abs(almgrenChrissKappa({ ...p, riskAversion: lambda }) * 20 - URGENCY_KAPPA_T[u]) < 1e-9, u);
  }
  const tk = normalizeTicket({ side: 'sell', quantity: 1000, horizon: 20, urgency: 'high', policy: { type: 'almgren-chriss', ...p } }, NOW);
  t.equal(tk.policy.riskAversion, urgencyRiskAversion('high', 20, p));
  t.same(tk.impact, { eta: p.eta, gamma: p.gamma }, 'the TCA estimate takes the policy\'s impact');
  t.equal(normalizeTicket({ side: 'sell', quantity: 1, horizon: 1, policy: { type: 'almgren-chriss', ...p } }, NOW).urgency, 'medium', 'default urgency');
});

t.test('a ticket\'s horizon from startTime/endTime and stepSeconds', async (t) => {
  const tk = normalizeTicket({ side: 'buy', quantity: 10, startTime: '2026-12-07T14:00:00Z', endTime: '2026-12-07T14:30:00Z', stepSeconds: 300 }, NOW);
  t.same([tk.horizon, tk.startTime, tk.endTime], [6, NOW, NOW + 30 * 60000]);
  t.same([tk.forceCompletion, tk.lotSize, tk.stepSeconds, tk.policy], [true, 1, 300, { type: 'twap' }]);
});
