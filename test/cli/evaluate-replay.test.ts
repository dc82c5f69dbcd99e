import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', ...args], { cwd: root, encoding: 'utf8' });

t.test('evaluate --scenario replay over a canonical bars CSV folder', async (t) => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/evaluate.ts', '--scenario', 'replay', '--data', 'test/fixtures/market-data/canonical', '--param', 'horizon=2', '--param', 'participation=0.05', '--policies', 'twap,vwap,pov:0.1', '--json'],
    { cwd: root, encoding: 'utf8' },
  );
  const json = JSON.parse(out) as { policies: Record<string, { meanBps: number }>; split: { testSessions: string[] } };
  t.same(Object.keys(json.policies), ['twap', 'vwap', 'pov:0.1']);
  t.ok(Object.values(json.policies).every((p) => Number.isFinite(p.meanBps)));
  t.same(json.split.testSessions, ['TEST 2024-01-03'], 'the first session is history (too short for a warm-up)');
  const bad = run(['--scenario', 'replay', '--data', 'test/fixtures/market-data/malformed/CROSSED_2024-01-02.csv']);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /CROSSED_2024-01-02\.csv:3: crossed quote/);
  const unknown = run(['--scenario', 'replay', '--data', 'test/fixtures/market-data/canonical', '--param', 'T=390']);
  t.equal(unknown.status, 2);
  t.match(unknown.stderr, /unknown parameter "T"; valid: horizon, stepSeconds/);
});
