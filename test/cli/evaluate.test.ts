import t from 'tap';
import { spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

t.test('an unknown --param name fails, listing the valid ones (no silent default)', async (t) => {
  const run = cli('--scenario', 'almgren-chriss', '--episodes', '5', '--param', 'T=390');
  t.equal(run.status, 2);
  t.match(run.stderr, /unknown parameter "T"; valid: quantity, horizon,/);
  t.equal(run.stdout, '');
  const sides = cli('--scenario', 'almgren-chriss', '--episodes', '5', '--sides', 'short');
  t.equal(sides.status, 2);
  t.match(sides.stderr, /--sides must be one of sell, buy, both/);
});

t.test('--sides both --json: every statistic per policy, per side, with episodes and sessions', async (t) => {
  const run = cli('--scenario', 'almgren-chriss', '--episodes', '40', '--policies', 'twap,almgren-chriss:1e-4,pov', '--sides', 'both', '--param', 'mu=-0.02', '--json');
  t.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  t.match(out, { scenario: 'almgren-chriss', side: 'both', episodes: 40, sessions: 40, seed: 9_000_000 });
  for (const view of [out, out.bySide.sell, out.bySide.buy]) {
    for (const name of ['twap', 'almgren-chriss:1e-4', 'pov']) {
      const s = view.policies[name];
      t.same(Object.keys(s), ['meanBps', 'medianBps', 'stdBps', 'var95Bps', 'vsTwap']);
      t.same(Object.keys(s.vsTwap).sort(), ['ci95', 'gainLossRatio', 'meanDiffBps', 'pValue', 'pValueHolm', 'tStat', 'winRate']);
      t.equal(s.vsTwap.ci95.length, 2);
      t.ok(s.vsTwap.ci95[0] <= s.vsTwap.meanDiffBps && s.vsTwap.meanDiffBps <= s.vsTwap.ci95[1]);
    }
  }
  const both = out.policies['almgren-chriss:1e-4'].vsTwap.meanDiffBps;
  const sell = out.bySide.sell.policies['almgren-chriss:1e-4'].vsTwap.meanDiffBps;
  const buy = out.bySide.buy.policies['almgren-chriss:1e-4'].vsTwap.meanDiffBps;
  t.ok(Math.abs(both - (sell + buy) / 2) < 1e-9, 'drift-neutral = mean of the sides');
  t.ok(sell > buy, 'a falling market favours the front-loaded sell');
});
