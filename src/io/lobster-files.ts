/**
 * Loads LOBSTER days from disk: a zip holding one `*_message_L.csv` and one `*_orderbook_L.csv` (read straight
 * from the archive with yauzl, streamed), or a message/orderbook CSV pair. The parsing itself is pure
 * (src/core/lobster).
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { zipEntries } from './zip.js';
import { LobsterFormatError } from '../core/lobster/csv.js';
import { LobsterDayBuilder, levelsFromFirstLine, type LobsterDay } from '../core/lobster/day.js';

const MESSAGE_RE = /_message_(\d+)\.csv$/;
const ORDERBOOK_RE = /_orderbook_(\d+)\.csv$/;

/** Streams the orderbook first (its first line tells L when the name does not), then the message file. */
async function build(
  name: string,
  messageFile: string,
  orderbookFile: string,
  open: (which: 'message' | 'orderbook') => Promise<Readable>,
): Promise<LobsterDay> {
  const named = ORDERBOOK_RE.exec(orderbookFile);
  let builder: LobsterDayBuilder | undefined;
  for await (const chunk of await open('orderbook')) {
    const bytes = chunk as Buffer;
    builder ??= new LobsterDayBuilder(name, messageFile, orderbookFile, named ? Number(named[1]) : levelsFromFirstLine(orderbookFile, bytes));
    builder.orderbook.push(bytes);
  }
  builder ??= new LobsterDayBuilder(name, messageFile, orderbookFile, named ? Number(named[1]) : 1);
  for await (const chunk of await open('message')) builder.message.push(chunk as Buffer);
  return builder.finish();
}

function dayName(file: string): string {
  return basename(file).replace(ORDERBOOK_RE, '').replace(MESSAGE_RE, '').replace(/\.zip$/, '');
}

export async function loadLobsterCsvPair(messagePath: string, orderbookPath: string): Promise<LobsterDay> {
  return build(dayName(messagePath), messagePath, orderbookPath, async (which) =>
    createReadStream(which === 'message' ? messagePath : orderbookPath, { highWaterMark: 1 << 20 }),
  );
}

/** @throws LobsterFormatError when the zip lacks a message or an orderbook CSV. */
export async function loadLobsterZip(zipPath: string): Promise<LobsterDay> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    const entries = await zipEntries(zip);
    const message = entries.find((e) => MESSAGE_RE.test(e.fileName));
    const orderbook = entries.find((e) => ORDERBOOK_RE.test(e.fileName));
    if (!message || !orderbook) {
      throw new LobsterFormatError(zipPath, 0, 'the zip must hold a *_message_L.csv and a *_orderbook_L.csv');
    }
    const where = (e: yauzl.Entry) => `${zipPath}!${e.fileName}`;
    return await build(dayName(message.fileName), where(message), where(orderbook), (which) =>
      zip.openReadStreamPromise(which === 'message' ? message : orderbook),
    );
  } finally {
    zip.close();
  }
}

/**
 * Zips load one day each; CSVs are paired message with orderbook by name (`_message_` <-> `_orderbook_`).
 * @throws Error naming a CSV without its partner.
 */
export async function loadLobsterFiles(paths: readonly string[]): Promise<LobsterDay[]> {
  const days: LobsterDay[] = [];
  const csvs = paths.filter((p) => p.endsWith('.csv'));
  for (const p of paths) if (p.endsWith('.zip')) days.push(await loadLobsterZip(p));
  for (const m of csvs.filter((p) => MESSAGE_RE.test(p))) {
    const partner = m.replace(/_message_(\d+)\.csv$/, '_orderbook_$1.csv');
    if (!csvs.includes(partner)) throw new Error(`${m}: no orderbook file ${partner} given with it`);
    days.push(await loadLobsterCsvPair(m, partner));
  }
  const orphan = csvs.find((p) => !MESSAGE_RE.test(p) && !csvs.some((m) => MESSAGE_RE.test(m) && m.replace(MESSAGE_RE, '_orderbook_$1.csv') === p));
  if (orphan) throw new Error(`${orphan}: not a LOBSTER *_message_L.csv / *_orderbook_L.csv pair member`);
  const unknown = paths.find((p) => !p.endsWith('.zip') && !p.endsWith('.csv'));
  if (unknown) throw new Error(`${unknown}: give LOBSTER .zip archives or message/orderbook .csv pairs`);
  return days;
}
