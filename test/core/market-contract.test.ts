/** One contract for every market: seeded determinism, policy-independent exogenous path, docs/DESIGN.md 1 invariants. */
import t from 'tap';
import { ExecutionEnv, runEpisode } from '../../src/core/environment.js';
import { parseLobster } from '../../src/core/lobster/day.js';
import type { Market } from '../../src/core/market.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const tiny = parseLobster(
  'TINY',
  { file: 'message', bytes: readFileSync(fixture('TINY_2012-06-21_message_2.csv')) },
  { file: 'orderbook', bytes: readFileSync(fixture('TINY_2012-06-21_orderbook_2.csv')) },
);

const markets: Record<string, () => Market> = {
  'almgren-chriss': () => createScenario('almgren-chriss', {}),
  'regime-liquidity': () => createScenario('regime-liquidity', {}),
  intraday: () => createScenario('intraday', {}),
  'lob-replay': () => createScenario('lob-replay', { days: [tiny], horizon: 3, stepSeconds: 60, sessionEnd: 34500, split: 'all', quantity: 250 }),
};

for (const [name, make] of Object.entries(markets)) {
  t.test(`${name}: same seed, same path; invariants of docs/DESIGN.md 1`, async (t) => {
    const a = make();
    const b = make();
    const trace = (m: Market, seed: number, slice: (k: number) => number) => {
      m.reset(seed);
      const out: number[] = [];
      for (let k = 0; k < m.horizon; k++) {
        const s = m.state();
        out.push(s.bid, s.ask, s.volume ?? -1);
        out.push(m.execute('sell', slice(k)).volume);
      }
      return out;
    };
    t.same(trace(a, 7, () => 0), trace(b, 7, () => 0), 'identical given the seed');
    if (a.episodeCount === undefined) t.notSame(trace(a, 7, () => 0), trace(a, 8, () => 0), 'another seed, another path');
    if (a.episodeSession) {
      // A market that knows its sessions names one for every episode (the evaluation's clusters).
      t.ok(a.episodeCount !== undefined, 'sessions only for a finite episode set');
      for (let e = 0; e < (a.episodeCount ?? 0); e++) t.ok(a.episodeSession(e).length > 0, `episode ${e} has a session`);
    }
    // The market's own volumes (exogenous) do not depend on what we trade.
    const vols = (m: Market, trade: number) => trace(m, 3, () => trade).filter((_, i) => i % 4 === 3);
    t.same(vols(a, 0), vols(b, 100), 'exogenous volumes independent of the slices');

    for (const side of ['sell', 'buy'] as const) {
      const env = new ExecutionEnv(make(), { side, lotSize: 1 });
      const proposals = [NaN, -5, 1e12, 0.3];
      let i = 0;
      const result = runEpisode(env, 11, (view) => {
        t.equal(view.order.step, i, 'view carries step k');
        return proposals[i++ % proposals.length] * (i === 3 ? env.quantity : 1);
      });
      t.equal(result.inventory[0], env.quantity);
      t.equal(result.inventory[result.inventory.length - 1], 0, `${side}: everything executed by the horizon`);
      for (let k = 1; k < result.inventory.length; k++) t.ok(result.inventory[k] <= result.inventory[k - 1], 'never trades against the side');
      t.ok(Number.isFinite(result.shortfallBps));
    }
  });
}
