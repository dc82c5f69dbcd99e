import t from 'tap';
import { Writable } from 'node:stream';
import { build, market, sellOrder } from '../helper.js';
import type { ModelSource } from '../../src/registry/served-models.js';

const post = (app: Awaited<ReturnType<typeof build>>, body: unknown, url = '/v1/decisions') =>
  app.inject({ method: 'POST', url, payload: body as object });

const ac = { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 };

t.test('each baseline answers a slice', async (t) => {
  const app = await build(t);
  const cases: Array<[unknown, number]> = [
    [{ type: 'twap' }, 5000], // 85000 / 17
    [{ type: 'vwap', volumeProfile: Array(20).fill(1) }, 5000],
    [{ type: 'vwap' }, -1],
    [{ type: 'pov', rate: 0.1 }, 4000], // 0.1 x 40000
    [ac, -1],
  ];
  for (const [policy, expected] of cases) {
    const res = await post(app, { policy, order: sellOrder, market });
    t.equal(res.statusCode, 200, JSON.stringify(policy));
    const body = res.json();
    if (expected >= 0) t.equal(body.quantity, expected);
    t.ok(body.quantity > 0 && body.quantity <= 8000, 'within the 20% cap of 40000');
    t.equal(body.quantity % 100, 0, 'whole lots');
    t.equal(body.remainingAfter, 85000 - body.quantity);
    t.equal(body.policy.type, (policy as { type: string }).type);
    t.ok(Math.abs(body.cumulativeShortfall) < 1e-6, 'sold 15000 at the arrival price: IS 0');
  }
});

t.test('risk aversion front-loads Almgren-Chriss against TWAP', async (t) => {
  const app = await build(t);
  const order = { ...sellOrder, maxParticipation: undefined, lotSize: 1 };
  const twap = (await post(app, { policy: { type: 'twap' }, order, market })).json().quantity;
  const acq = (await post(app, { policy: { ...ac, riskAversion: 1e-5 }, order, market })).json().quantity;
  t.ok(acq > twap, `AC ${acq} > TWAP ${twap}`);
});

t.test('terminal step forces the rest through the cap and says so; a limit blocks it', async (t) => {
  const app = await build(t);
  const order = { ...sellOrder, step: 19, remaining: 30000 };
  const res = (await post(app, { policy: { type: 'twap' }, order, market })).json();
  t.match(res, { quantity: 30000, forced: true, capped: false });
  const blocked = (await post(app, { policy: { type: 'twap' }, order: { ...order, limitPrice: 100 }, market })).json();
  t.match(blocked, { quantity: 0, limited: true, unexecuted: 30000, forced: false });
});

