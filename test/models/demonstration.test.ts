/**
 * Demonstrations for the generalist: the simulator's privileged planner (GeneralistMarket.demonstration) and its
 * mapping to an action level that the large-margin term pulls towards (trainer.demonstrationAction).
 */
import t from 'tap';
import { actionMask, actionProposal, type ActionSpace } from '../../src/core/actions.js';
import { ExecutionEnv } from '../../src/core/environment.js';
import { GeneralistMarket } from '../../src/core/scenarios/generalist.js';
import { demonstrationAction } from '../../src/models/training/trainer.js';

const pin = (name: string, value: number) => ({ [`${name}Min`]: value, [`${name}Max`]: value });
const calm = { ...pin('horizon', 20), ...pin('regimeSwing', 0), imbalanceProbability: 0, capProbability: 0, lotFractionMax: 0 };

/** Plays one episode with the planner's slices; returns each step's slice over the TWAP slice and the volumes seen. */
function play(params: Record<string, number>, seed: number) {
  const env = new ExecutionEnv(new GeneralistMarket(params), {});
  const market = env.market as GeneralistMarket;
  let view = env.reset(seed);
  const rows: { multiple: number; relativeVolume: number; slice: number; remaining: number }[] = [];
  for (;;) {
    const slice = market.demonstration(view.order.remaining, view.order.side);
    const twap = view.order.remaining / (view.order.horizon - view.order.step);
    rows.push({ multiple: slice / twap, relativeVolume: (view.market.volume ?? 0) / (view.market.averageVolume ?? 1), slice, remaining: view.order.remaining });
    const r = env.step(slice);
    if (r.done) return { rows, left: r.view.order.remaining };
    view = r.view;
  }
}

t.test('without regimes or a predictive book the planner is TWAP, whatever the volume curve', async (t) => {
  for (const seed of [1, 2, 3]) {
    const { rows, left } = play({ ...calm, ...pin('closeBoost', 6), ...pin('openBoost', 4) }, seed);
    t.ok(rows.every((r) => Math.abs(r.multiple - 1) < 1e-9), `seed ${seed}: every slice is the TWAP slice`);
    t.equal(left, 0, 'and the order completes');
  }
});

t.test('with persistent regimes it trades more after a high-volume step and less after a low one', async (t) => {
  const regimes = { ...calm, ...pin('regimeSwing', 0.8), ...pin('rho', 0.9), ...pin('volumeNoise', 0), ...pin('openBoost', 1), ...pin('closeBoost', 1) };
  const rows = [1, 2, 3, 4, 5].flatMap((seed) => play(regimes, seed).rows.slice(0, -1));
  const inner = rows.filter((r) => r.remaining > 0);
  const high = inner.filter((r) => r.relativeVolume > 1);
  const low = inner.filter((r) => r.relativeVolume < 1);
  t.ok(high.length > 0 && low.length > 0, 'both regimes occur');
  t.ok(high.every((r) => r.multiple > 1), 'above TWAP after a high step');
  t.ok(low.every((r) => r.multiple < 1), 'below TWAP after a low step');
  t.ok(rows.every((r) => r.slice >= 0 && r.slice <= r.remaining), '0 <= slice <= remaining');
  const noPersistence = play({ ...calm, ...pin('regimeSwing', 0.8), ...pin('rho', 0.5), ...pin('volumeNoise', 0) }, 4);
  t.ok(noPersistence.rows.every((r) => Math.abs(r.multiple - 1) < 1e-9), 'rho 0.5: the regime says nothing, TWAP');
});

t.test('a predictive book tilts a sell forward before a fall and back before a rise; a buy mirrors it', async (t) => {
  const book = { ...calm, imbalanceProbability: 1, bookProbability: 1, ...pin('imbalanceAlpha', 0.5) };
  for (const side of ['sell', 'buy'] as const) {
    const env = new ExecutionEnv(new GeneralistMarket({ ...book, buyProbability: side === 'buy' ? 1 : 0 }), {});
    const market = env.market as GeneralistMarket;
    let view = env.reset(7);
    let checked = 0;
    for (;;) {
      const imbalance = ((view.market.bidSize ?? 0) - (view.market.askSize ?? 0)) / ((view.market.bidSize ?? 0) + (view.market.askSize ?? 0));
      const slice = market.demonstration(view.order.remaining, side);
      const twap = view.order.remaining / (view.order.horizon - view.order.step);
      const last = view.order.step === view.order.horizon - 1;
      if (!last && Math.abs(imbalance) > 0.2 && slice > 0 && slice < view.order.remaining) {
        // Bids heavier than asks: the mid will rise; a sell waits, a buy hurries.
        const forward = side === 'sell' ? imbalance < 0 : imbalance > 0;
        t.equal(slice > twap, forward, `${side} step ${view.order.step}, imbalance ${imbalance.toFixed(2)}`);
        checked++;
      }
      const r = env.step(slice);
      if (r.done) break;
      view = r.view;
    }
    t.ok(checked > 3, `${side}: ${checked} steps checked`);
  }
});

t.test('a demonstrated slice maps to the nearest open level', async (t) => {
  const space: ActionSpace = { kind: 'twap-multiple', levels: 39, max: 2, clipAtBound: true };
  const order = { side: 'sell' as const, quantity: 100_000, horizon: 10, step: 0, remaining: 100_000 };
  const market = { bid: 99.99, ask: 100.01, volume: 50_000, averageVolume: 50_000, volatility: 0.05 };
  const open = actionMask(space, order, market);
  t.equal(demonstrationAction(space, open, 10_000, order), 19, '1x TWAP is level 19');
  t.equal(demonstrationAction(space, open, 12_500, order), 24, '1.25x TWAP is level 23.75: the nearest is 24');
  t.equal(demonstrationAction(space, open, 1e9, order), 38, 'beyond the top: the top level');
  t.equal(demonstrationAction(space, open, 0, order), 0);
  const capped = { ...order, maxParticipation: 0.1 }; // the cap allows 5,000 shares: levels 0-9, and 10 trades at the cap
  const mask = actionMask(space, capped, market);
  const a = demonstrationAction(space, mask, 20_000, capped);
  t.equal(a, 10, 'past a binding cap: the open level that trades at the cap');
  t.ok(actionProposal(space, a, capped) >= 5000);
  t.throws(() => demonstrationAction({ kind: 'fraction', levels: 20 }, open, 1, order), /twap-multiple/);
});
