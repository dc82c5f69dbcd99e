/** `npm run train` never overwrites a model folder without --force, and its folder name must be a model name. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { outDirProblem } from '../../src/cli/out-dir.js';

t.test('an existing model folder is refused without --force', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ess-cli-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const existing = join(root, 'regime-liquidity');
  mkdirSync(existing);
  writeFileSync(join(existing, 'metadata.json'), '{"shipped": true}');
  t.match(outDirProblem(existing, false), /exists and is not empty.*--force/);
  t.equal(outDirProblem(existing, true), undefined);
  t.equal(outDirProblem(join(root, 'new-model'), false), undefined);
  t.match(outDirProblem(join(root, '.hidden'), true), /model name/);

  // The CLI itself: without --out it would write models/<scenario>; here --out names the existing folder.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--scenario', 'regime-liquidity', '--episodes', '1', '--out', existing], {
    cwd: new URL('../..', import.meta.url).pathname,
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.not(run.status, 0, 'exits with an error');
  t.match(run.stderr, /refusing to overwrite/);
  t.equal(readFileSync(join(existing, 'metadata.json'), 'utf8'), '{"shipped": true}', 'the folder is untouched');
});
