/**
 * One LOBSTER day (a message file and its orderbook file) held column-wise in typed arrays. Row i of the
 * orderbook is the visible book after message i. Prices stay in LOBSTER units (dollars x 10000) so depth taken
 * by the agent is matched to book levels exactly.
 */
import { LobsterFormatError, NumericCsvParser } from './csv.js';

export const PRICE_SCALE = 10_000;
const MESSAGE_COLUMNS = 6;

export interface LobsterDay {
  readonly name: string;
  readonly levels: number;
  readonly rows: number;
  /** Seconds after midnight, non-decreasing. */
  readonly time: Float64Array;
  readonly type: Int8Array;
  readonly size: Float64Array;
  /** Dollars x 10000. */
  readonly price: Float64Array;
  /** rows x 4 L: AskPrice_l, AskSize_l, BidPrice_l, BidSize_l for l = 1..L (prices x 10000). */
  readonly book: Float64Array;
  /** cumVolume[i] = shares executed (types 4, 5) in messages 0..i-1; length rows + 1. */
  readonly cumVolume: Float64Array;
  /** Same for executed notional in dollars. */
  readonly cumNotional: Float64Array;
}

class Growable {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  trimmed(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Feeds a message file and an orderbook file (in any interleaving of chunks) and assembles the day. */
export class LobsterDayBuilder {
  private readonly time = new Growable(1 << 16);
  private readonly type = new Growable(1 << 16);
  private readonly size = new Growable(1 << 16);
  private readonly price = new Growable(1 << 16);
  private readonly book: Growable;
  private lastTime = -Infinity;
  readonly message: NumericCsvParser;
  readonly orderbook: NumericCsvParser;

  constructor(
    readonly name: string,
    private readonly messageFile: string,
    private readonly orderbookFile: string,
    readonly levels: number,
  ) {
    if (!(Number.isInteger(levels) && levels >= 1)) {
      throw new LobsterFormatError(orderbookFile, 1, `the orderbook needs 4 x L columns (L >= 1), got L = ${levels}`);
    }
    this.book = new Growable((1 << 16) * 4 * levels);
    this.message = new NumericCsvParser(messageFile, MESSAGE_COLUMNS, (f, line) => {
      const t = f[0];
      if (t < this.lastTime) {
        throw new LobsterFormatError(messageFile, line, `time ${t} is before the previous row's ${this.lastTime} (rows must be sorted by time)`);
      }
      this.lastTime = t;
      const type = f[1];
      if (!(Number.isInteger(type) && type >= 1 && type <= 7)) {
        throw new LobsterFormatError(messageFile, line, `event type must be an integer 1..7, got ${type}`);
      }
      this.time.push(t);
      this.type.push(type);
      this.size.push(f[3]);
      this.price.push(f[4]);
    });
    this.orderbook = new NumericCsvParser(orderbookFile, 4 * levels, (f) => {
      for (let j = 0; j < f.length; j++) this.book.push(f[j]);
    });
  }

  /** @throws LobsterFormatError when the two files have different row counts. */
  finish(): LobsterDay {
    this.message.end();
    this.orderbook.end();
    const rows = this.message.rows;
    if (rows !== this.orderbook.rows) {
      throw new LobsterFormatError(
        this.orderbookFile,
        this.orderbook.rows,
        `row count ${this.orderbook.rows} differs from the message file ${this.messageFile} (${rows} rows); each message row needs its book row`,
      );
    }
    if (rows === 0) throw new LobsterFormatError(this.messageFile, 1, 'the file has no rows');
    const type = Int8Array.from(this.type.trimmed());
    const size = this.size.trimmed();
    const price = this.price.trimmed();
    const cumVolume = new Float64Array(rows + 1);
    const cumNotional = new Float64Array(rows + 1);
    for (let i = 0; i < rows; i++) {
      const executed = type[i] === 4 || type[i] === 5 ? size[i] : 0;
      cumVolume[i + 1] = cumVolume[i] + executed;
      cumNotional[i + 1] = cumNotional[i] + (executed * price[i]) / PRICE_SCALE;
    }
    return {
      name: this.name,
      levels: this.levels,
      rows,
      time: this.time.trimmed(),
      type,
      size,
      price,
      book: this.book.trimmed(),
      cumVolume,
      cumNotional,
    };
  }
}

/** Parses a message/orderbook pair held in memory (tests, small files). */
export function parseLobster(
  name: string,
  message: { file: string; bytes: Uint8Array },
  orderbook: { file: string; bytes: Uint8Array },
  levels?: number,
): LobsterDay {
  const L = levels ?? levelsFromFirstLine(orderbook.file, orderbook.bytes);
  const builder = new LobsterDayBuilder(name, message.file, orderbook.file, L);
  builder.message.push(message.bytes);
  builder.orderbook.push(orderbook.bytes);
  return builder.finish();
}

/** L from the first line's field count, which must be a multiple of 4. */
export function levelsFromFirstLine(file: string, bytes: Uint8Array): number {
  let fields = 1;
  for (let i = 0; i < bytes.length && bytes[i] !== 10; i++) if (bytes[i] === 44) fields++;
  if (fields % 4 !== 0) throw new LobsterFormatError(file, 1, `expected 4 x L fields (AskPrice, AskSize, BidPrice, BidSize per level), got ${fields}`);
  return fields / 4;
}

/** Number of rows with time < t (binary search). */
export function rowsBefore(day: LobsterDay, t: number): number {
  let lo = 0;
  let hi = day.rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (day.time[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
