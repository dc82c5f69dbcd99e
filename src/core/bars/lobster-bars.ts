/**
 * A LOBSTER day (message + orderbook) aggregated to bars: the visible book after the last message of each bar
 * (all L levels kept, so a replay can walk it), and the shares executed in the bar (types 4 and 5) with their
 * notional. The session's hours are the file's window (LOBSTER files cover 09:30-16:00).
 */
import { PRICE_SCALE, rowsBefore, type LobsterDay } from '../lobster/day.js';
import { buildSession, type BarSession, type RawBar } from './session.js';

const NAME_RE = /^(?:LOBSTER_SampleFile_)?([A-Za-z.]+)_(\d{4}-\d{2}-\d{2})/;

export function lobsterToBars(day: LobsterDay, barSeconds = 1, sessionStart = 34_200, sessionEnd = 57_600): BarSession {
  const m = NAME_RE.exec(day.name);
  const instrument = m ? m[1] : day.name;
  const date = m ? m[2] : 'unknown-date';
  const L = day.levels;
  const raw: RawBar[] = [];
  // The first bar ends at the open (no trades yet) so an episode can start there.
  for (let end = sessionStart; end <= sessionEnd + 1e-9; end += barSeconds) {
    const a = rowsBefore(day, end - barSeconds);
    const b = rowsBefore(day, end);
    const row = Math.max(0, b - 1) * 4 * L;
    const book = new Float64Array(4 * L);
    for (let j = 0; j < 4 * L; j++) book[j] = j % 2 === 0 ? day.book[row + j] / PRICE_SCALE : day.book[row + j];
    raw.push({
      end,
      line: b,
      ask: book[0],
      askSize: book[1],
      bid: book[2],
      bidSize: book[3],
      volume: day.cumVolume[b] - day.cumVolume[a],
      notional: day.cumNotional[b] - day.cumNotional[a],
      book,
    });
  }
  return buildSession({ instrument, date, source: day.name, barSeconds, tradingStart: sessionStart, tradingEnd: sessionEnd, levels: L }, raw);
}
