/**
 * LEAN minute/second bars (QuantConnect's format, the AlgoSeek samples): a quote CSV (time, bid OHLC, last bid
 * size, ask OHLC, last ask size) and a trade CSV (time, OHLC, volume), no header. `time` is milliseconds after
 * local midnight at the bar's START; ours is the bar's end, so every bar moves by its length. Equity prices are
 * deci-cents (x 1/10000), futures prices are points (x 1). A quote side with no quote is left empty by LEAN.
 */
import { buildSession, MarketDataError, type BarSession, type RawBar } from './session.js';

export interface LeanMeta {
  readonly instrument: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly barSeconds: number;
  /** File prices per unit of currency: 10000 for equities (deci-cents), 1 for futures. */
  readonly priceDivisor: number;
  readonly tradingStart?: number;
  readonly tradingEnd?: number;
  readonly source: string;
  /** Drop (and count in `notes`) bars whose closing quote is crossed instead of failing. */
  readonly dropCrossed?: boolean;
}

export interface CsvText {
  readonly file: string;
  readonly text: string;
}

const QUOTE_FIELDS = 11;
const TRADE_FIELDS = 6;

function rows(csv: CsvText, fields: number, onRow: (f: string[], line: number) => void): void {
  const lines = csv.text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const row = lines[n].replace(/\r$/, '');
    if (row.trim() === '') continue;
    const f = row.split(',');
    if (f.length !== fields) throw new MarketDataError(csv.file, n + 1, `expected ${fields} fields, got ${f.length}`);
    for (let i = 0; i < fields; i++) {
      const v = f[i].trim();
      // Empty is LEAN's "no quote on this side"; anything else must be a number.
      if (v !== '' && !Number.isFinite(Number(v))) throw new MarketDataError(csv.file, n + 1, `field ${i + 1} "${f[i]}" is not a number`);
    }
    onRow(f, n + 1);
  }
}

function number(csv: CsvText, line: number, f: string[], i: number, name: string, optional = false): number | undefined {
  const s = f[i].trim();
  if (s === '' && optional) return undefined;
  const v = Number(s);
  if (s === '' || !Number.isFinite(v)) throw new MarketDataError(csv.file, line, `field ${i + 1} (${name}) "${f[i]}" is not a number`);
  return v;
}

/** Total traded volume of a trade CSV (picks the front futures expiry: the one that traded most). */
export function leanTradeVolume(trade: CsvText): number {
  let total = 0;
  rows(trade, TRADE_FIELDS, (f, line) => {
    total += number(trade, line, f, 5, 'volume')!;
  });
  return total;
}

