/**
 * The pieces of the generalist recipe: trading at a binding cap (clipAtBound), the large-margin pull towards the
 * TWAP action, the per-episode cost scale, and the generalization matrix's grid and verdict.
 */
import t from 'tap';
import { actionMask, actionProposal, type ActionSpace } from '../../src/core/actions.js';
import { applyConstraints } from '../../src/core/constraints.js';
import { anchorGradient } from '../../src/models/training/dqn-agent.js';
import { learningMask } from '../../src/models/serving/masking.js';
import { anchorAction, costScaleBps, twapActionIndex } from '../../src/models/training/trainer.js';
import { sampleDomain } from '../../src/models/training/domain-sampling.js';
import { matrixCells, verdict, type CellResult } from '../../bench/policy/generalization.js';

const order = { side: 'sell' as const, quantity: 100_000, horizon: 10, step: 0, remaining: 100_000, maxParticipation: 0.1 };
// TWAP slice 10,000; the cap allows 10% of 50,000 = 5,000 shares (0.5x TWAP).
const market = { bid: 99.99, ask: 100.01, volume: 50_000, averageVolume: 50_000, volatility: 0.05 };

t.test('clipAtBound keeps the first level past the cap open, and the constraint layer trades it at the cap', async (t) => {
  const plain: ActionSpace = { kind: 'twap-multiple', levels: 39, max: 2 };
  const clip: ActionSpace = { ...plain, clipAtBound: true };
  const before = actionMask(plain, order, market);
  const after = actionMask(clip, order, market);
  const lastWithin = before.lastIndexOf(true);
  t.equal(lastWithin, 9, 'levels up to 9/19 x TWAP lie within the cap');
  t.same(after.slice(0, lastWithin + 1), before.slice(0, lastWithin + 1), 'the levels within the cap are unchanged');
  t.equal(after[lastWithin + 1], true, 'the first level past the cap is open');
  t.equal(after.slice(lastWithin + 2).some(Boolean), false, 'every later level stays masked');
  const slice = applyConstraints(order, market, actionProposal(clip, lastWithin + 1, order));
  t.equal(slice.quantity, 5000, 'it trades exactly the cap, as a clipped TWAP does');
  t.ok(actionProposal(clip, lastWithin, order) < 5000, 'the best level within the cap trades less');
  const loose = { ...order, maxParticipation: undefined };
  t.same(actionMask(clip, loose, market), actionMask(plain, loose, market), 'no binding bound: the same mask');
});

t.test('the anchor term is zero where the TWAP action leads by the margin, and pulls towards it otherwise', async (t) => {
  const anchor = { action: 2, margin: 1, weight: 0.5, unit: 1 };
  const led = new Float32Array([0, 1, 3, 1, 0]); // leads by 2 >= 1 per step away
  const dq = new Float32Array(5);
  t.equal(anchorGradient(led, 1, anchor, dq), 0);
  t.same(Array.from(dq), [0, 0, 0, 0, 0]);
  const beaten = new Float32Array([0, 1, 1, 4, 0]);
  const dq2 = new Float32Array(5);
  t.equal(anchorGradient(beaten, 1, anchor, dq2), 0.5 * (4 + 1 - 1), 'weight x (Q(best) + margin - Q(anchor))');
  t.same(Array.from(dq2), [0, 0, -0.5, 0.5, 0], 'lowers the best rival, raises the anchor');
  const perState = new Float32Array([0, 2, 1, 4, 0, /* row 2 */ 0, 2, 1, 4, 0]);
  const dq3 = new Float32Array(10);
  anchorGradient(perState, 2, anchor, dq3, Int32Array.from([1, -1]));
  t.same(Array.from(dq3), [0, -0.25, 0, 0.25, 0, 0, 0, 0, 0, 0], "each state's own anchor; -1 leaves the state alone");
  t.equal(twapActionIndex({ kind: 'twap-multiple', levels: 39, max: 2 }), 19, 'level 19 of 39 is 1x TWAP');
  t.equal(anchorAction([true, true, true], 1), 1, 'the TWAP level when open');
  t.equal(anchorAction([true, true, false], 2), 1, 'else the highest open level (the cap)');
  t.same(learningMask([true, true, true], true, 1), [false, true, false], 'an anchored learner: TWAP is the canonical forced action');
  t.same(learningMask([true, true, true], true), [true, false, false], 'otherwise action 0, as before');
  t.equal(twapActionIndex({ kind: 'fraction', levels: 20 }), undefined);
});

t.test('the cost scale is half the spread plus the impact of the TWAP slice, in bps', async (t) => {
  // Half spread 1 bps; eta 1e-4 per share x TWAP slice 10,000 = $1 on $100 = 100 bps.
  t.equal(Number(costScaleBps({ order, market }, 1e-4).toFixed(6)), 101);
  t.equal(Number(costScaleBps({ order, market }).toFixed(6)), 1, 'without eta: the half spread');
  t.equal(costScaleBps({ order, market: { ...market, bid: 100, ask: 100 } }), 0.1, 'floored');
});