t.test('bad input: 400 with the field path and the reason', async (t) => {
  const app = await build(t);
  const cases: Array<[string, unknown, string]> = [
    ['quantity <= 0', { order: { ...sellOrder, quantity: 0 } }, 'order.quantity'],
    ['remaining > quantity', { order: { ...sellOrder, remaining: 200000 } }, 'order.remaining'],
    ['negative remaining', { order: { ...sellOrder, remaining: -1 } }, 'order.remaining'],
    ['step >= horizon', { order: { ...sellOrder, step: 20 } }, 'order.step'],
    ['negative step', { order: { ...sellOrder, step: -1 } }, 'order.step'],
    ['bid > ask', { market: { ...market, bid: 100, ask: 99 } }, 'market.bid'],
    ['non-number', { market: { ...market, bid: 'x' } }, 'market.bid'],
    ['string number', { order: { ...sellOrder, quantity: '100000' } }, 'order.quantity'],
    ['lotSize 0', { order: { ...sellOrder, lotSize: 0 } }, 'order.lotSize'],
    ['maxParticipation > 1', { order: { ...sellOrder, maxParticipation: 1.5 } }, 'order.maxParticipation'],
    ['maxParticipation without volume', { market: { bid: 99.95, ask: 99.97 } }, 'market.volume'],
    ['profile length', { policy: { type: 'vwap', volumeProfile: [1, 2, 3] } }, 'policy.volumeProfile'],
    ['unknown policy', { policy: { type: 'magic' } }, 'policy.type'],
    ['missing policy type', { policy: {} }, 'policy.type'],
    ['unknown field', { order: { ...sellOrder, maxParticipaton: 0.1 } }, 'order.maxParticipaton'],
    ['unknown side', { order: { ...sellOrder, side: 'short' } }, 'order.side'],
    ['missing order', { order: undefined }, 'order'],
    ['eta_tilde <= 0', { policy: { ...ac, eta: 1e-7 } }, 'policy.eta'],
    ['pov rate 0', { policy: { type: 'pov', rate: 0 } }, 'policy.rate'],
    ['pov without volume', { policy: { type: 'pov', rate: 0.1 }, order: { ...sellOrder, maxParticipation: undefined }, market: { bid: 99.95, ask: 99.97 } }, 'market.volume'],
    ['level 1 not the touch', { market: { ...market, levels: [{ bidPrice: 99, bidSize: 1, askPrice: 101, askSize: 1 }] } }, 'market.levels.0'],
    ['crossed level', { market: { ...market, levels: [{ bidPrice: 99.95, bidSize: 1, askPrice: 99.97, askSize: 1 }, { bidPrice: 99.99, bidSize: 1, askPrice: 99.98, askSize: 1 }] } }, 'market.levels.1.bidPrice'],
    ['executedNotional with nothing executed', { order: { ...sellOrder, remaining: 100000 } }, 'order.executedNotional'],
    ['bad fallback', { policy: { type: 'dqn', model: 'default', fallback: { type: 'pov', rate: 7 } } }, 'policy.fallback.rate'],
    ['bad explain', { __query: '?explain=maybe' }, 'querystring.explain'],
  ];
  for (const [name, patch, path] of cases) {
    const { __query, ...rest } = patch as { __query?: string };
    const body = { policy: { type: 'twap' }, order: sellOrder, market, ...rest };
    const res = await post(app, body, `/v1/decisions${__query ?? ''}`);
    t.equal(res.statusCode, 400, `${name}: status`);
    const err = res.json();
    t.match(err, { statusCode: 400, error: 'Bad Request' }, `${name}: error body`);
    t.ok(
      err.details.some((d: { path: string; reason: string }) => d.path === path && d.reason.length > 0),
      `${name}: details name ${path} (got ${JSON.stringify(err.details)})`,
    );
  }
});

t.test('a huge number (1e400 parses to Infinity) is a 400, not a 500', async (t) => {
  const app = await build(t);
  const raw = JSON.stringify({ policy: { type: 'twap' }, order: sellOrder, market }).replace('"volume":40000', '"volume":1e400');
  const res = await app.inject({ method: 'POST', url: '/v1/decisions', payload: raw, headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 400);
  t.equal(res.json().details[0].path, 'market.volume');
});

t.test('malformed JSON 400, oversized 413, wrong media type 415, unknown route 404 JSON', async (t) => {
  const app = await build(t, { bodyLimit: 2048 });
  const bad = await app.inject({ method: 'POST', url: '/v1/decisions', payload: '{"policy":', headers: { 'content-type': 'application/json' } });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { statusCode: 400, details: [] });
  const big = await post(app, { policy: { type: 'vwap', volumeProfile: Array(2000).fill(1) }, order: sellOrder, market });
  t.equal(big.statusCode, 413);
  t.match(big.json(), { statusCode: 413, error: 'Payload Too Large' });
  const text = await app.inject({ method: 'POST', url: '/v1/decisions', payload: 'hello', headers: { 'content-type': 'text/plain' } });
  t.equal(text.statusCode, 415);
  const missing = await app.inject({ method: 'GET', url: '/v2/nothing' });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { statusCode: 404, error: 'Not Found', message: /GET \/v2\/nothing/ });
});

