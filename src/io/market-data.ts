/**
 * Reads market sessions from disk for the `replay` scenario: files, folders (searched recursively) and globs;
 * canonical bars CSVs, LEAN `YYYYMMDD_{quote,trade}.zip` pairs, LOBSTER zips or message/orderbook CSV pairs.
 * Every file yields an instrument and a session date. The parsing itself is pure (src/core/bars).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { glob } from 'glob';
import yauzl from 'yauzl';
import { zipEntries } from './zip.js';
import { parseCanonicalCsv } from '../core/bars/canonical-csv.js';
import { leanTradeVolume, leanTradingHours, parseLeanSession, type CsvText } from '../core/bars/lean.js';
import { lobsterToBars } from '../core/bars/lobster-bars.js';
import { MarketDataError, sessionId, type BarSession } from '../core/bars/session.js';
import { loadLobsterFiles } from './lobster-files.js';

const LEAN_RE = /^(\d{4})(\d{2})(\d{2})_(quote|trade|openinterest)\.zip$/;
const LOBSTER_CSV_RE = /_(message|orderbook)_\d+\.csv$/;

/** Expands files, folders and globs to a sorted list of files. @throws Error naming a path that matches nothing. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    if (/[*?[{]/.test(p)) {
      const matches = await glob(p, { nodir: true });
      if (matches.length === 0) throw new Error(`${p}: the pattern matches no file`);
      for (const m of matches) out.add(m);
      continue;
    }
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new Error(`${p}: no such file or folder`);
    if (info.isDirectory()) {
      const entries = await readdir(p, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        if (e.isFile() && /\.(zip|csv)$/i.test(e.name)) out.add(join(e.parentPath ?? e.path, e.name));
      }
    } else out.add(p);
  }
  return [...out].sort();
}

/** Reads every member of a zip as text. */
async function zipMembers(zipPath: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    const entries = await zipEntries(zip);
    const members = new Map<string, string>();
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(e)) chunks.push(chunk as Buffer);
      members.set(e.fileName, Buffer.concat(chunks).toString('utf8'));
    }
    return members;
  } finally {
    zip.close();
  }
}

interface LeanPath {
  readonly securityType: string;
  readonly market: string;
  readonly resolution: string;
  readonly ticker: string;
  readonly date: string;
}

function leanPath(file: string): LeanPath | undefined {
  const m = LEAN_RE.exec(basename(file));
  if (!m) return undefined;
  const parts = dirname(file).split(sep);
  const [securityType, market, resolution, ticker] = parts.slice(-4);
  return { securityType, market, resolution, ticker, date: `${m[1]}-${m[2]}-${m[3]}` };
}

const RESOLUTION_SECONDS: Record<string, number> = { second: 1, minute: 60 };

