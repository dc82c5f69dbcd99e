/**
 * Where parent orders live: one interface, a store per backend (files under DATA_DIR here, PostgreSQL in
 * src/pg/order-store.ts, memory when the app has neither). Every change is a read-modify-write of one order
 * serialised across all writers, so two fills of one order never both see the same remainder.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedMutex, readJson, writeJsonAtomic } from '../store/atomic.js';
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

/**
 * Orders in memory, written through to one JSON file per order under `dir` when given (atomic rename), and read
 * back at start. One process owns the folder, so a per-order mutex is the whole serialisation.
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
      const names = await readdir(store.dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const order = await readJson<ParentOrder>(join(store.dir, name));
        if (order) store.remember(order);
      }
    }
    return store;
  }

  private remember(order: ParentOrder): void {
    this.orders.set(order.id, order);
    if (order.ticket.clientOrderId !== undefined) this.byClientId.set(order.ticket.clientOrderId, order.id);
  }

  private async save(order: ParentOrder): Promise<void> {
    if (this.dir) await writeJsonAtomic(join(this.dir, `${order.id}.json`), order);
    this.remember(order);
  }

  create(order: ParentOrder) {
    const key = `client:${order.ticket.clientOrderId ?? order.id}`;
    return this.mutex.run(key, async () => {
      const existing = order.ticket.clientOrderId === undefined ? undefined : this.byClientId.get(order.ticket.clientOrderId);
      if (existing !== undefined) return { order: this.orders.get(existing)!, created: false };
      await this.save(order);
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
      if (out.order !== current) await this.save(out.order);
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
