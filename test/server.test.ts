/** The real process: configuration errors stop it clearly; SIGTERM lets an in-flight request finish. */
import net from 'node:net';
import t, { type Test } from 'tap';
import { loadConfig } from '../src/config.js';
import { spawnServer } from './server-process.js';


function start(t: Test, env: Record<string, string>) {
  return spawnServer(t, { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
}

t.test('a bad configuration value stops the start with a message naming it', async (t) => {
  const s = start(t, { PORT: 'eighty' });
  t.equal(await s.exited, 2);
  t.match(s.output(), /PORT must be an integer from 0 to 65535, got "eighty"/);
});

t.test('SLOW_REQUEST_MS is checked like every other variable', async (t) => {
  const s = start(t, { SLOW_REQUEST_MS: '0' });
  t.equal(await s.exited, 2);
  t.match(s.output(), /SLOW_REQUEST_MS must be an integer from 1 to 3600000, got "0"/);
});

t.test('PROCESS_METRICS is true or false; anything else stops the start', async (t) => {
  t.equal(loadConfig({}).processMetrics, true, 'on by default');
  t.equal(loadConfig({ PROCESS_METRICS: 'false' }).processMetrics, false);
  t.equal(loadConfig({ PROCESS_METRICS: 'true' }).processMetrics, true);
  t.throws(() => loadConfig({ PROCESS_METRICS: 'off' }), /PROCESS_METRICS must be true or false, got "off"/);
});

t.test('GC_METRICS is true or false (off by default); anything else stops the start', async (t) => {
  t.equal(loadConfig({}).gcMetrics, false, 'off by default');
  t.equal(loadConfig({ GC_METRICS: 'true' }).gcMetrics, true);
  t.equal(loadConfig({ GC_METRICS: 'false' }).gcMetrics, false);
  t.throws(() => loadConfig({ GC_METRICS: '1' }), /GC_METRICS must be true or false, got "1"/);
  t.throws(() => loadConfig({ GC_METRICS: 'true', PROCESS_METRICS: 'false' }), /GC_METRICS=true .* needs PROCESS_METRICS on/);
});

t.test('SIGTERM: the in-flight request finishes, then the process exits 0', async (t) => {
  const s = start(t, { PORT: '0' });
  const port = await s.listening;
  const body = JSON.stringify({
    policy: { type: 'twap' },
    order: { side: 'sell', quantity: 1000, horizon: 10, step: 0, remaining: 1000 },
    market: { bid: 10, ask: 10.01 },
  });
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  let response = '';
  socket.on('data', (d) => (response += d));
  // Send the headers and half the body, signal, then the rest: the request is in flight across the SIGTERM.
  socket.write(`POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  socket.write(body.slice(0, 20));
  await new Promise((r) => setTimeout(r, 200));
  s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  socket.write(body.slice(20));
  await new Promise((r) => socket.once('close', r));
  t.match(response, /^HTTP\/1\.1 200/);
  t.match(response, /"quantity":100/);
  t.equal(await s.exited, 0);
  t.match(s.output(), /closing: finishing in-flight requests/);
});
