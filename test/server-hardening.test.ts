/**
 * The real process against abusive or departing clients, over real sockets: a client trickling its request gets
 * 408 and is cut; running out of file descriptors does not end the process; SIGTERM lets every in-flight
 * request finish (keep-alive connections are closed after theirs) and refuses new ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { spawnServer } from './server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const decisionBody = JSON.stringify({
  policy: { type: 'twap' },
  order: { side: 'sell', quantity: 1000, horizon: 10, step: 0, remaining: 1000 },
  market: { bid: 10, ask: 10.01 },
});

function start(t: Test, env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ess-hardening-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  return spawnServer(t, { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, MODELS_DIR: join(dataDir, 'none'), ...env });
}

/** A raw connection that records what comes back and when it closes. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((r, j) => socket.once('connect', r).once('error', j));
  const conn = { socket, received: '', closed: false, closedAt: 0 };
  socket.on('data', (d) => (conn.received += d));
  socket.on('close', () => {
    conn.closed = true;
    conn.closedAt = performance.now();
  });
  return conn;
}

function head(keepAlive: boolean, length = decisionBody.length) {
  return `POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
}

/** Status, headers and body of the first response in `raw`; undefined until it is complete. */
function firstResponse(raw: string): { status: number; headers: Record<string, string>; body: string } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? 0);
  const body = raw.slice(end + 4, end + 4 + length);
  if (Buffer.byteLength(body) < length) return undefined;
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 10000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

t.test('the request timeouts are read from the environment and checked', async (t) => {
  const { loadConfig } = await import('../src/config.js');
  t.same(loadConfig({}).timeouts, { requestMs: 30000, headersMs: 10000, idleMs: 120000, keepAliveMs: 72000 }, 'defaults');
  t.match(loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '2000' }).timeouts, { requestMs: 5000, headersMs: 2000 });
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' }), /HEADERS_TIMEOUT_MS \(2000\) must be <= REQUEST_TIMEOUT_MS \(1000\)/);
  t.throws(() => loadConfig({ IDLE_TIMEOUT_MS: 'soon' }), /IDLE_TIMEOUT_MS must be an integer from 100 to 3600000, got "soon"/);
  t.throws(() => loadConfig({ KEEP_ALIVE_TIMEOUT_MS: '0' }), /KEEP_ALIVE_TIMEOUT_MS must be an integer/);
});

t.test('a client trickling its body or its headers gets 408 and its connection closed', async (t) => {
  const s = start(t, { REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '600', MAX_EVENT_LOOP_DELAY_MS: '0' });
  const port = await s.listening;
  const body = await connect(port);
  const headers = await connect(port);
  const t0 = performance.now();
  body.socket.write(head(false));
  headers.socket.write('POST /v1/decisions HTTP/1.1\r\nHost: x\r\n');
  // One byte every 100 ms: never idle, never done.
  let i = 0;
  const trickle = setInterval(() => {
    if (!body.closed) body.socket.write(decisionBody[i % decisionBody.length]!);
    if (!headers.closed) headers.socket.write(`X-Slow-${i}: 1\r\n`);
    i++;
  }, 100);
  t.teardown(() => clearInterval(trickle));
  await until('both connections to be closed', () => body.closed && headers.closed, 8000);
  clearInterval(trickle);
  t.match(body.received, /^HTTP\/1\.1 408/, 'the slow body got 408');
  t.match(headers.received, /^HTTP\/1\.1 408/, 'the slow headers got 408');
  const ms = body.closedAt - t0;
  t.ok(ms >= 900 && ms < 4000, `cut after ${Math.round(ms)} ms (REQUEST_TIMEOUT_MS=1000)`);
  // The service itself is fine.
  const ok = await fetch(`http://127.0.0.1:${port}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: decisionBody });
  t.equal(ok.status, 200);
});

t.test('running out of file descriptors does not end the process; it serves again once they are back', async (t) => {
  if (process.platform !== 'linux') return t.pass('needs /proc', { skip: 'Linux only' });
  const s = start(t, { MAX_EVENT_LOOP_DELAY_MS: '1000' });
  const port = await s.listening;
  // Lower the running server's descriptor limit to a few more than it holds idle (start-up needs more).
  const idle = readdirSync(`/proc/${s.child.pid}/fd`).length;
  execFileSync('prlimit', [`--pid=${s.child.pid}`, `--nofile=${idle + 8}`]);
  const sockets: net.Socket[] = [];
  for (let i = 0; i < 64; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  // Two sampling intervals of the load shedding with every descriptor in use (under-pressure died here).
  await sleep(2500);
  t.equal(s.child.exitCode, null, 'still running with its descriptors exhausted');
  for (const socket of sockets) socket.destroy();
  await sleep(300);
  const res = await fetch(`http://127.0.0.1:${port}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: decisionBody });
  t.equal(res.status, 200, 'serves again');
  t.notMatch(s.output(), /EMFILE.*\n.*at /, 'no uncaught EMFILE');
});

t.test('SIGTERM: slow in-flight requests finish, keep-alive connections close after theirs, new ones are refused', async (t) => {
  const s = start(t, { SHUTDOWN_TIMEOUT_MS: '8000', MAX_EVENT_LOOP_DELAY_MS: '0' });
  const port = await s.listening;
  // Six slow requests: their bodies arrive over ~1.5 s, across the SIGTERM; three on keep-alive connections.
  const slow = await Promise.all(Array.from({ length: 6 }, () => connect(port)));
  slow.forEach((c, i) => c.socket.write(head(i % 2 === 0) + decisionBody.slice(0, 10)));
  const idle = await connect(port);
  idle.socket.write(head(true) + decisionBody); // served before the signal; its connection stays open, idle
  await until('the idle connection to be answered', () => firstResponse(idle.received));
  await sleep(200);
  const signalledAt = performance.now();
  s.child.kill('SIGTERM');
  await sleep(300);
  let refused: unknown;
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`);
  } catch (err) {
    refused = err;
  }
  t.ok(refused, 'a new connection after SIGTERM is refused');
  t.ok(idle.closed, 'the idle keep-alive connection was closed at SIGTERM');
  for (let k = 10; k < decisionBody.length; k += 20) {
    for (const c of slow) c.socket.write(decisionBody.slice(k, k + 20));
    await sleep(30);
  }
  const code = await s.exited;
  const ms = performance.now() - signalledAt;
  slow.forEach((c, i) => {
    const res = firstResponse(c.received);
    t.equal(res?.status, 200, `slow request ${i} completed`);
    t.match(res?.body, /"quantity":100/, `slow request ${i} has its whole body`);
    t.ok(c.closed, `connection ${i} closed after its response`);
    if (i % 2 === 0) t.equal(res?.headers.connection, 'close', `keep-alive connection ${i} was told Connection: close`);
  });
  t.equal(code, 0, 'exited 0: nothing was cut');
  t.ok(ms < 6000, `exited ${Math.round(ms)} ms after SIGTERM, without waiting out the keep-alive timeout`);
});
