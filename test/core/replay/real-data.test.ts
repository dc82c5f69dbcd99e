import t from 'tap';
import { existsSync } from 'node:fs';
import { ExecutionEnv } from '../../../src/core/environment.js';
import { evaluate } from '../../../src/core/evaluation.js';
import { policyFromName } from '../../../src/core/evaluation-policies.js';
import { ReplayMarket } from '../../../src/core/scenarios/replay.js';
import { loadMarketSessions } from '../../../src/io/market-data.js';

// The shared files are read in place beside the checkout, never copied into the repo.
const ES = new URL('../../../../shared/data/real/lean_algoseek_2013/Data/future/cme/minute/es', import.meta.url).pathname;

t.test('ES replay: a larger participation costs TWAP more, on either side', { skip: existsSync(ES) ? false : `no shared data at ${ES}` }, async (t) => {
  const sessions = await loadMarketSessions([ES]);
  for (const side of ['sell', 'buy'] as const) {
    const cost = (participation: number) => {
      const createEnv = () => new ExecutionEnv(new ReplayMarket({ sessions, horizon: 30, stepSeconds: 60, participation }), { side });
      return evaluate({ createEnv, policies: [policyFromName('twap', createEnv().market)], episodes: 1 }).policies.twap.meanBps;
    };
    const [a, b, c] = [cost(0.01), cost(0.05), cost(0.2)];
    t.ok(a < b && b < c, `${side}: TWAP ${a.toFixed(2)} < ${b.toFixed(2)} < ${c.toFixed(2)} bps at 1%, 5%, 20%`);
  }
  const market = new ReplayMarket({ sessions, horizon: 30, stepSeconds: 60, participation: 0.05 });
  const days = new Set(market.episodes.map((_, e) => market.episodeSession(e)));
  t.same([...days], ['ES 2013-10-07', 'ES 2013-10-08', 'ES 2013-10-09', 'ES 2013-10-10', 'ES 2013-10-11', 'ES 2013-10-14', 'ES 2013-10-29', 'ES 2013-10-30'], 'the Sunday evening has no day session');
  const starts = market.episodes.map((e) => e.start);
  // LEAN stamps futures in UTC: the day session 09:30-16:15 New York is 13:30-20:15 UTC in October 2013.
  t.ok(Math.min(...starts) >= 13.5 * 3600 && Math.max(...starts) + 1800 <= 20.25 * 3600, 'episodes inside the US day session, on the files\' UTC clock');
});
