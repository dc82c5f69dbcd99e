#!/usr/bin/env node
/**
 * Compiles src/ to dist/ with tsc and copies the non-TypeScript assets the app loads beside its modules
 * (the serving kernel's .wasm). Plain JavaScript so it runs before anything is compiled.
 *
 *   node scripts/build.mjs            always rebuild (dist/ is emptied first, so deleted sources leave nothing behind)
 *   node scripts/build.mjs --if-stale rebuild only when dist/ is missing or older than a source (`npm start` runs this)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
/** Written last: its time is the build's, and its absence means the last build did not finish. */
const stamp = path.join(dist, '.build-stamp');
/** Files beside the sources that the compiled modules read at run time. */
const ASSET = /\.wasm$/;
/** Inputs besides src/ whose change makes the build stale. */
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => path.join(root, f));

/** A failure the build reports in one line (the lock is released on the way out). */
class BuildError extends Error {}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

function newestInput() {
  let newest = 0;
  for (const f of [...files(src), ...CONFIGS.filter((c) => existsSync(c))]) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

function isStale() {
  let built;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {
    return 'dist/ is missing or incomplete';
  }
  return newestInput() > built ? 'a source is newer than dist/' : undefined;
}

/**
 * One build at a time: two commands started together (two trainings, a worker and the server) would otherwise
 * empty dist/ under each other. The lock is a directory (mkdir is atomic); one older than LOCK_STALE_MS belongs
 * to a build that died and is taken over.
 */
const lock = path.join(root, '.build-lock');
const LOCK_WAIT_MS = 300_000;
const LOCK_STALE_MS = 600_000;

function withBuildLock(fn) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile: try again
      }
      if (Date.now() > deadline) throw new BuildError(`another build has held ${lock} for ${LOCK_WAIT_MS / 1000} s; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    throw new BuildError('TypeScript is not installed (a production-only install cannot build): run `npm ci` first');
  }
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new BuildError(`tsc failed (exit ${r.status})`);
  let assets = 0;
  for (const f of files(src)) {
    if (!ASSET.test(f)) continue;
    cpSync(f, path.join(dist, path.relative(src, f)));
    assets++;
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`build: dist/ written (${assets} asset${assets === 1 ? '' : 's'}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

try {
  main();
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  process.stderr.write(`build: ${e.message}\n`);
  process.exit(1);
}

function main() {
  if (process.argv.includes('--if-stale')) {
    if (isStale()) {
      withBuildLock(() => {
        // Checked again under the lock: a build that finished while this one waited leaves nothing to do.
        const why = isStale();
        if (!why) return;
        process.stderr.write(`build: ${why}, compiling\n`);
        build();
      });
    }
  } else {
    withBuildLock(build);
  }
}
