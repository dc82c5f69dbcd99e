#!/usr/bin/env node
/**
 * Compiles src/ to dist/ with tsc and copies the non-TypeScript assets the app loads beside its modules
 * (the serving kernel's .wasm). Plain JavaScript so it runs before anything is compiled.
 *
 *   node scripts/build.mjs            always rebuild (dist/ is emptied first, so deleted sources leave nothing behind)
 *   node scripts/build.mjs --if-stale rebuild only when dist/ is missing or older than a source (`npm start` runs this)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(stamp)) return 'dist/ is missing or incomplete';
  return newestInput() > statSync(stamp).mtimeMs ? 'a source is newer than dist/' : undefined;
}

function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('build: TypeScript is not installed (a production-only install cannot build): run `npm ci` first\n');
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  let assets = 0;
  for (const f of files(src)) {
    if (!ASSET.test(f)) continue;
    cpSync(f, path.join(dist, path.relative(src, f)));
    assets++;
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`build: dist/ written (${assets} asset${assets === 1 ? '' : 's'}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv.includes('--if-stale')) {
  const why = isStale();
  if (why) {
    process.stderr.write(`build: ${why}, compiling\n`);
    build();
  }
} else {
  build();
}