/** @throws MarketDataError naming the member and line. */
export function parseLeanSession(meta: LeanMeta, quote: CsvText, trade: CsvText): BarSession {
  const byEnd = new Map<number, { -readonly [K in keyof RawBar]: RawBar[K] }>();
  const dt = meta.barSeconds;
  const at = (csv: CsvText, line: number, f: string[], previous: { t: number }) => {
    const ms = number(csv, line, f, 0, 'time')!;
    if (!(ms > previous.t)) throw new MarketDataError(csv.file, line, `time ${ms} ms is not after the previous row's ${previous.t} (rows must be in time order)`);
    previous.t = ms;
    const end = ms / 1000 + dt;
    let bar = byEnd.get(end);
    if (!bar) byEnd.set(end, (bar = { end, line }));
    return bar;
  };
  const qPrev = { t: -Infinity };
  const crossed: number[] = [];
  rows(quote, QUOTE_FIELDS, (f, line) => {
    const bar = at(quote, line, f, qPrev);
    const bid = number(quote, line, f, 4, 'bid close', true);
    const ask = number(quote, line, f, 9, 'ask close', true);
    if (bid !== undefined && bid > 0) {
      bar.bid = bid / meta.priceDivisor;
      bar.bidSize = number(quote, line, f, 5, 'bid size', true) ?? 0;
    }
    if (ask !== undefined && ask > 0) {
      bar.ask = ask / meta.priceDivisor;
      bar.askSize = number(quote, line, f, 10, 'ask size', true) ?? 0;
    }
    if (bar.bid !== undefined && bar.ask !== undefined && bar.bid > bar.ask) {
      // A bar's closing bid and ask are each side's last tick, which may come at different times in the bar, so
      // a few LEAN bars close crossed. Their quote is dropped (the previous touch carries on) and counted.
      if (!meta.dropCrossed) throw new MarketDataError(quote.file, line, `crossed quote: bid ${bar.bid} is above ask ${bar.ask}`);
      crossed.push(line);
      delete bar.bid;
      delete bar.ask;
      delete bar.bidSize;
      delete bar.askSize;
    }
  });
  const tPrev = { t: -Infinity };
  rows(trade, TRADE_FIELDS, (f, line) => {
    const bar = at(trade, line, f, tPrev);
    const high = number(trade, line, f, 2, 'high')!;
    const low = number(trade, line, f, 3, 'low')!;
    const close = number(trade, line, f, 4, 'close')!;
    const volume = number(trade, line, f, 5, 'volume')!;
    if (volume < 0) throw new MarketDataError(trade.file, line, `volume must be >= 0, got ${volume}`);
    bar.volume = volume;
    // LEAN bars carry no VWAP: the typical price (H + L + C) / 3 stands in for it.
    bar.notional = (volume * (high + low + close)) / 3 / meta.priceDivisor;
  });
  const raw = [...byEnd.values()].sort((a, b) => a.end - b.end);
  // A one-sided quote bar leaves the other side to carry forward; a bar with only one side at the very start
  // takes the first two-sided quote (buildSession), never an invented price.
  const session = buildSession(
    { instrument: meta.instrument, date: meta.date, source: meta.source, barSeconds: dt, tradingStart: meta.tradingStart, tradingEnd: meta.tradingEnd },
    raw,
    quote.file,
  );
  if (crossed.length === 0) return session;
  const lines = crossed.length > 5 ? `${crossed.slice(0, 5).join(', ')}, ...` : crossed.join(', ');
  return { ...session, notes: [`${quote.file}: ${crossed.length} bar(s) closed with a crossed quote (lines ${lines}); the previous touch was kept for them`] };
}

/** Regular hours by LEAN market folder (seconds after midnight, New York time). */
export const LEAN_TRADING_HOURS: Record<string, { start: number; end: number; note: string }> = {
  usa: { start: 9.5 * 3600, end: 16 * 3600, note: 'US equities, regular session (09:30-16:00)' },
  cme: { start: 9.5 * 3600, end: 16.25 * 3600, note: 'CME equity index futures, US day session (09:30-16:15)' },
  comex: { start: 8 * 3600 + 20 * 60, end: 13.5 * 3600, note: 'COMEX metals, day session (08:20-13:30)' },
};

/**
 * The clock of LEAN's files by market folder (its market-hours database, `dataTimeZone`): equities are stamped in
 * New York time, CME and COMEX futures in UTC.
 */
export const LEAN_DATA_TIME_ZONE: Record<string, 'America/New_York' | 'UTC'> = { usa: 'America/New_York', cme: 'UTC', comex: 'UTC' };

const newYorkHour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' });

/** How many seconds New York's clock is behind UTC on `date` (YYYY-MM-DD): 4 h in daylight time, 5 h otherwise. */
export function newYorkOffsetSeconds(date: string): number {
  const noon = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(noon)) throw new RangeError(`not a date: "${date}"`);
  const hour = Number(newYorkHour.formatToParts(noon).find((p) => p.type === 'hour')!.value);
  return (12 - hour) * 3600;
}

/** A market's regular hours on its files' own clock on `date` (futures: the New York hours moved to UTC). */
export function leanTradingHours(market: string, date: string): { start: number; end: number; note: string } | undefined {
  const hours = LEAN_TRADING_HOURS[market];
  if (!hours || LEAN_DATA_TIME_ZONE[market] !== 'UTC') return hours;
  const shift = newYorkOffsetSeconds(date);
  return { ...hours, start: hours.start + shift, end: hours.end + shift };
}
