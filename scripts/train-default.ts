/**
 * The recipe of the shipped `default` model: the generalist, trained with two seeds at once (one per core), and
 * the seed whose checkpoint scored better on its validation episodes is kept. Each run's validation score is the
 * mean paired difference to TWAP on 400 held-out validation episodes of the whole training distribution, in units
 * of each episode's cost scale (negative = cheaper than TWAP); no evaluation seed is ever used to choose.
 *
 *   npm run train:default                       # writes models/default (refuses a non-empty one without --force)
 *   npm run train:default -- --out /tmp/cand --force --seeds 1,2,3
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { outDirProblem } from '../src/cli/out-dir.js';

/** The flags of the recipe (docs/MODEL.md, "default"). */
const DEFAULT_RECIPE = [
  '--scenario', 'generalist',
  '--episodes', '6000',
  '--train-every', '2',
  '--eval-every', '250',
  '--eval-episodes', '400',
  '--reward-normalization', 'episode-cost',
  '--huber-delta', '2',
  '--clip-at-bound',
  '--shaping', 'mark-to-model',
  '--anchor-source', 'demonstration',
  '--anchor-margin', '1',
  '--anchor-weight', '1',
  '--lr-end', '1e-4',
  '--test-episodes', '0',
];

const { values } = parseArgs({
  options: { out: { type: 'string' }, force: { type: 'boolean' }, seeds: { type: 'string' } },
});
const out = values.out ?? 'models/default';
const seeds = (values.seeds ?? '1,2').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds must be integers, got "${values.seeds}"`);
const problem = outDirProblem(out, values.force === true);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'train-default-'));
const started = performance.now();
const runs = await Promise.all(
  seeds.map(
    (seed) =>
      new Promise<{ seed: number; dir: string; validation: number }>((resolve, reject) => {
        const dir = join(work, `seed-${seed}`);
        const child = spawn(process.execPath, ['dist/cli/train.js', ...DEFAULT_RECIPE, '--seed', String(seed), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) => {
          if (code !== 0) return reject(new Error(`seed ${seed}: training exited with ${code}`));
          const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { training: { bestValidationShortfallBps: number } };
          resolve({ seed, dir, validation: meta.training.bestValidationShortfallBps });
        });
      }),
  ),
);
const best = runs.reduce((a, b) => (b.validation < a.validation ? b : a));
for (const r of runs) process.stdout.write(`seed ${r.seed}: validation ${r.validation.toFixed(4)} (cost-scale units vs TWAP)${r === best ? '  <- kept' : ''}\n`);
rmSync(out, { recursive: true, force: true });
cpSync(best.dir, out, { recursive: true });
rmSync(work, { recursive: true, force: true });
process.stdout.write(`wrote ${out} (seed ${best.seed}) in ${((performance.now() - started) / 60_000).toFixed(1)} min wall, ${seeds.length} seeds in parallel\n`);
