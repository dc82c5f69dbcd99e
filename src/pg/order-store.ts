/**
 * Parent orders in PostgreSQL (migration 3): one row per order, its state as JSON beside the columns that are
 * queried. Every change runs in a transaction that holds the order's row lock (SELECT ... FOR UPDATE), so fills of
 * one order arriving at two replicas are applied one after the other, each on the other's result.
 */
import type pg from 'pg';
import { decodeCursor, encodeCursor, type OrderChange, type OrderPage, type OrderQuery, type OrderStore } from '../orders/store.js';
import type { ParentOrder } from '../orders/types.js';
import { qualified } from './sql.js';
import { inTransaction } from './tx.js';

export class PgOrderStore implements OrderStore {
  private readonly table: string;

  constructor(private readonly pool: pg.Pool, schema: string) {
    this.table = qualified(schema, 'orders');
  }

  async create(order: ParentOrder) {
    const inserted = await this.pool.query(
      `INSERT INTO ${this.table} (id, client_order_id, status, created_at, end_time, body)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (client_order_id) DO NOTHING RETURNING id`,
      [order.id, order.ticket.clientOrderId ?? null, order.status, order.createdAt, new Date(order.ticket.endTime), JSON.stringify(order)],
    );
    if (inserted.rowCount === 1) return { order, created: true };
    const { rows } = await this.pool.query<{ body: ParentOrder }>(`SELECT body FROM ${this.table} WHERE client_order_id = $1`, [order.ticket.clientOrderId]);
    return { order: rows[0]!.body, created: false };
  }

  async get(id: string) {
    const { rows } = await this.pool.query<{ body: ParentOrder }>(`SELECT body FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0]?.body;
  }

  update<T>(id: string, change: OrderChange<T>) {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ body: ParentOrder }>(`SELECT body FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
      const current = rows[0]?.body;
      if (!current) return undefined;
      const out = change(current);
      if (out.order !== current) {
        await client.query(`UPDATE ${this.table} SET status = $2, body = $3 WHERE id = $1`, [id, out.order.status, JSON.stringify(out.order)]);
      }
      return out;
    });
  }

  async list(query: OrderQuery): Promise<OrderPage> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { rows } = await this.pool.query<{ body: ParentOrder }>(
      `SELECT body FROM ${this.table}
       WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3))
       ORDER BY created_at, id LIMIT $4`,
      [query.status ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, query.limit + 1],
    );
    const orders = rows.slice(0, query.limit).map((r) => r.body);
    return { orders, nextCursor: rows.length > query.limit ? encodeCursor(orders.at(-1)!) : undefined };
  }

  async due(now: number) {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.table} WHERE status = 'working' AND end_time <= $1`, [new Date(now)]);
    return rows.map((r) => r.id);
  }
}
