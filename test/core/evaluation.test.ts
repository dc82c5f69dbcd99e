import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { EVAL_SEED, evaluate } from '../../src/core/evaluation.js';
import { named, policyFromName, registerPolicyResolver } from '../../src/core/evaluation-policies.js';
import { AlmgrenChrissMarket } from '../../src/core/scenarios/almgren-chriss.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { LobReplayMarket } from '../../src/core/scenarios/lob-replay.js';
import { clusterIndex, pairedComparison, quantile } from '../../src/core/stats.js';
import { loadLobsterCsvPair } from '../../src/io/lobster-files.js';

const fixturePath = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const MSG = fixturePath('TINY_2012-06-21_message_2.csv');
const OB = fixturePath('TINY_2012-06-21_orderbook_2.csv');

t.test('paired comparison and quantiles by hand', async (t) => {
  // Differences (ref - cand): 2, -1, 3, 0 -> mean 1, wins 2, losses 1 (tie excluded), gain/loss 2.5 / 1.
  const c = pairedComparison([10, 10, 10, 10], [8, 11, 7, 10]);
  t.equal(c.meanDiffBps, 1);
  t.equal(c.winRate, 2 / 3);
  t.equal(c.gainLossRatio, 2.5);
  const sd = Math.sqrt(((2 - 1) ** 2 + (-1 - 1) ** 2 + (3 - 1) ** 2 + (0 - 1) ** 2) / 3);
  t.ok(Math.abs(c.tStat - 1 / (sd / 2)) < 1e-12);
  t.equal(quantile([1, 2, 3, 4, 5], 0.95), 4.8);
  t.equal(quantile([3, 1, 2], 0.5), 2);
});

t.test('common random numbers: a policy equal to TWAP ties on every episode', async (t) => {
  const createEnv = () => new ExecutionEnv(new RegimeLiquidityMarket());
  const market = createEnv().market;
  const twin = named('twin', policyFromName('twap', market));
  const report = evaluate({ createEnv, policies: [twin, policyFromName('almgren-chriss', market)], episodes: 200, keepPaths: 3 });
  t.equal(report.seed, EVAL_SEED);
  t.notOk('twap' in report.policies, 'TWAP runs as the reference without being reported');
  t.equal(report.policies.twin.vsTwap.meanDiffBps, 0);
  t.equal(report.policies.twin.vsTwap.winRate, 0.5);
  t.equal(report.inventoryPaths.twin.length, 3);
  t.equal(report.inventoryPaths.twin[0].length, 21);
  t.same(report.inventoryPaths.twin[0].slice(0, 3), [1, 0.95, 0.9]);
  t.ok(report.policies['almgren-chriss'].stdBps > 0);
  // Same seed again: same numbers.
  const again = evaluate({ createEnv, policies: [twin], episodes: 200 });
  t.same(Array.from(again.shortfallBps.twin), Array.from(report.shortfallBps.twin));
});

t.test('dqn:<model> resolves through a registered hook; unknown names list the choices', async (t) => {
  const market = new RegimeLiquidityMarket();
  t.throws(() => policyFromName('dqn:default', market), /unknown policy "dqn:default"/);
  const unregister = registerPolicyResolver('dqn', (model) => ({ name: `dqn:${model}`, type: 'dqn', propose: (order) => order.remaining }));
  t.teardown(() => void unregister());
  const p = policyFromName('dqn:default', market);
  t.equal(p.name, 'dqn:default');
  t.throws(() => policyFromName('oracle', new AlmgrenChrissMarket()), /only for scenario regime-liquidity/);
  t.throws(() => policyFromName('pov:abc', market), /not a number/);
});