t.test('the generalization matrix covers its grid, and its verdict applies each bar', async (t) => {
  const cells = matrixCells();
  t.ok(cells.length >= 40, `${cells.length} cells`);
  for (const side of ['sell', 'buy']) t.ok(cells.filter((c) => c.side === side).length === cells.length / 2, `half the cells are ${side}s`);
  for (const s of ['generalist', 'regime-liquidity', 'intraday', 'almgren-chriss']) t.ok(cells.some((c) => c.scenario === s), s);
  t.ok(cells.some((c) => c.scenario === 'regime-liquidity' && c.params.rho === 0.5) && cells.some((c) => c.scenario === 'regime-liquidity' && c.params.rho === 0.95), 'rho 0.5 and 0.95');
  t.ok(cells.some((c) => c.scenario === 'intraday' && c.params.imbalanceAlpha === 0), 'intraday without the imbalance signal');
  t.ok(cells.some((c) => c.reference?.kind === 'ac' && c.reference.lambda > 0), 'AC with risk aversion');
  const cell = (over: Partial<CellResult>): CellResult => ({
    cell: 'c', scenario: 'generalist', side: 'sell', episodes: 10, twapBps: 1, dqnVsTwapBps: 0, dqnVsTwapT: 0, networkShare: 1, notWorse: true, ...over,
  });
  const ok = verdict([cell({}), cell({ oracleVsTwapBps: 2, dqnVsTwapBps: 1.5, capture: 0.75 }), cell({ acGap: 0.01 })]);
  t.ok(ok.noCellWorse && ok.regimeCaptureMet && ok.acMet, 'all bars met');
  const bad = verdict([cell({ cell: 'x', notWorse: false }), cell({ oracleVsTwapBps: 2, dqnVsTwapBps: 1, capture: 0.5 }), cell({ acGap: 0.06 })]);
  t.same([bad.noCellWorse, bad.worseCells, bad.regimeCaptureMet, bad.acMet], [false, ['x'], false, false]);
});

t.test('a generalist domain spans the declared parameter ranges, not only the few draws sampled', async (t) => {
  const domain = await sampleDomain({
    scenario: { scenario: 'generalist', params: { horizonMax: 30 } },
    envConfig: {},
    spec: 'obs-v2',
    actionSpace: { kind: 'twap-multiple', levels: 39, max: 2 },
    seed: 1,
    episodes: 6,
  });
  const p = domain.parameters;
  t.ok(p.horizon.min <= 5 && p.horizon.max === 30, `horizon ${JSON.stringify(p.horizon)}`);
  t.ok(p.orderSizeVsVolume.min <= 0.005 && p.orderSizeVsVolume.max >= 0.3, `size ${JSON.stringify(p.orderSizeVsVolume)}`);
  t.ok(p.maxParticipation.min <= 0.05 && p.maxParticipation.max === 1, `cap ${JSON.stringify(p.maxParticipation)}`);
  t.ok(p.price.min <= 4.5 && p.price.max >= 2200, `price ${JSON.stringify(p.price)}`);
  t.ok(p.lotFraction.max >= 0.01, `lots ${JSON.stringify(p.lotFraction)}`);
});

t.test('bookProbability: some generalist markets show no book, and the other draws of a seed stay where they were', async (t) => {
  const { GeneralistMarket } = await import('../../src/core/scenarios/generalist.js');
  const shown = new GeneralistMarket({ bookProbability: 1 });
  const hidden = new GeneralistMarket({ bookProbability: 0 });
  for (const seed of [1, 2, 3]) {
    shown.reset(seed);
    hidden.reset(seed);
    t.ok(shown.state().bidSize !== undefined && shown.state().askSize !== undefined, 'a book');
    t.equal(hidden.state().bidSize, undefined);
    t.equal(hidden.state().askSize, undefined);
    const { book: _a, ...a } = shown.params;
    const { book: _b, ...b } = hidden.params;
    t.same(a, b, 'the same order and market otherwise');
    t.same({ ...hidden.state(), bidSize: undefined, askSize: undefined }, { ...shown.state(), bidSize: undefined, askSize: undefined });
  }
  const mixed = new GeneralistMarket();
  let books = 0;
  for (let seed = 0; seed < 400; seed++) {
    mixed.reset(seed);
    if (mixed.params.book) books++;
  }
  t.ok(books > 250 && books < 350, `about 3/4 of the default markets show a book: ${books}/400`);
});

t.test('the heat map has a row per cell and a column per side, coloured by the sign of the difference', async (t) => {
  const { heatMapHtml } = await import('../../bench/policy/generalization.js');
  const base = { scenario: 'generalist', episodes: 10, twapBps: 1, networkShare: 1, notWorse: true } as const;
  const html = heatMapHtml(
    [
      { ...base, cell: 'generalist T 5 sell', side: 'sell', dqnVsTwapBps: 1, dqnVsTwapT: 10 },
      { ...base, cell: 'generalist T 5 buy', side: 'buy', dqnVsTwapBps: -1, dqnVsTwapT: -10 },
    ],
    'm <x>',
  );
  t.match(html, /<tr><th>generalist T 5<\/th><td style="background:rgb\(0,255,0\)"[^>]*>\+1\.00 bps \(t 10\.0\)<\/td><td style="background:rgb\(255,0,0\)"/);
  t.match(html, /m &lt;x&gt;/, 'escaped');
});
