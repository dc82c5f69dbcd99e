/**
 * What the optional tests need from the machine, and why they skip without it: one place, read by the tests
 * themselves and by `npm test`'s opening summary (scripts/test-environment.ts), so both say the same thing.
 * .ci/run provides everything (it installs Chromium and starts PostgreSQL), so CI skips nothing.
 */
import { existsSync } from 'node:fs';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** false when the browser tests can run; else why they skip. */
export function browserSkip(): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `browser test skipped: ${CHROMIUM} not found (install it with "apt-get install -y chromium", or run .ci/run as root)`;
}

/** false when the PostgreSQL tests are asked to run; else why they skip. An unreachable database is a failure. */
export function databaseSkip(env: NodeJS.ProcessEnv = process.env): string | false {
  return env.TEST_DATABASE_URL
    ? false
    : 'PostgreSQL tests skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test; .ci/run starts the local server and sets it)';
}
