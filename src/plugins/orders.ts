/**
 * The order store as a named service: PostgreSQL when the app has a database (its own small pool; the schema is
 * migrated by the services before), files under DATA_DIR in embedded mode, memory when the app has neither (tests,
 * the OpenAPI build). Decorated as `orders`, with the clock the order routes read.
 */
import fp from 'fastify-plugin';
import { FileOrderStore, type OrderStore } from '../orders/store.js';
import { PgOrderStore } from '../pg/order-store.js';
import { createPool, type DatabaseOptions } from '../pg/pool.js';

export interface OrdersOptions {
  readonly dataDir?: string;
  readonly database?: DatabaseOptions;
  /** Epoch ms now (tests move it to expire orders). */
  readonly clock?: () => number;
}

export interface OrdersService {
  readonly store: OrderStore;
  readonly now: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersService;
  }
}

export default fp(
  async (app, opts: OrdersOptions) => {
    let store: OrderStore;
    if (opts.database) {
      const pool = createPool({ ...opts.database, poolMax: 4 }, 'ess-orders', (err) => app.log.warn({ err: err.message }, 'idle orders connection lost'));
      store = new PgOrderStore(pool, opts.database.schema);
      app.addHook('onClose', () => pool.end());
    } else {
      store = await FileOrderStore.open(opts.dataDir);
    }
    app.decorate('orders', { store, now: opts.clock ?? Date.now });
  },
  { name: 'orders' },
);
