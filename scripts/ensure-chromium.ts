/**
 * Usage: node --import tsx scripts/ensure-chromium.ts   (run by `npm test` before tap)
 * The browser test of the evaluation report (test/reports/) drives Debian's Chromium through playwright-core; this
 * installs it with apt-get when /usr/bin/chromium is missing. It never fails the test run: when it cannot install
 * (not root, no apt-get, apt fails) it says why and exits 0, and the browser test then skips itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

function say(message: string): void {
  process.stdout.write(`ensure-chromium: ${message}\n`);
}

function run(command: string, args: readonly string[]): boolean {
  say(`running: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error) {
    say(`${command} could not start: ${r.error.message}`);
    return false;
  }
  if (r.status !== 0) {
    say(`${command} exited with ${r.status ?? `signal ${r.signal}`}`);
    return false;
  }
  return true;
}

function skip(why: string): void {
  say(`${why}; the browser test (test/reports/evaluation-report.test.ts) will skip itself.`);
  say(`to run it, install Chromium as root: apt-get update && apt-get install -y chromium`);
}

function main(): void {
  if (existsSync(CHROMIUM_PATH)) {
    say(`${CHROMIUM_PATH} present, nothing to do`);
    return;
  }
  say(`${CHROMIUM_PATH} missing; installing the Debian package "chromium"`);
  if (process.platform !== 'linux') return skip(`not Linux (${process.platform}), cannot apt-get install`);
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return skip('not running as root');
  if (!run('apt-get', ['update'])) return skip('apt-get update failed');
  if (!run('apt-get', ['install', '-y', 'chromium'])) return skip('apt-get install chromium failed');
  if (!existsSync(CHROMIUM_PATH)) return skip(`apt-get succeeded but ${CHROMIUM_PATH} is still missing`);
  say(`installed ${CHROMIUM_PATH}`);
}

try {
  main();
} catch (err) {
  skip(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
process.exitCode = 0;