t.test('dqn: 404 model not found until a model exists; fallback answers and says so', async (t) => {
  const app = await build(t);
  const res = await post(app, { policy: { type: 'dqn', model: 'default' }, order: sellOrder, market });
  t.equal(res.statusCode, 404);
  t.match(res.json(), { statusCode: 404, message: /model not found: default/, details: [{ path: 'policy.model' }] });
  const fb = await post(app, { policy: { type: 'dqn', model: 'default', fallback: { type: 'twap' } }, order: sellOrder, market });
  t.equal(fb.statusCode, 200);
  t.match(fb.json(), { quantity: 5000, fallback: true, fallbackReason: /model not found/, policy: { type: 'twap' } });
});

t.test('dqn: a served model decides, the constraint layer still applies, explain shows its inputs', async (t) => {
  const greedy: ModelSource = {
    resolve: (name) =>
      name === 'greedy'
        ? { name, version: '1', infer: () => ({ action: 38, proposal: 1e9, qValues: [0, 1], observation: [1, 2, 3, 4, 5, 6, 7, 8], mask: [true, true] }) }
        : undefined,
    list: () => [{ name: 'greedy', version: '1', status: 'loaded' }],
  };
  const app = await build(t, { models: greedy });
  const res = await post(app, { policy: { type: 'dqn', model: 'greedy' }, order: sellOrder, market }, '/v1/decisions?explain=true');
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.match(body, { quantity: 8000, capped: true, action: 38, policy: { type: 'dqn', model: 'greedy', version: '1' } });
  t.equal(body.observation.inventory, 1);
  t.same(body.qValues, [0, 1]);
  const plain = (await post(app, { policy: { type: 'dqn', model: 'greedy' }, order: sellOrder, market })).json();
  t.notOk('qValues' in plain, 'no explain fields unless asked');
  const listed = (await app.inject({ method: 'GET', url: '/v1/policies' })).json();
  t.match(listed.models, [{ name: 'greedy', status: 'loaded' }]);
});

t.test('a model that throws falls back or answers 503, never crashes', async (t) => {
  const broken: ModelSource = {
    resolve: (name) => ({ name, infer: () => { throw new Error('NaN weights'); } }),
    list: () => [],
  };
  const app = await build(t, { models: broken });
  const res = await post(app, { policy: { type: 'dqn', model: 'x' }, order: sellOrder, market });
  t.equal(res.statusCode, 503);
  t.notMatch(res.json().message, /NaN weights/, 'no internals in the body');
  const fb = await post(app, { policy: { type: 'dqn', model: 'x', fallback: { type: 'twap' } }, order: sellOrder, market });
  t.match(fb.json(), { fallback: true, quantity: 5000 });
});

t.test('a request that logs writes its request id (its logger is made when it writes a line)', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
  const broken: ModelSource = { resolve: (name) => ({ name, infer: () => { throw new Error('NaN weights'); } }), list: () => [] };
  const app = await build(t, { models: broken, logger: { level: 'info', stream } });
  const quiet = await post(app, { policy: { type: 'twap' }, order: sellOrder, market });
  t.equal(quiet.statusCode, 200);
  t.same(lines.filter((l) => l.reqId !== undefined), [], 'a request that logs nothing leaves no line');
  const res = await app.inject({
    method: 'POST', url: '/v1/decisions', headers: { 'x-request-id': 'trace-42' },
    payload: { policy: { type: 'dqn', model: 'x', fallback: { type: 'twap' } }, order: sellOrder, market },
  });
  t.equal(res.statusCode, 200);
  const failed = lines.filter((l) => l.msg === 'model failed to decide');
  t.equal(failed.length, 1);
  t.match(failed[0], { reqId: 'trace-42', level: 50, model: 'x', err: { message: 'NaN weights' } });
});

