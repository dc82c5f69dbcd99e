/**
 * The canonical bars CSV (docs/MARKET-DATA.md): a header, columns time,bid,ask,bid_size,ask_size,volume and
 * optionally vwap, one row per bar, `time` the bar's END as ISO-8601 with a UTC offset, one instrument and one
 * session per file. The instrument is the file name up to its first `_` (`ES_2013-10-07.csv` is ES).
 */
import { basename } from 'node:path';
import { buildSession, MarketDataError, type BarSession, type RawBar } from './session.js';

export const CANONICAL_COLUMNS = ['time', 'bid', 'ask', 'bid_size', 'ask_size', 'volume'] as const;
const OPTIONAL = ['vwap'] as const;
const TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/;

export function instrumentOfFile(file: string): string {
  const name = basename(file).replace(/\.csv$/i, '');
  const head = name.split('_')[0];
  return head === '' ? name : head;
}

/** @throws MarketDataError naming the file and line of the first problem. */
export function parseCanonicalCsv(file: string, text: string): BarSession {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').trim();
  const names = header.split(',').map((h) => h.trim().toLowerCase());
  const missing = CANONICAL_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(CANONICAL_COLUMNS as readonly string[]).includes(n) && !(OPTIONAL as readonly string[]).includes(n));
  if (missing.length > 0 || unknown.length > 0 || new Set(names).size !== names.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.join(', ')}` : '',
      new Set(names).size !== names.length ? 'a column is repeated' : '',
    ].filter(Boolean);
    throw new MarketDataError(file, 1, `header must name the columns ${CANONICAL_COLUMNS.join(',')}[,vwap]: ${parts.join('; ')}`);
  }
  const col = (name: string) => names.indexOf(name);
  const [iTime, iBid, iAsk, iBidSize, iAskSize, iVolume, iVwap] = [...CANONICAL_COLUMNS, 'vwap'].map(col);
  const raw: RawBar[] = [];
  let date = '';
  let offset = '';
  for (let n = 1; n < lines.length; n++) {
    const line = n + 1;
    const row = lines[n].replace(/\r$/, '');
    if (row.trim() === '') continue;
    const f = row.split(',');
    if (f.length !== names.length) throw new MarketDataError(file, line, `expected ${names.length} fields, got ${f.length}`);
    const m = TIME_RE.exec(f[iTime].trim());
    if (!m) throw new MarketDataError(file, line, `time "${f[iTime]}" is not ISO-8601 with a UTC offset (e.g. 2014-03-10T10:11:00+11:00)`);
    if (date === '') [date, offset] = [m[1], m[5]];
    if (m[1] !== date) throw new MarketDataError(file, line, `date ${m[1]} differs from the file's session ${date} (one session per file)`);
    if (m[5] !== offset) throw new MarketDataError(file, line, `UTC offset ${m[5]} differs from the file's ${offset}`);
    const num = (i: number, name: string) => {
      const s = f[i].trim();
      const v = Number(s);
      if (s === '' || !Number.isFinite(v)) throw new MarketDataError(file, line, `${name} "${f[i]}" is not a number`);
      return v;
    };
    const volume = num(iVolume, 'volume');
    const bid = num(iBid, 'bid');
    const ask = num(iAsk, 'ask');
    const vwap = iVwap >= 0 && f[iVwap].trim() !== '' ? num(iVwap, 'vwap') : (bid + ask) / 2;
    raw.push({
      end: Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]),
      line,
      bid,
      ask,
      bidSize: num(iBidSize, 'bid_size'),
      askSize: num(iAskSize, 'ask_size'),
      volume,
      notional: volume * vwap,
    });
  }
  if (raw.length < 2) throw new MarketDataError(file, Math.max(2, lines.length), 'needs at least two bars (the bar length is their spacing)');
  let barSeconds = Infinity;
  for (let i = 1; i < raw.length; i++) {
    const gap = raw[i].end - raw[i - 1].end;
    if (!(gap > 0)) throw new MarketDataError(file, raw[i].line, `time is not after the previous row's (rows must be in time order)`);
    barSeconds = Math.min(barSeconds, gap);
  }
  return buildSession({ instrument: instrumentOfFile(file), date, source: file, barSeconds }, raw, file);
}
