/**
 * One instrument's trading session as regular bars: the touch at each bar's end and the volume traded in the
 * bar, on a dense grid (a bar the source left out had no volume and an unchanged touch). Every reader (the
 * canonical bars CSV, LEAN zips, LOBSTER) produces this; the `replay` scenario consumes it.
 */

/** Malformed market data: names the file (or `zip!member`) and the 1-based line. */
export class MarketDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'MarketDataError';
  }
}

/** Visible book at each bar's end (LOBSTER): rows x 4 L of askPrice, askSize, bidPrice, bidSize per level. */
export interface BarDepth {
  readonly levels: number;
  readonly book: Float64Array;
}

export interface BarSession {
  /** e.g. `ES`, `SPY`, `AMZN`. */
  readonly instrument: string;
  /** Session date, YYYY-MM-DD, local to the exchange. */
  readonly date: string;
  /** Where it was read from (error messages, reports). */
  readonly source: string;
  readonly barSeconds: number;
  /** Seconds after local midnight of the first bar's end; bar i ends at firstEnd + i x barSeconds. */
  readonly firstEnd: number;
  readonly bars: number;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly bidSize: Float64Array;
  readonly askSize: Float64Array;
  readonly volume: Float64Array;
  /** Traded notional (volume x the bar's VWAP, or its typical price when the source has no VWAP). */
  readonly notional: Float64Array;
  /** Hours episodes may be cut from, seconds after local midnight (regular hours, or from the first bar's end to the last's). */
  readonly tradingStart: number;
  readonly tradingEnd: number;
  readonly depth?: BarDepth;
  /** What a reader repaired, said aloud (e.g. crossed LEAN bar closes dropped). */
  readonly notes?: readonly string[];
}

/** `ES 2013-10-07`: the id that clusters episodes and keys splits. */
export function sessionId(s: Pick<BarSession, 'instrument' | 'date'>): string {
  return `${s.instrument} ${s.date}`;
}

/** A bar as a reader sees it; undefined fields mean "not in this source row". */
export interface RawBar {
  /** Bar end, seconds after local midnight. */
  readonly end: number;
  readonly line: number;
  readonly bid?: number;
  readonly ask?: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  readonly volume?: number;
  readonly notional?: number;
  readonly book?: ArrayLike<number>;
}

export interface SessionMeta {
  readonly instrument: string;
  readonly date: string;
  readonly source: string;
  readonly barSeconds: number;
  readonly tradingStart?: number;
  readonly tradingEnd?: number;
  readonly levels?: number;
}

/**
 * Checks and lays sorted bars on the dense grid. Quotes carry forward over missing bars; bars before the first
 * quote take the first quote (they can only be volume-only bars of a source that trades before it quotes).
 * @throws MarketDataError for times out of order or off the grid, crossed quotes, negative sizes or volume.
 */
export function buildSession(meta: SessionMeta, raw: readonly RawBar[], file = meta.source): BarSession {
  if (raw.length === 0) throw new MarketDataError(file, 1, 'no bars');
  const dt = meta.barSeconds;
  if (!(dt > 0)) throw new MarketDataError(file, 1, `bar length must be > 0 s, got ${dt}`);
  const firstEnd = raw[0].end;
  let prev = -Infinity;
  for (const b of raw) {
    if (!(b.end > prev)) throw new MarketDataError(file, b.line, `time ${clock(b.end)} is not after the previous bar's ${clock(prev)} (bars must be in time order, one per time)`);
    const offset = (b.end - firstEnd) / dt;
    if (Math.abs(offset - Math.round(offset)) > 1e-6) {
      throw new MarketDataError(file, b.line, `time ${clock(b.end)} is not on the ${dt} s bar grid starting at ${clock(firstEnd)}`);
    }
    if (b.bid !== undefined && b.ask !== undefined && b.bid > b.ask) {
      throw new MarketDataError(file, b.line, `crossed quote: bid ${b.bid} is above ask ${b.ask}`);
    }
    for (const [name, v] of [['bid', b.bid], ['ask', b.ask], ['bid_size', b.bidSize], ['ask_size', b.askSize], ['volume', b.volume]] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new MarketDataError(file, b.line, `${name} must be a number >= 0, got ${v}`);
    }
    prev = b.end;
  }
  const bars = Math.round((raw[raw.length - 1].end - firstEnd) / dt) + 1;
  const bid = new Float64Array(bars).fill(NaN);
  const ask = new Float64Array(bars).fill(NaN);
  const bidSize = new Float64Array(bars).fill(NaN);
  const askSize = new Float64Array(bars).fill(NaN);
  const volume = new Float64Array(bars);
  const notional = new Float64Array(bars);
  const levels = meta.levels ?? 0;
  const book = levels > 0 ? new Float64Array(bars * 4 * levels).fill(NaN) : undefined;
  for (const b of raw) {
    const i = Math.round((b.end - firstEnd) / dt);
    if (b.bid !== undefined) bid[i] = b.bid;
    if (b.ask !== undefined) ask[i] = b.ask;
    if (b.bidSize !== undefined) bidSize[i] = b.bidSize;
    if (b.askSize !== undefined) askSize[i] = b.askSize;
    volume[i] = b.volume ?? 0;
    notional[i] = b.notional ?? 0;
    if (book && b.book) book.set(b.book, i * 4 * levels);
  }
  const firstQuote = bid.findIndex((x) => !Number.isNaN(x));
  if (firstQuote < 0) throw new MarketDataError(file, raw[0].line, 'no quote in the session (every bar lacks bid/ask)');
  for (const arr of [bid, ask, bidSize, askSize]) carry(arr);
  if (book) for (let i = 1; i < bars; i++) if (Number.isNaN(book[i * 4 * levels])) book.copyWithin(i * 4 * levels, (i - 1) * 4 * levels, i * 4 * levels);
  return {
    instrument: meta.instrument,
    date: meta.date,
    source: meta.source,
    barSeconds: dt,
    firstEnd,
    bars,
    bid,
    ask,
    bidSize,
    askSize,
    volume,
    notional,
    tradingStart: meta.tradingStart ?? firstEnd,
    tradingEnd: meta.tradingEnd ?? firstEnd + (bars - 1) * dt,
    ...(book ? { depth: { levels, book } } : {}),
  };
}

/** Forward-fills NaN; leading NaN take the first value. */
function carry(a: Float64Array): void {
  let first = NaN;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) { first = a[i]; break; }
  let last = Number.isNaN(first) ? 0 : first;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) a[i] = last;
    else last = a[i];
  }
}

/** HH:MM:SS of seconds after midnight (messages). */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const s = Math.round(seconds * 1000) / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s - h * 3600 - m * 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${rest < 10 ? '0' : ''}${rest}`;
}

/** Index of the last bar ending at or before t (-1 when none). */
export function barAtOrBefore(s: BarSession, t: number): number {
  return Math.max(-1, Math.min(s.bars - 1, Math.floor((t - s.firstEnd) / s.barSeconds + 1e-9)));
}

/** Volume and notional of the bars ending in (from, to]. */
export function traded(s: BarSession, from: number, to: number): { volume: number; notional: number } {
  const a = Math.max(0, barAtOrBefore(s, from) + 1);
  const b = barAtOrBefore(s, to);
  let volume = 0;
  let notional = 0;
  for (let i = a; i <= b; i++) {
    volume += s.volume[i];
    notional += s.notional[i];
  }
  return { volume, notional };
}
