/**
 * A dedicated connection that LISTENs on some channels and survives losing its connection: it reconnects with
 * a capped backoff and then calls `onConnect`, because notifications sent while it was away are gone for good,
 * so whoever listens must catch up from the tables (the registry re-reads every model).
 * Hand-written on purpose: pg-listen reconnects too, but by default gives up after 3 s of outage (measured: a
 * fatal error 3.1 s into a 6 s cut, no reconnect after), has no way to drop a connection whose catch-up failed and
 * try again, and its last release is an ES5 build on old dependencies (debug, pg-format, typed-emitter 0.1).
 */
import pg from 'pg';
import { ident } from './sql.js';

export interface ListenerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ListenerOptions {
  readonly url: string;
  readonly channels: readonly string[];
  readonly applicationName: string;
  onNotification(channel: string, payload: string): void;
  /** After every successful (re)connect and LISTEN; `first` is the initial one. */
  onConnect?(first: boolean): Promise<void> | void;
  readonly log?: ListenerLogger;
  readonly maxBackoffMs?: number;
}

export class Listener {
  private client?: pg.Client;
  private stopped = false;
  private connectedOnce = false;
  private retry?: NodeJS.Timeout;
  private backoffMs = 100;

  constructor(private readonly opts: ListenerOptions) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Connects once; @throws when the first connection fails (the caller decides whether that is fatal). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.url, keepAlive: true, application_name: this.opts.applicationName, connectionTimeoutMillis: 5000 });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.opts.log?.warn({ channels: this.opts.channels, why }, 'notification listener lost its connection; reconnecting');
      this.schedule();
    };
    client.on('notification', (n) => this.opts.onNotification(n.channel, n.payload ?? ''));
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    try {
      await client.connect();
      for (const channel of this.opts.channels) await client.query(`LISTEN ${ident(channel)}`);
    } catch (err) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = 100;
    const first = !this.connectedOnce;
    this.connectedOnce = true;
    if (!first) this.opts.log?.info({ channels: this.opts.channels }, 'notification listener reconnected');
    try {
      await this.opts.onConnect?.(first);
    } catch (err) {
      if (first) throw err;
      // Not caught up: drop the connection and try the whole thing again rather than serve stale state silently.
      lost(`catching up failed: ${(err as Error).message}`);
    }
  }

  private schedule(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.connect().catch((err) => {
        this.opts.log?.warn({ err: (err as Error).message, retryInMs: this.backoffMs }, 'notification listener could not reconnect');
        this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 5000);
        this.schedule();
      });
    }, this.backoffMs);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
