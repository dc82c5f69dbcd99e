/**
 * A TCP proxy in front of the test PostgreSQL that a test can cut and restore: an outage as a client sees it
 * (open connections reset, new ones refused), without touching the server the other tests share.
 */
import net from 'node:net';
import type { Test } from 'tap';
import { TEST_URL } from './helpers.js';

export interface Outage {
  /** TEST_URL through the proxy. */
  readonly url: string;
  /** Resets every connection and refuses new ones until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export async function outageProxy(t: Test): Promise<Outage> {
  const target = new URL(TEST_URL);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = async () => {
    const closed = new Promise((r) => server?.close(r));
    for (const s of sockets) s.resetAndDestroy();
    await closed;
    server = undefined;
  };
  await listen();
  t.teardown(() => (server ? cut() : undefined));
  const url = new URL(TEST_URL);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), cut, restore: listen };
}