t.test('with per-request logging on, a failing model is logged once, with its request id', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
  const broken: ModelSource = { resolve: (name) => ({ name, infer: () => { throw new Error('NaN weights'); } }), list: () => [] };
  const app = await build(t, { models: broken, logger: { level: 'info', stream }, requestLogging: true });
  const res = await app.inject({
    method: 'POST', url: '/v1/decisions', headers: { 'x-request-id': 'trace-43' },
    payload: { policy: { type: 'dqn', model: 'x', fallback: { type: 'twap' } }, order: sellOrder, market },
  });
  t.equal(res.statusCode, 200);
  t.match(lines.filter((l) => l.msg === 'model failed to decide'), [{ reqId: 'trace-43', level: 50, model: 'x' }]);
  t.equal(lines.filter((l) => l.msg === 'model failed to decide').length, 1);
  t.ok(lines.some((l) => l.reqId === 'trace-43' && l.msg === 'request completed'), "and Fastify's own lines carry the same id");
});

/** Models whose every decision keeps the event loop busy for `ms`. */
const spinning = (ms: number): ModelSource => ({
  resolve: (name) => ({
    name,
    infer: () => {
      const until = Date.now() + ms;
      while (Date.now() < until);
      return { action: 0, proposal: 0, qValues: [0], observation: [1, 2, 3, 4, 5, 6, 7, 8], mask: [true] };
    },
  }),
  list: () => [],
});

t.test('a slow answer is logged at warn with its request id, and counted in its route histogram', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
  const app = await build(t, { models: spinning(300), logger: { level: 'info', stream } }); // over the 250 ms threshold
  const res = await app.inject({
    method: 'POST', url: '/v1/decisions', headers: { 'x-request-id': 'slow-1' },
    payload: { policy: { type: 'dqn', model: 'x' }, order: sellOrder, market },
  });
  t.equal(res.statusCode, 200);
  const warned = lines.filter((l) => l.msg === 'slow request');
  t.equal(warned.length, 1);
  t.match(warned[0], { reqId: 'slow-1', level: 40, statusCode: 200 });
  t.ok((warned[0].ms as number) >= 300);
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /http_request_duration_seconds_bucket\{le="0.5",method="POST",route="\/v1\/decisions",status_code="200",policy="dqn"\} 1/);
  t.match(metrics, /http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/v1\/decisions",status_code="200",policy="dqn"\} 0/);
});

t.test('slowRequestMs sets the slow-request threshold (SLOW_REQUEST_MS)', async (t) => {
  const warnings = async (slowRequestMs: number | undefined) => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
    const app = await build(t, { models: spinning(30), logger: { level: 'info', stream }, slowRequestMs });
    const res = await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'x' }, order: sellOrder, market } });
    t.equal(res.statusCode, 200);
    return lines.filter((l) => l.msg === 'slow request').length;
  };
  t.equal(await warnings(10), 1, 'a 30 ms answer is slow over a 10 ms threshold');
  t.equal(await warnings(undefined), 0, 'and not over the default 250 ms');
});

