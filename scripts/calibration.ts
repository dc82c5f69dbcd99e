/**
 * The simulators beside the recorded markets: the same statistics (src/core/calibration-stats.ts) on each recorded
 * set of ../shared/data/real and on episodes of `generalist`, `intraday` and `regime-liquidity`, as a markdown table
 * (docs/SCENARIOS.md, "Calibration against recorded markets"). A set that is not on disk is skipped, with the reason.
 * Every figure is a property of the data and the seed, not of the machine.
 *
 *   npm run calibration [-- --data DIR --episodes 500 --seed 1 --write]
 *
 * --write replaces the generated part of that section in docs/SCENARIOS.md (between its two markers).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lobsterToBars } from '../src/core/bars/lobster-bars.js';
import { sessionId, type BarSession } from '../src/core/bars/session.js';
import { recordedSteps, simulatedSeries, withRecordedProfiles, type ClockWindow, type RecordedSteps } from '../src/core/calibration-series.js';
import { calibrate, type Calibration, type Shape, type StepSeries } from '../src/core/calibration-stats.js';
import { GENERALIST_RANGES } from '../src/core/scenarios/generalist-sampler.js';
import { createScenario, type ScenarioName } from '../src/core/scenarios/index.js';
import { INTRADAY_DEFAULTS } from '../src/core/scenarios/intraday.js';
import { REGIME_LIQUIDITY_DEFAULTS } from '../src/core/scenarios/regime-liquidity.js';
import { expandPaths, loadLeanSession } from '../src/io/market-data.js';
import { loadLobsterZip } from '../src/io/lobster-files.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, episodes: { type: 'string' }, seed: { type: 'string' }, write: { type: 'boolean' } },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = values.data ?? join(root, '../shared/data/real');
const episodes = Number(values.episodes ?? 500);
const seed = Number(values.seed ?? 1);
if (!(Number.isInteger(episodes) && episodes > 0)) throw new RangeError('--episodes must be a positive integer');
if (!Number.isInteger(seed)) throw new RangeError('--seed must be an integer');

const hours = (h: number, m = 0): number => h * 3600 + m * 60;

interface RecordedSet {
  readonly name: string;
  readonly step: string;
  /** Under the data folder. */
  readonly path: string;
  /** On the files' own clock; absent: the session's own trading hours (LEAN's, moved to the files' clock). */
  readonly window?: ClockWindow;
  readonly load: (path: string) => Promise<{ sessions: BarSession[]; skipped: string[] }>;
}

/** LEAN quote + trade zip pairs under a folder, one session per pair; a zip without its partner is skipped. */
async function leanSessions(path: string): Promise<{ sessions: BarSession[]; skipped: string[] }> {
  const pairs = new Map<string, { quote?: string; trade?: string }>();
  for (const file of await expandPaths([path])) {
    const m = /^(\d{8})_(quote|trade)\.zip$/.exec(basename(file));
    if (!m) continue;
    const key = join(dirname(file), m[1]);
    pairs.set(key, { ...pairs.get(key), [m[2]]: file });
  }
  const sessions: BarSession[] = [];
  const skipped: string[] = [];
  for (const [key, pair] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
    if (pair.quote && pair.trade) sessions.push(await loadLeanSession(pair.quote, pair.trade));
    else skipped.push(`${basename(dirname(key)).toUpperCase()} ${basename(key)}: only a ${pair.quote ? 'quote' : 'trade'} zip`);
  }
  return { sessions, skipped };
}

/** The level-1 LOBSTER books (the touch is all these statistics read) as bars of `barSeconds`. */
function lobsterSessions(barSeconds: number): RecordedSet['load'] {
  return async (path) => {
    const zips = (await expandPaths([path])).filter((f) => /_1\.zip$/.test(f));
    return { sessions: await Promise.all(zips.map(async (z) => lobsterToBars(await loadLobsterZip(z), barSeconds))), skipped: [] };
  };
}

// LEAN sets take each session's trading hours from the reader (futures' New York hours on the files' UTC clock).
const RECORDED: readonly RecordedSet[] = [
  { name: 'ES 1 min', step: '1 min', path: 'lean_algoseek_2013/Data/future/cme/minute/es', load: leanSessions },
  { name: 'GC 1 min', step: '1 min', path: 'lean_algoseek_2013/Data/future/comex/minute/gc', load: leanSessions },
  { name: 'US equities 1 min', step: '1 min', path: 'lean_algoseek_2013/Data/equity/usa/minute', load: leanSessions },
  { name: 'US equities 1 s', step: '1 s', path: 'lean_algoseek_2013/Data/equity/usa/second', load: leanSessions },
  { name: 'LOBSTER 1 min', step: '1 min', path: 'lobster_2012-06-21', window: { start: hours(9, 30), end: hours(16) }, load: lobsterSessions(60) },
  { name: 'LOBSTER 1 s', step: '1 s', path: 'lobster_2012-06-21', window: { start: hours(9, 30), end: hours(16) }, load: lobsterSessions(1) },
];

interface Column {
  readonly name: string;
  readonly step: string;
  readonly result: Calibration | string;
  readonly notes: string[];
}