/** One LEAN session from its quote and trade zips; futures take the expiry that traded most that day. */
export async function loadLeanSession(quoteZip: string, tradeZip: string): Promise<BarSession> {
  const where = leanPath(quoteZip);
  if (!where) throw new MarketDataError(quoteZip, 0, 'not a LEAN YYYYMMDD_quote.zip');
  const barSeconds = RESOLUTION_SECONDS[where.resolution];
  if (!barSeconds) throw new MarketDataError(quoteZip, 0, `the folder must be .../minute/<ticker>/ or .../second/<ticker>/, got ${where.resolution}`);
  const future = where.securityType === 'future';
  if (!future && where.securityType !== 'equity') throw new MarketDataError(quoteZip, 0, `security type must be equity or future, got ${where.securityType}`);
  const [quotes, trades] = await Promise.all([zipMembers(quoteZip), zipMembers(tradeZip)]);
  const csv = (members: Map<string, string>, zip: string, kind: string): [string, string][] => {
    const found = [...members].filter(([name]) => name.toLowerCase().endsWith('.csv') && name.toLowerCase().includes(`_${kind}`));
    if (found.length === 0) throw new MarketDataError(zip, 0, `the zip holds no *_${kind}*.csv member (members: ${[...members.keys()].join(', ') || 'none'})`);
    return found;
  };
  const tradeCsvs = csv(trades, tradeZip, 'trade');
  const quoteCsvs = csv(quotes, quoteZip, 'quote');
  let trade = tradeCsvs[0];
  if (future) {
    // Front expiry = the member that traded most (each member is one expiry, `..._trade_YYYYMM.csv`).
    let best = -1;
    for (const t of tradeCsvs) {
      const v = leanTradeVolume({ file: `${tradeZip}!${t[0]}`, text: t[1] });
      if (v > best) [best, trade] = [v, t];
    }
  } else if (tradeCsvs.length !== 1) {
    throw new MarketDataError(tradeZip, 0, `an equity zip holds one CSV, found ${tradeCsvs.length}`);
  }
  const quoteName = trade[0].replace('_trade', '_quote');
  const quote = future ? quoteCsvs.find(([name]) => name === quoteName) : quoteCsvs[0];
  if (!quote) throw new MarketDataError(quoteZip, 0, `the zip holds no ${quoteName} (the front expiry's quotes)`);
  const hours = leanTradingHours(where.market, where.date);
  const text = (zip: string, [name, body]: [string, string]): CsvText => ({ file: `${zip}!${name}`, text: body });
  return parseLeanSession(
    {
      instrument: where.ticker.toUpperCase(),
      date: where.date,
      barSeconds,
      priceDivisor: future ? 1 : 10_000,
      tradingStart: hours?.start,
      tradingEnd: hours?.end,
      source: `${quoteZip.replace(/_quote\.zip$/, '')}`,
      dropCrossed: true,
    },
    text(quoteZip, quote),
    text(tradeZip, trade),
  );
}

export interface LoadOptions {
  /** Bar length LOBSTER books are aggregated to (seconds). */
  readonly lobsterBarSeconds?: number;
}

/**
 * Every session the paths hold, sorted by instrument then date.
 * @throws MarketDataError / Error naming the file: unknown file kinds, a LEAN quote zip without its trade zip,
 * two files for one instrument and date, and any malformed content.
 */
export async function loadMarketSessions(paths: readonly string[], options: LoadOptions = {}): Promise<BarSession[]> {
  const files = await expandPaths(paths);
  const sessions: BarSession[] = [];
  const lobster: string[] = [];
  const lean = new Map<string, { quote?: string; trade?: string }>();
  for (const f of files) {
    const name = basename(f);
    const l = LEAN_RE.exec(name);
    if (l) {
      if (l[4] === 'openinterest') continue;
      const key = join(dirname(f), `${l[1]}${l[2]}${l[3]}`);
      const pair = lean.get(key) ?? {};
      pair[l[4] as 'quote' | 'trade'] = f;
      lean.set(key, pair);
    } else if (/\.zip$/i.test(name) || LOBSTER_CSV_RE.test(name)) {
      lobster.push(f);
    } else if (/\.csv$/i.test(name)) {
      sessions.push(parseCanonicalCsv(f, await readFile(f, 'utf8')));
    } else {
      throw new Error(`${f}: give bars CSVs, LEAN YYYYMMDD_quote/trade zips or LOBSTER files`);
    }
  }
  for (const [key, pair] of lean) {
    if (!pair.quote || !pair.trade) throw new Error(`${pair.quote ?? pair.trade}: no matching ${pair.quote ? 'trade' : 'quote'} zip beside it (${key}_${pair.quote ? 'trade' : 'quote'}.zip); leave the file out, e.g. with a glob`);
    sessions.push(await loadLeanSession(pair.quote, pair.trade));
  }
  if (lobster.length > 0) {
    for (const day of await loadLobsterFiles(lobster)) sessions.push(lobsterToBars(day, options.lobsterBarSeconds ?? 1));
  }
  const seen = new Map<string, string>();
  for (const s of sessions) {
    const id = `${sessionId(s)} ${s.barSeconds}s`;
    const other = seen.get(id);
    if (other) throw new Error(`${s.source}: session ${sessionId(s)} (${s.barSeconds} s bars) is also in ${other}; give each session once`);
    seen.set(id, s.source);
  }
  return sessions.sort((a, b) => (a.instrument === b.instrument ? a.date.localeCompare(b.date) : a.instrument.localeCompare(b.instrument)));
}