t.test("logging: the app's and Fastify's own lines reach the logger; per-request lines only with requestLogging", async (t) => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
    return { lines, stream };
  };
  const quiet = capture();
  const app = await build(t, { logger: { level: 'info', stream: quiet.stream } });
  app.log.info({ probe: 1 }, 'app line');
  app.log.info({ res: { statusCode: 201, raw: { huge: true } } }, 'reply line');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const res = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/decisions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'quiet-1' },
    body: JSON.stringify({ policy: { type: 'twap' }, order: sellOrder, market }),
  });
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-request-id'), 'quiet-1');
  t.ok(quiet.lines.some((l) => l.msg === 'app line' && l.probe === 1), "the app's own line");
  t.same(quiet.lines.find((l) => l.msg === 'reply line')?.res, { statusCode: 201 }, "a reply is logged by Fastify's fields, not whole");
  t.ok(quiet.lines.some((l) => String(l.msg).startsWith('Server listening at')), "Fastify's own line (it runs without a logger of its own)");
  t.same(quiet.lines.filter((l) => l.reqId !== undefined), [], 'no per-request lines by default');

  const verbose = capture();
  const logged = await build(t, { logger: { level: 'info', stream: verbose.stream }, requestLogging: true });
  const answered = await logged.inject({
    method: 'POST', url: '/v1/decisions', headers: { 'x-request-id': 'loud-1' },
    payload: { policy: { type: 'twap' }, order: sellOrder, market },
  });
  t.equal(answered.statusCode, 200);
  const mine = verbose.lines.filter((l) => l.reqId === 'loud-1');
  t.match(mine, [
    { msg: 'incoming request', req: { method: 'POST', url: '/v1/decisions' } },
    { msg: 'request completed', res: { statusCode: 200 }, responseTime: Number },
  ]);
});

t.test('request id: taken from x-request-id when safe, made otherwise, echoed back', async (t) => {
  const app = await build(t);
  const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  t.equal(given.headers['x-request-id'], 'abc-123');
  const unsafe = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\nINJECT' } });
  t.match(unsafe.headers['x-request-id'], /^[0-9a-f-]{36}$/);
});

t.test('health, readiness, policies, metrics per route and policy', async (t) => {
  const app = await build(t);
  t.same((await app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
  t.match((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
  const policies = (await app.inject({ method: 'GET', url: '/v1/policies' })).json();
  t.same(policies.baselines.map((b: { type: string }) => b.type), ['twap', 'vwap', 'pov', 'almgren-chriss']);
  await post(app, { policy: { type: 'twap' }, order: sellOrder, market });
  await post(app, { policy: ac, order: sellOrder, market });
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(metrics.statusCode, 200);
  t.match(metrics.body, /http_request_duration_seconds_count\{method="POST",route="\/v1\/decisions",status_code="200",policy="twap"\} 1/);
  t.match(metrics.body, /policy="almgren-chriss"\} 1/);
  // A bad request is counted under its status; unknown routes and /metrics itself are not counted at all.
  await post(app, { policy: { type: 'twap' }, order: { ...sellOrder, remaining: -1 }, market });
  await app.inject({ method: 'GET', url: '/no-such-route' });
  const again = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(again, /http_request_duration_seconds_count\{method="POST",route="\/v1\/decisions",status_code="400",policy="none"\} 1/);
  t.match(again, /policy="twap"\} 1\n/, 'the twap series did not count the bad request');
  t.notMatch(again, /no-such-route|route="\/metrics"/);
  t.match(again, /process_cpu_user_seconds_total/, 'process metrics are served by default');
  t.match(again, /nodejs_eventloop_lag_p99_seconds/, 'event-loop lag too');
  t.notMatch(again, /nodejs_gc_duration_seconds/, 'the GC histogram only with gcMetrics');
});

t.test('gcMetrics: true adds the GC duration histogram to the process metrics', async (t) => {
  const app = await build(t, { gcMetrics: true });
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(body, /# TYPE nodejs_gc_duration_seconds histogram/);
  t.match(body, /process_cpu_user_seconds_total/);
});

t.test('processMetrics: false serves the route histogram without prom-client process metrics', async (t) => {
  const app = await build(t, { processMetrics: false });
  await post(app, { policy: { type: 'twap' }, order: sellOrder, market });
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(body, /http_request_duration_seconds_count\{method="POST",route="\/v1\/decisions",status_code="200",policy="twap"\} 1/);
  t.notMatch(body, /process_cpu_user_seconds_total|nodejs_eventloop_lag|nodejs_gc_duration/);
});

t.test('docs are served', async (t) => {
  const app = await build(t);
  t.equal((await app.inject({ method: 'GET', url: '/docs/' })).statusCode, 200);
  const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  t.ok(spec.paths['/v1/decisions'].post);
});