async function recordedColumn(set: RecordedSet): Promise<Column> {
  const path = join(dataDir, set.path);
  if (!existsSync(path)) return { name: set.name, step: set.step, result: `skipped: no data at ${path}`, notes: [] };
  const { sessions, skipped } = await set.load(path);
  const notes = [...skipped];
  const steps: RecordedSteps[] = [];
  const names: string[] = [];
  for (const s of sessions) {
    const cut = recordedSteps(s, set.window ?? { start: s.tradingStart, end: s.tradingEnd });
    if (typeof cut === 'string') notes.push(`${sessionId(s)}: ${cut}`);
    else {
      steps.push(cut);
      names.push(sessionId(s));
    }
  }
  if (steps.length === 0) return { name: set.name, step: set.step, result: 'skipped: no session covers the window', notes };
  notes.unshift(`${names.length} sessions: ${summariseSessions(names)}`);
  return { name: set.name, step: set.step, result: calibrate(withRecordedProfiles(steps)), notes };
}

/** `AIG, BAC; 4 dates 2013-10-04 .. 2013-10-09`: the instruments, then the dates. */
function summariseSessions(ids: readonly string[]): string {
  const instruments = [...new Set(ids.map((id) => id.split(' ')[0]))].sort();
  const dates = [...new Set(ids.map((id) => id.split(' ')[1]))].sort();
  return `${instruments.join(', ')}; ${dates.length === 1 ? dates[0] : `${dates.length} dates ${dates[0]} .. ${dates[dates.length - 1]}`}`;
}

function simulatedColumn(name: ScenarioName, step: string): Column {
  const market = createScenario(name, {});
  const series: StepSeries[] = [];
  for (let e = 0; e < episodes; e++) series.push(simulatedSeries(market, seed + e));
  return { name: `${name} (sim)`, step, result: calibrate(series), notes: [`${episodes} episodes, seeds ${seed}..${seed + episodes - 1}, ${name === 'generalist' ? 'drawn over its default ranges' : 'default parameters'}`] };
}

const columns: Column[] = [];
for (const set of RECORDED) columns.push(await recordedColumn(set));
const G = GENERALIST_RANGES;
columns.push(simulatedColumn('generalist', `step (T ${G.horizonMin}-${G.horizonMax})`));
columns.push(simulatedColumn('intraday', `${390 / INTRADAY_DEFAULTS.horizon} min (T ${INTRADAY_DEFAULTS.horizon})`));
columns.push(simulatedColumn('regime-liquidity', `step (T ${REGIME_LIQUIDITY_DEFAULTS.horizon})`));

const fixed = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const shape = (s: Shape, digits = 2): string => `${fixed(s.open, digits)} / ${fixed(s.close, digits)}`;
const ROWS: ReadonlyArray<readonly [string, (c: Calibration) => string]> = [
  ['sessions x median steps', (c) => `${c.sessions} x ${c.steps}`],
  ['quoted spread, median (bps of mid)', (c) => fixed(c.spreadBps, 2)],
  ['spread open / close vs midday', (c) => shape(c.spreadShape)],
  ['volume open / close vs midday (U shape)', (c) => shape(c.volumeShape)],
  ['steps with no volume', (c) => `${fixed(100 * c.zeroVolumeShare, 1)}%`],
  ['lag-1 autocorrelation of log volume, profile removed', (c) => fixed(c.volumeAutocorrelation, 2)],
  ['volatility per step, median (bps)', (c) => fixed(c.volatilityBps, 2)],
  ['volatility open / close vs midday', (c) => shape(c.volatilityShape)],
  ['corr(touch imbalance, next step mid return)', (c) => (c.sessionsWithSizes > 0 ? fixed(c.imbalanceCorrelation, 3) : 'n/a (no sizes)')],
];

const cell = (c: Column, row: (typeof ROWS)[number]): string => (typeof c.result === 'string' ? '' : row[1](c.result));
const table = [
  `| statistic | ${columns.map((c) => c.name).join(' | ')} |`,
  `|---|${columns.map(() => '---:|').join('')}`,
  `| step | ${columns.map((c) => (typeof c.result === 'string' ? 'skipped' : c.step)).join(' | ')} |`,
  ...ROWS.map((row) => `| ${row[0]} | ${columns.map((c) => cell(c, row)).join(' | ')} |`),
].join('\n');
const notes = columns.flatMap((c) => [...(typeof c.result === 'string' ? [c.result] : []), ...c.notes].map((n) => `${c.name}: ${n}`));
const block = [
  `Measured by \`npm run calibration\` on ${new Date().toISOString().slice(0, 10)} (episodes ${episodes}, seed ${seed}).`,
  '',
  table,
  '',
  ...notes.map((n) => `- ${n}`),
].join('\n');
process.stdout.write(`${block}\n`);

if (values.write) {
  const doc = join(root, 'docs/SCENARIOS.md');
  const BEGIN = '<!-- calibration:begin (npm run calibration -- --write) -->';
  const END = '<!-- calibration:end -->';
  const text = await readFile(doc, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${doc}: no ${BEGIN} ... ${END} block to replace`);
  await writeFile(doc, `${text.slice(0, a + BEGIN.length)}\n${block}\n${text.slice(b)}`);
  process.stdout.write(`written into ${doc}\n`);
}
