/**
 * Where parent orders live: one interface, a store per backend (files under DATA_DIR here, PostgreSQL in
 * src/pg/order-store.ts, memory when the app has neither). Every change is a read-modify-write of one order
 * serialised across all writers, so two fills of one order never both see the same remainder.
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { fsyncDir } from '../store/atomic.js';
import { join } from 'node:path';
import { KeyedMutex } from '../store/atomic.js';
import type { OrderStatus, ParentOrder } from './types.js';

export interface OrderQuery {
  readonly status?: OrderStatus;
  readonly limit: number;
  /** nextCursor of the previous page. */
  readonly cursor?: string;
}

export interface OrderPage {
  readonly orders: ParentOrder[];
  readonly nextCursor?: string;
}

/** The change of one order: its next state (the same object when nothing changes, so nothing is written) and an answer. */
export type OrderChange<T> = (order: ParentOrder) => { order: ParentOrder; result: T };

export interface OrderStore {
  /** Inserts the order, or returns the one that already holds its clientOrderId (`created` false). */
  create(order: ParentOrder): Promise<{ order: ParentOrder; created: boolean }>;
  get(id: string): Promise<ParentOrder | undefined>;
  /** undefined when there is no such order. */
  update<T>(id: string, change: OrderChange<T>): Promise<{ order: ParentOrder; result: T } | undefined>;
  /** Oldest first, by creation time then id. */
  list(query: OrderQuery): Promise<OrderPage>;
  /** Ids of working orders whose end time is at or before `now` (to be expired). */
  due(now: number): Promise<string[]>;
  close?(): Promise<void>;
}

/** An opaque page cursor: the last order's creation time and id. */
export function encodeCursor(order: Pick<ParentOrder, 'createdAt' | 'id'>): string {
  return Buffer.from(`${order.createdAt}|${order.id}`).toString('base64url');
}

/** @returns undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !id || !createdAt || !Number.isFinite(Date.parse(createdAt))) return undefined;
  return { createdAt, id };
}

const after = (o: ParentOrder, c: { createdAt: string; id: string }) => o.createdAt > c.createdAt || (o.createdAt === c.createdAt && o.id > c.id);

/** What one change added to an order: its figures and status as they are now, and the decisions and fills it appended. */
interface OrderDelta {
  readonly status: ParentOrder['status'];
  readonly arrivalPrice?: number;
  readonly executedQuantity: number;
  readonly executedNotional: number;
  readonly fees: number;
  readonly closedAt?: string;
  readonly unexecuted?: number;
  readonly decisions: ParentOrder['decisions'];
  readonly fills: ParentOrder['fills'];
}

/** The delta from `prev` to `next`: the lifecycle only ever appends decisions and fills. */
function deltaOf(prev: ParentOrder, next: ParentOrder): OrderDelta {
  const { status, arrivalPrice, executedQuantity, executedNotional, fees, closedAt, unexecuted } = next;
  return {
    status, arrivalPrice, executedQuantity, executedNotional, fees, closedAt, unexecuted,
    decisions: next.decisions.slice(prev.decisions.length),
    fills: next.fills.slice(prev.fills.length),
  };
}

/** Replays an order's log: its first line the order as created, each further line a delta. A torn last line (a crash
 * mid-append) is dropped; it was never acknowledged. */
function replay(text: string): ParentOrder | undefined {
  const lines = text.split('\n').filter((l) => l.length > 0);
  let order: ParentOrder | undefined;
  const decisions: ParentOrder['decisions'][number][] = [];
  const fills: ParentOrder['fills'][number][] = [];
  for (const [i, line] of lines.entries()) {
    let entry: { order?: ParentOrder; delta?: OrderDelta };
    try {
      entry = JSON.parse(line);
    } catch (err) {
      if (i === lines.length - 1) break;
      throw err;
    }
    if (entry.order) {
      order = entry.order;
      decisions.push(...order.decisions);
      fills.push(...order.fills);
    } else if (entry.delta && order) {
      const { decisions: d, fills: f, ...figures } = entry.delta;
      decisions.push(...d);
      fills.push(...f);
      order = { ...order, ...figures };
    }
  }
  return order && { ...order, decisions, fills };
}

/**
 * Orders in memory, written through to an append-only log per order under `dir` when given (DATA_DIR/orders/<id>.jsonl:
 * the order as created, then one line per change), and replayed at start. Appending a change costs the same at the
 * last step of a long order as at the first. One process owns the folder, so a per-order mutex is the whole
 * serialisation.
 */
export class FileOrderStore implements OrderStore {
  private readonly orders = new Map<string, ParentOrder>();
  private readonly byClientId = new Map<string, string>();
  private readonly mutex = new KeyedMutex();

  private constructor(private readonly dir?: string) {}

  /** @param dataDir DATA_DIR (orders go to its orders/ folder); none keeps them in memory only. */
  static async open(dataDir?: string): Promise<FileOrderStore> {
    const store = new FileOrderStore(dataDir === undefined ? undefined : join(dataDir, 'orders'));
    if (store.dir) {
      await mkdir(store.dir, { recursive: true });
      for (const name of (await readdir(store.dir)).filter((n) => n.endsWith('.jsonl'))) {
        const order = replay(await readFile(join(store.dir, name), 'utf8'));
        if (order) store.remember(order);
      }
    }
    return store;
  }

  private remember(order: ParentOrder): void {
    this.orders.set(order.id, order);
    if (order.ticket.clientOrderId !== undefined) this.byClientId.set(order.ticket.clientOrderId, order.id);
  }

  /** Appends and syncs before the change is acknowledged, so an accepted order, decision or fill survives a power
   * loss; a new order's log is also made durable in its folder. */
  private async append(id: string, entry: { order: ParentOrder } | { delta: OrderDelta }): Promise<void> {
    if (!this.dir) return;
    const handle = await open(join(this.dir, `${id}.jsonl`), 'a');
    try {
      await handle.appendFile(`${JSON.stringify(entry)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if ('order' in entry) await fsyncDir(this.dir);
  }

  create(order: ParentOrder) {
    const key = `client:${order.ticket.clientOrderId ?? order.id}`;
    return this.mutex.run(key, async () => {
      const existing = order.ticket.clientOrderId === undefined ? undefined : this.byClientId.get(order.ticket.clientOrderId);
      if (existing !== undefined) return { order: this.orders.get(existing)!, created: false };
      await this.append(order.id, { order });
      this.remember(order);
      return { order, created: true };
    });
  }

  async get(id: string) {
    return this.orders.get(id);
  }

  update<T>(id: string, change: OrderChange<T>) {
    return this.mutex.run(id, async () => {
      const current = this.orders.get(id);
      if (!current) return undefined;
      const out = change(current);
      if (out.order !== current) {
        await this.append(id, { delta: deltaOf(current, out.order) });
        this.remember(out.order);
      }
      return out;
    });
  }

  async list(query: OrderQuery): Promise<OrderPage> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const all = [...this.orders.values()]
      .filter((o) => (query.status === undefined || o.status === query.status) && (!cursor || after(o, cursor)))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    const orders = all.slice(0, query.limit);
    return { orders, nextCursor: all.length > query.limit ? encodeCursor(orders.at(-1)!) : undefined };
  }

  async due(now: number) {
    return [...this.orders.values()].filter((o) => o.status === 'working' && o.ticket.endTime <= now).map((o) => o.id);
  }
}
