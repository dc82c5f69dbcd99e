/**
 * Usage: node --import tsx scripts/test-environment.ts   (run by `npm test` before tap)
 * Says up front which optional tests this machine will run and which it will skip, and why. It installs nothing
 * (.ci/run does) and never fails: a skipped test is reported, not an error.
 */
import { browserSkip, CHROMIUM, databaseSkip } from '../test/environment.js';

const browser = browserSkip();
const database = databaseSkip();
const lines = [
  browser || `browser tests: run (${CHROMIUM})`,
  database || 'PostgreSQL tests: run (TEST_DATABASE_URL)',
];
process.stdout.write(lines.map((l) => `test environment: ${l}\n`).join(''));