t.test('both sides: a pure linear drift leaves the drift-neutral difference of two fixed schedules at its no-drift value', async (t) => {
  // TWAP against a front-loading Almgren-Chriss (lambda 1e-3): neither looks at prices. A falling market (mu = -0.05 per
  // step, 100 bps over the horizon) rewards the sell that trades early and punishes the buy; the mean of both does not move.
  const run = (mu: number, arrival: 'mid' | 'touch') => {
    const createEnv = (side?: 'sell' | 'buy') => new ExecutionEnv(new AlmgrenChrissMarket({ mu }), { side, arrival });
    const market = createEnv().market;
    return evaluate({ createEnv, policies: [policyFromName('twap', market), policyFromName('almgren-chriss:1e-3', market)], episodes: 100, side: 'both' });
  };
  for (const arrival of ['mid', 'touch'] as const) {
    const flat = run(0, arrival);
    const falling = run(-0.05, arrival);
    const diff = (r: typeof flat, side?: 'sell' | 'buy') => (side ? r.bySide![side] : r).policies['almgren-chriss:1e-3'].vsTwap.meanDiffBps;
    t.equal(falling.side, 'both');
    t.ok(diff(falling, 'sell') - diff(flat, 'sell') > 5, `${arrival}: the drift moves the sell side (${diff(flat, 'sell')} -> ${diff(falling, 'sell')})`);
    t.ok(diff(falling, 'buy') - diff(flat, 'buy') < -5, `${arrival}: and the buy side the other way`);
    // Arrival at the mid: both sides share P_arr and the cancellation is exact; at the touch the bps bases differ by
    // the spread (2 bps of the price), so the drift's trace is 2e-4 of its size.
    const tolerance = arrival === 'mid' ? 1e-9 : 0.01;
    t.ok(Math.abs(diff(falling) - diff(flat)) < tolerance, `${arrival}: drift-neutral ${diff(flat)} vs ${diff(falling)}`);
    t.ok(Math.abs(diff(flat) - (diff(flat, 'sell') + diff(flat, 'buy')) / 2) < 1e-9, 'the mean of the two sides');
  }
});

t.test('sessions are the units: episodes of one replay day form one cluster; Holm over the challengers', async (t) => {
  const day = await loadLobsterCsvPair(MSG, OB);
  // Three sessions that differ in depth (sizes x 1, 0.5, 2; odd book columns are sizes), so walking the book costs differ.
  const days = (['A', 'B', 'C'] as const).map((name, i) => ({ ...day, name, book: day.book.map((x, j) => (j % 2 === 1 ? x * [1, 0.5, 2][i] : x)) }));
  const createEnv = (side?: 'sell' | 'buy') =>
    new ExecutionEnv(new LobReplayMarket({ days, quantity: 250, horizon: 2, stepSeconds: 60, sessionEnd: 34500, split: 'all' }), { side });
  const market = createEnv().market;
  t.equal(market.episodeSession!(3), 'B');
  t.throws(() => market.episodeSession!(6), /episode must be an integer in \[0, 5\]/);
  const policies = ['twap', 'pov:0.5', 'almgren-chriss:1e-2'].map((n) => policyFromName(n, market));
  const report = evaluate({ createEnv, policies, episodes: 1 });
  t.equal(report.episodes, 6, 'two windows per day');
  t.equal(report.sessions, 3);
  t.same(report.episodeSessions, ['A', 'A', 'B', 'B', 'C', 'C']);
  const pov = report.policies['pov:0.5'].vsTwap;
  const ac = report.policies['almgren-chriss:1e-2'].vsTwap;
  const d = pairedComparison(report.shortfallBps.twap, report.shortfallBps['pov:0.5'], clusterIndex(report.episodeSessions!));
  t.same(pov.ci95, d.ci95);
  t.notSame(d.ci95, pairedComparison(report.shortfallBps.twap, report.shortfallBps['pov:0.5']).ci95, 'not the interval of 6 independent episodes');
  const [lo, hi] = [pov.pValue!, ac.pValue!].sort((a, b) => a - b);
  t.ok(lo > 0 && lo < 0.5, `a p-value to adjust: ${lo}`);
  t.equal(Math.min(pov.pValueHolm!, ac.pValueHolm!), Math.min(1, 2 * lo), 'the smaller p doubles (two challengers)');
  t.equal(Math.max(pov.pValueHolm!, ac.pValueHolm!), Math.max(Math.min(1, 2 * lo), hi), 'the larger stays unless the first overtakes it');
  t.equal(report.policies.twap.vsTwap.pValueHolm, report.policies.twap.vsTwap.pValue, 'TWAP is not in the family');
  t.throws(() => evaluate({ createEnv: () => createEnv('sell'), policies, episodes: 1, side: 'buy' }), /createEnv\(buy\) built a sell environment/);
});
