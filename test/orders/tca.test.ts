import t from 'tap';
import { applyFill, newOrder, recordDecision } from '../../src/orders/lifecycle.js';
import { analyse } from '../../src/orders/tca.js';
import { normalizeTicket } from '../../src/orders/ticket.js';
import type { DecisionRecord, ParentOrder } from '../../src/orders/types.js';

const NOW = Date.parse('2026-12-07T14:00:00Z');

function decision(step: number, bid: number, volume: number, quantity: number, marketVwap?: number): DecisionRecord {
  return {
    step, at: new Date(NOW).toISOString(), market: { bid, ask: bid + 0.1, volume }, marketVwap, policy: { type: 'twap' }, proposal: quantity, quantity,
    forced: false, capped: false, limited: false, iWould: false, unexecuted: 0, remaining: 0, capInfeasible: false, capShortfall: 0,
  };
}

t.test('TCA of a buy with an unexecuted rest, against a hand computation', async (t) => {
  // Buy 1000 over 3 steps, decision price 50.00; asks 50.02, 50.06, 50.10 at the three decisions.
  const ticket = normalizeTicket({ side: 'buy', quantity: 1000, horizon: 3, arrivalPrice: 50, impact: { eta: 0.0001, gamma: 0 } }, NOW);
  let o: ParentOrder = newOrder('o1', ticket, {}, NOW);
  o = recordDecision(o, decision(0, 49.92, 8000, 334, undefined));
  o = applyFill(o, { fillId: 'a', quantity: 300, price: 50.03, fee: 0.6 }, NOW).order;
  o = recordDecision(o, decision(1, 49.96, 6000, 350, 50.05));
  o = applyFill(o, { fillId: 'b', quantity: 200, price: 50.07, fee: 0.4 }, NOW).order;
  o = recordDecision(o, decision(2, 50.0, 2000, 500, 50.09));
  o = applyFill(o, { fillId: 'c', quantity: 100, price: 50.12 }, NOW).order;
  const tca = analyse(o);

  const notional = 300 * 50.03 + 200 * 50.07 + 100 * 50.12; // 30038
  t.equal(tca.executedQuantity, 600);
  t.equal(tca.unexecutedQuantity, 400);
  t.equal(tca.startPrice, 50.02, 'the ask at the first decision');
  t.equal(tca.endPrice, 50.1);
  t.ok(Math.abs(tca.averagePrice! - notional / 600) < 1e-12);
  const is = notional - 50 * 600 + 1.0; // buy: paid above the decision price, plus fees = 39
  t.ok(Math.abs(tca.shortfall! - is) < 1e-9, `IS ${tca.shortfall} = ${is}`);
  t.ok(Math.abs(tca.shortfallBps! - (is / (1000 * 50)) * 1e4) < 1e-9);
  const d = tca.decomposition!;
  t.ok(Math.abs(d.delay - (50.02 - 50) * 600) < 1e-9, 'delay: decision price to the first ask');
  t.ok(Math.abs(d.trading - (notional - 50.02 * 600)) < 1e-9, 'trading: first ask to the fills');
  t.ok(Math.abs(d.opportunity - (50.1 - 50) * 400) < 1e-9, 'opportunity: the 400 unbought at the last ask');
  t.equal(d.fees, 1.0);
  t.ok(Math.abs(d.total - (is + 40)) < 1e-9);
  // Interval VWAP over the two steps that sent one, weighted by their volumes (6000, 2000).
  const vwap = (50.05 * 6000 + 50.09 * 2000) / 8000;
  t.ok(Math.abs(tca.vwap!.marketVwap - vwap) < 1e-12);
  t.ok(Math.abs(tca.vwap!.slippage - (vwap - notional / 600) * 600) < 1e-9, 'a buy beats VWAP by paying less');
  // Participation: step k's volume comes with decision k + 1 (6000 for step 0, 2000 for step 1).
  t.ok(Math.abs(tca.participation!.achieved - 500 / 8000) < 1e-12);
  t.ok(Math.abs(tca.participation!.max - 200 / 2000) < 1e-12);
  t.equal(tca.participation!.steps, 2, 'the first decision\'s volume is from before the order');
  // TWAP on the same asks, re-planned to whole shares: 1000/3 -> 333, 667/2 -> 334, the last 333; each pays
  // (ask - 50) + eta x n per share.
  t.same(tca.steps.map((s) => s.twap), [333, 334, 333]);
  const twapCost = 333 * (0.02 + 0.0001 * 333) + 334 * (0.06 + 0.0001 * 334) + 333 * (0.1 + 0.0001 * 333);
  t.ok(Math.abs(tca.twapEstimate!.twapCost - twapCost) < 1e-9, `${tca.twapEstimate!.twapCost} = ${twapCost}`);
  const own = 300 * (0.02 + 0.03) + 200 * (0.06 + 0.02) + 100 * (0.1 + 0.01);
  t.ok(Math.abs(tca.twapEstimate!.scheduleCost - own) < 1e-9);
  t.match(tca.twapEstimate!.label, /estimate/);
});

t.test('fills: idempotent by fillId, 409 for overfill, the wrong side, another fill under a used id, a closed order', async (t) => {
  const ticket = normalizeTicket({ side: 'sell', quantity: 100, horizon: 2 }, NOW);
  let o = newOrder('o2', ticket, {}, NOW);
  o = applyFill(o, { fillId: 'x', quantity: 60, price: 10 }, NOW).order;
  const again = applyFill(o, { fillId: 'x', quantity: 60, price: 10 }, NOW);
  t.ok(again.repeated);
  t.equal(again.order, o, 'nothing changed');
  t.throws(() => applyFill(o, { fillId: 'x', quantity: 61, price: 10 }, NOW), { name: 'OrderStateError' });
  t.throws(() => applyFill(o, { fillId: 'y', quantity: 41, price: 10 }, NOW), /exceeds the 40 shares remaining/);
  t.throws(() => applyFill(o, { fillId: 'y', quantity: 1, price: 10, side: 'buy' }, NOW), /a buy fill on a sell order/);
  o = applyFill(o, { fillId: 'y', quantity: 40, price: 10 }, NOW).order;
  t.equal(o.status, 'filled');
  t.throws(() => applyFill(o, { fillId: 'z', quantity: 1, price: 10 }, NOW), /is filled, not working/);
});
