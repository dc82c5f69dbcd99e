/**
 * The admin flow end to end on the embedded store: auth, train -> evaluate -> promote -> serve, cancel, a failing
 * job, the promotion gate, restart persistence, the atomic alias swap under load, and bad input everywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { FileJobStore } from '../../src/jobs/file-store.js';
import { promotionEvidence } from '../../src/routes/admin/models.js';
import { tinyTraining } from '../helper.js';
import { makeArtifact } from '../models/fixtures.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
type App = Awaited<ReturnType<typeof buildApp>>;

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ess-admin-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(t: Test, dataDir: string, extra: Partial<Parameters<typeof buildApp>[0]> = {}) {
  const app = await buildApp({ dataDir, admin: { token: TOKEN, rateLimitMax: 10000 }, metrics: false, ...extra });
  t.teardown(() => app.close());
  return app;
}


async function waitFor(app: App, url: string, done: (job: { status: string }) => boolean, timeoutMs = 120000) {
  const t0 = Date.now();
  for (;;) {
    const job = (await app.inject({ method: 'GET', url, headers: auth })).json();
    if (done(job)) return job;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting on ${url}: ${JSON.stringify(job).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const finished = (j: { status: string }) => !['queued', 'running'].includes(j.status);

const order = { side: 'sell', quantity: 100000, horizon: 20, step: 0, remaining: 100000 };
const market = { bid: 99.99, ask: 100.01, volume: 10000, averageVolume: 50000, volatility: 0.05 };

t.test('auth: disabled without a token, 401 without or with a wrong token, open with the right one', async (t) => {
  const dataDir = tempDir(t);
  const off = await buildApp({ dataDir, metrics: false });
  t.teardown(() => off.close());
  const disabled = await off.inject({ method: 'GET', url: '/admin/models', headers: auth });
  t.equal(disabled.statusCode, 503);
  t.match(disabled.json().message, /admin disabled: set ADMIN_TOKEN/);

  const app = await open(t, dataDir);
  const none = await app.inject({ method: 'GET', url: '/admin/models' });
  t.equal(none.statusCode, 401);
  t.equal(none.headers['www-authenticate'], 'Bearer realm="admin"');
  const wrong = await app.inject({ method: 'GET', url: '/admin/models', headers: { authorization: 'Bearer nope' } });
  t.equal(wrong.statusCode, 401);
  t.match(wrong.json(), { statusCode: 401, message: 'invalid admin token' });
  const right = await app.inject({ method: 'GET', url: '/admin/models', headers: auth });
  t.equal(right.statusCode, 200);
  t.same(right.json(), { items: [] });
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the public routes need no token');
});

t.test('admin routes are rate-limited', async (t) => {
  const app = await open(t, tempDir(t), { admin: { token: TOKEN, rateLimitMax: 3 } });
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await app.inject({ method: 'GET', url: '/admin/models', headers: auth })).statusCode);
  t.same(codes, [200, 200, 200, 429, 429]);
});

t.test('lifecycle: train -> version registered -> evaluate -> gate refuses -> forced promotion -> served; restart keeps it all', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  const queued = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: tinyTraining });
  t.equal(queued.statusCode, 202);
  t.match(queued.headers.location, /^\/admin\/training-jobs\/[0-9a-f-]{36}$/);
  t.equal(queued.json().status, 'queued');
  const job = await waitFor(app, queued.headers.location as string, finished);
  t.equal(job.status, 'succeeded', job.error);
  t.match(job, { progress: { done: 30, total: 30, percent: 100 }, result: { model: 'tiny', version: '1' } });
  t.ok(job.curve.length > 0 && job.curve.every((p: { episode: number }) => p.episode >= 1), 'a learning curve');

  const listed = (await app.inject({ method: 'GET', url: '/admin/training-jobs?status=succeeded', headers: auth })).json();
  t.equal(listed.total, 1);
  const model = (await app.inject({ method: 'GET', url: '/admin/models/tiny', headers: auth })).json();
  t.match(model, { name: 'tiny', aliases: {}, versions: [{ version: '1', source: 'training', jobId: job.id, metadata: { format: 'dqn-artifact-v1' } }] });

  // No production alias yet: the default version is production, so the model does not serve.
  const before = await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'tiny' }, order, market } });
  t.equal(before.statusCode, 404);

  const gate = await app.inject({ method: 'PUT', url: '/admin/models/tiny/aliases/production', headers: auth, payload: { version: '1' } });
  t.equal(gate.statusCode, 409, 'no evaluation yet');
  t.match(gate.json().message, /no evaluation of dqn:tiny@1/);

  const ev = await app.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'regime-liquidity', episodes: 200, policies: ['twap', 'dqn:tiny@1'] } });
  t.equal(ev.statusCode, 202);
  const evaluation = await waitFor(app, ev.headers.location as string, finished);
  t.equal(evaluation.status, 'succeeded', evaluation.error);
  t.ok(evaluation.result.policies['dqn:tiny@1'].vsTwap, 'results name the concrete version');
  t.notOk('shortfallBps' in evaluation.result, 'per-episode arrays only with ?full=true');
  const full = (await app.inject({ method: 'GET', url: `${ev.headers.location}?full=true`, headers: auth })).json();
  t.equal(full.result.shortfallBps.twap.length, 200);
  const report = await app.inject({ method: 'GET', url: `${ev.headers.location}/report`, headers: auth });
  t.equal(report.statusCode, 200);
  t.match(report.headers['content-type'], /text\/html/);
  t.match(report.body, /dqn:tiny@1/);

  // A 30-episode model does not beat TWAP: the gate holds unless forced.
  const evidence = evaluation.result.policies['dqn:tiny@1'].vsTwap;
  const refused = await app.inject({ method: 'PUT', url: '/admin/models/tiny/aliases/production', headers: auth, payload: { version: '1' } });
  if (evidence.meanDiffBps > 0 && evidence.tStat >= 2) t.equal(refused.statusCode, 200, 'it did beat TWAP: promoted');
  else {
    t.equal(refused.statusCode, 409);
    t.match(refused.json().message, /promotion refused: evaluation .* mean difference to TWAP/);
    const forced = await app.inject({ method: 'PUT', url: '/admin/models/tiny/aliases/production', headers: auth, payload: { version: '1', force: true } });
    t.equal(forced.statusCode, 200);
    t.match(forced.json().aliases, { production: '1' });
  }
  const served = await app.inject({ method: 'POST', url: '/v1/decisions?explain=true', payload: { policy: { type: 'dqn', model: 'tiny' }, order, market } });
  t.equal(served.statusCode, 200);
  t.match(served.json(), { policy: { type: 'dqn', model: 'tiny', version: '1' } });
  t.equal(served.json().qValues.length, 39);

  // Deleting an aliased version is refused; a staging alias works like any other.
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/models/tiny/versions/1', headers: auth })).statusCode, 409);
  t.equal((await app.inject({ method: 'PUT', url: '/admin/models/tiny/aliases/staging', headers: auth, payload: { version: '1' } })).statusCode, 200);

  await app.close();
  const again = await open(t, dataDir);
  t.match((await again.inject({ method: 'GET', url: '/admin/models/tiny', headers: auth })).json(), { aliases: { production: '1', staging: '1' } });
  t.equal((await again.inject({ method: 'GET', url: '/admin/evaluations', headers: auth })).json().total, 1);
  t.equal((await again.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'tiny', version: 'staging' }, order, market } })).statusCode, 200);
});

t.test('cancel stops a running job within two seconds; a failing job is failed with its reason', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  const long = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...tinyTraining, episodes: 1_000_000 } });
  const url = long.headers.location as string;
  await waitFor(app, url, (j) => j.status === 'running');
  const t0 = Date.now();
  const cancelled = await app.inject({ method: 'POST', url: `${url}/cancel`, headers: auth });
  t.equal(cancelled.json().status, 'cancelled');
  t.ok(Date.now() - t0 < 2000, `cancelled in ${Date.now() - t0} ms`);

  const bad = join(dataDir, 'market-data', 'not-lobster.csv'); // inside the default data root
  await mkdir(join(dataDir, 'market-data'));
  await writeFile(bad, 'this,is\nnot,lobster\n');
  const failing = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...tinyTraining, scenario: 'lob-replay', data: [bad] } });
  t.equal(failing.statusCode, 202);
  const failed = await waitFor(app, failing.headers.location as string, finished);
  t.equal(failed.status, 'failed');
  t.ok(failed.error && failed.error.length > 0, `reason: ${failed.error}`);
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the service is still up');
});

t.test('at most MAX_CONCURRENT_JOBS run; the rest wait queued; a queued job cancels at once', async (t) => {
  const app = await open(t, tempDir(t), { admin: { token: TOKEN, rateLimitMax: 10000, maxConcurrentJobs: 1 } });
  const a = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...tinyTraining, episodes: 1_000_000 } });
  const b = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: tinyTraining });
  await waitFor(app, a.headers.location as string, (j) => j.status === 'running');
  t.equal((await app.inject({ method: 'GET', url: b.headers.location as string, headers: auth })).json().status, 'queued');
  t.equal((await app.inject({ method: 'POST', url: `${b.headers.location}/cancel`, headers: auth })).json().status, 'cancelled');
  t.equal((await app.inject({ method: 'POST', url: `${a.headers.location}/cancel`, headers: auth })).json().status, 'cancelled');
});

t.test('a job left running by a dead process is failed as interrupted at the next start', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileJobStore(dataDir);
  const base = { kind: 'training' as const, createdAt: new Date().toISOString(), request: {}, progress: { done: 3, total: 10, percent: 30 }, curve: [] };
  await store.create({ ...base, id: 'left-running', status: 'running' });
  await store.create({ ...base, id: 'left-done', status: 'succeeded' });
  const app = await open(t, dataDir);
  t.match((await app.inject({ method: 'GET', url: '/admin/training-jobs/left-running', headers: auth })).json(), { status: 'failed', error: /interrupted/ });
  t.equal((await app.inject({ method: 'GET', url: '/admin/training-jobs/left-done', headers: auth })).json().status, 'succeeded');
});

t.test('evaluations on both sides: intervals, Holm p, sessions; an evaluation stored before them still renders', async (t) => {
  const dataDir = tempDir(t);
  // An evaluation in the form stored before sessions, sides and intervals: no ci95, pValueHolm, sessions or side.
  await new FileJobStore(dataDir).create({
    id: 'old-form',
    kind: 'evaluation',
    status: 'succeeded',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    request: { scenario: 'regime-liquidity', episodes: 2, policies: ['twap', 'vwap'] },
    progress: { done: 2, total: 2, percent: 100 },
    curve: [],
    result: {
      scenario: 'regime-liquidity',
      episodes: 2,
      seed: 9_000_000,
      policies: Object.fromEntries(
        ['twap', 'vwap'].map((p) => [p, { meanBps: 15, medianBps: 15, stdBps: 1, var95Bps: 16, vsTwap: { meanDiffBps: 0, tStat: 0, winRate: 0.5, gainLossRatio: 1 } }]),
      ),
      shortfallBps: { twap: [14, 16], vwap: [14, 16] },
      inventoryPaths: { twap: [[1, 0.5, 0]], vwap: [[1, 0.5, 0]] },
      schedules: { twap: { frontLoadShare: 0.5, firstSliceShare: 0.5, dispersion: 0, flags: [] }, vwap: { frontLoadShare: 0.5, firstSliceShare: 0.5, dispersion: 0, flags: [] } },
    },
  });
  const app = await open(t, dataDir);
  const old = await app.inject({ method: 'GET', url: '/admin/evaluations/old-form/report', headers: auth });
  t.equal(old.statusCode, 200, old.body.slice(0, 300));
  t.match(old.body, /n\/a/, 'the missing interval shows as n/a');

  const ev = await app.inject({
    method: 'POST',
    url: '/admin/evaluations',
    headers: auth,
    payload: { scenario: 'almgren-chriss', params: { mu: -0.02 }, episodes: 50, sides: 'both', policies: ['twap', 'vwap', 'almgren-chriss', 'pov'] },
  });
  t.equal(ev.statusCode, 202, ev.body);
  const evaluation = await waitFor(app, ev.headers.location as string, finished);
  t.equal(evaluation.status, 'succeeded', evaluation.error);
  const result = evaluation.result;
  t.match(result, { side: 'both', episodes: 50, sessions: 50 });
  for (const view of [result, result.bySide.sell, result.bySide.buy]) {
    t.match(view.policies.pov.vsTwap, { meanDiffBps: Number, tStat: Number, ci95: [Number, Number], pValueHolm: Number, winRate: Number });
    t.notOk('shortfallBps' in view, 'per-episode arrays only with ?full=true');
  }
  const full = (await app.inject({ method: 'GET', url: `${ev.headers.location}?full=true`, headers: auth })).json();
  t.equal(full.result.bySide.buy.shortfallBps.pov.length, 50);
  const report = await app.inject({ method: 'GET', url: `${ev.headers.location}/report`, headers: auth });
  t.equal(report.statusCode, 200);
  t.match(report.body, /both sides/);
  const bad = await app.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'almgren-chriss', episodes: 5, sides: 'long', policies: ['twap'] } });
  t.equal(bad.statusCode, 400);
  t.ok(bad.json().details.some((d: { path: string }) => d.path === 'sides'), JSON.stringify(bad.json().details));
});

t.test('promotion gate: evidence that beats TWAP at the configured t passes, anything else does not', async (t) => {
  const store = new FileJobStore(tempDir(t));
  const evaluation = (id: string, createdAt: string, meanDiffBps: number, tStat: number) => ({
    id,
    kind: 'evaluation' as const,
    status: 'succeeded' as const,
    createdAt,
    request: {},
    progress: { done: 1, total: 1, percent: 100 },
    curve: [],
    result: { policies: { 'dqn:m@2': { vsTwap: { meanDiffBps, tStat } } } },
  });
  t.match(await promotionEvidence(store, 'm', '2', 2), { ok: false, reason: /no evaluation/ });
  await store.create(evaluation('old', '2026-01-01T00:00:00.000Z', 1.5, 8));
  t.match(await promotionEvidence(store, 'm', '2', 2), { ok: true, evaluation: 'old' });
  t.match(await promotionEvidence(store, 'm', '2', 10), { ok: false }, 'a stricter t refuses');
  t.match(await promotionEvidence(store, 'm', '3', 2), { ok: false }, 'another version has no evidence');
  await store.create(evaluation('new', '2026-02-01T00:00:00.000Z', -0.5, -3));
  t.match(await promotionEvidence(store, 'm', '2', 2), { ok: false, evaluation: 'new' }, 'the newest evaluation decides');
  await store.create({
    ...evaluation('flagged', '2026-03-01T00:00:00.000Z', 3, 20),
    result: { policies: { 'dqn:m@2': { vsTwap: { meanDiffBps: 3, tStat: 20 } } }, schedules: { 'dqn:m@2': { flags: ['front-loaded'] } } },
  });
  t.match(await promotionEvidence(store, 'm', '2', 2), { ok: false, reason: /schedule flagged: front-loaded/ }, 'a degenerate schedule is refused');
});

t.test('alias swap under load: every request answered, each by a whole version', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  // Two versions uploaded, as an operator brings models trained elsewhere: small untrained artifacts serve as
  // well as trained ones here (the lifecycle test above covers training), and take no time to make.
  for (const seed of [7, 8]) {
    const artifact = await makeArtifact(seed);
    const upload = await app.inject({
      method: 'POST',
      url: '/admin/models/tiny/versions',
      headers: auth,
      payload: { modelJson: artifact.modelJson, weights: Buffer.from(artifact.weightData).toString('base64'), metadata: artifact.metadata },
    });
    t.equal(upload.statusCode, 201, upload.body);
  }
  t.same((await app.inject({ method: 'GET', url: '/admin/models/tiny', headers: auth })).json().versions.map((v: { version: string }) => v.version), ['1', '2']);
  await app.inject({ method: 'PUT', url: '/admin/models/tiny/aliases/production', headers: auth, payload: { version: '1', force: true } });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let stop = false;
  const seen = new Map<string, number>();
  const failures: string[] = [];
  const client = async () => {
    while (!stop) {
      const res = await fetch(`${base}/v1/decisions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ policy: { type: 'dqn', model: 'tiny' }, order, market }),
      });
      const body = (await res.json()) as { policy: { version: string } };
      if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(body)}`);
      else seen.set(body.policy.version, (seen.get(body.policy.version) ?? 0) + 1);
    }
  };
  const clients = Array.from({ length: 8 }, client);
  for (let i = 0; i < 20; i++) {
    const version = i % 2 === 0 ? '2' : '1';
    const res = await fetch(`${base}/admin/models/tiny/aliases/production`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ version, force: true }),
    });
    t.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 20));
  }
  stop = true;
  await Promise.all(clients);
  t.same(failures, [], 'no request failed during the swaps');
  t.ok((seen.get('1') ?? 0) > 0 && (seen.get('2') ?? 0) > 0, `both versions served: ${JSON.stringify([...seen])}`);
  t.same([...seen.keys()].sort(), ['1', '2'], 'only whole versions');
});

t.test('bad input on every admin route: 4xx naming the field, never 5xx', async (t) => {
  const app = await open(t, tempDir(t));
  const cases: Array<[string, string, unknown, number, string]> = [
    ['POST', '/admin/training-jobs', { ...tinyTraining, episodes: 0 }, 400, 'episodes'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, scenario: 'moon' }, 400, 'scenario'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, model: 'bad name!' }, 400, 'model'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, params: { rho: 2 } }, 400, 'params'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, params: { bogus: 1 } }, 400, 'params.bogus'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, seed: 9_000_001 }, 400, 'seed'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, agent: { learningRate: -1 } }, 400, 'agent.learningRate'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, agent: { typo: 1 } }, 400, 'agent.typo'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, scenario: 'lob-replay' }, 400, 'data'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, scenario: 'lob-replay', data: ['/nope.zip'] }, 400, 'data.0'],
    ['POST', '/admin/training-jobs', { ...tinyTraining, riskAversion: 1e-6 }, 400, 'riskAversion'],
    ['GET', '/admin/training-jobs?limit=0', undefined, 400, 'querystring.limit'],
    ['GET', '/admin/training-jobs?status=lost', undefined, 400, 'querystring.status'],
    ['GET', '/admin/training-jobs/not-a-job', undefined, 404, 'id'],
    ['GET', '/admin/training-jobs/bad%20id', undefined, 400, 'params.id'],
    ['POST', '/admin/training-jobs/nope/cancel', undefined, 404, 'id'],
    ['GET', '/admin/models/nope', undefined, 404, 'name'],
    ['PUT', '/admin/models/nope/aliases/production', { version: '1' }, 404, 'name'],
    ['PUT', '/admin/models/nope/aliases/production', { version: 'one' }, 400, 'version'],
    ['PUT', '/admin/models/nope/aliases/production', {}, 400, 'version'],
    ['DELETE', '/admin/models/nope/versions/1', undefined, 404, 'name'],
    ['DELETE', '/admin/models/nope/aliases/staging', undefined, 404, 'name'],
    ['POST', '/admin/models/m/versions', { modelJson: {}, weights: 'AAAA', metadata: { format: 'x' } }, 400, 'metadata.format'],
    ['POST', '/admin/models/m/versions', { modelJson: {} }, 400, 'weights'],
    ['POST', '/admin/evaluations', { scenario: 'regime-liquidity', episodes: 10, policies: [] }, 400, 'policies'],
    ['POST', '/admin/evaluations', { scenario: 'regime-liquidity', episodes: 10, policies: ['magic'] }, 400, 'policies.0'],
    ['POST', '/admin/evaluations', { scenario: 'regime-liquidity', episodes: 10, policies: ['twap', 'dqn:nope'] }, 400, 'policies.1'],
    ['POST', '/admin/evaluations', { scenario: 'intraday', episodes: 10, policies: ['oracle'] }, 400, 'policies.0'],
    ['POST', '/admin/evaluations', { scenario: 'regime-liquidity', episodes: 10_000_000, policies: ['twap'] }, 400, 'episodes'],
    ['POST', '/admin/evaluations', { scenario: 'almgren-chriss', params: { T: 390 }, episodes: 10, policies: ['twap'] }, 400, 'params.T'],
    ['GET', '/admin/evaluations/nope', undefined, 404, 'id'],
    ['GET', '/admin/evaluations/nope/report', undefined, 404, 'id'],
  ];
  for (const [method, url, payload, status, path] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
    t.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}: ${res.body.slice(0, 200)}`);
    t.ok(res.json().details.some((d: { path: string }) => d.path === path), `${method} ${url}: names ${path} in ${JSON.stringify(res.json().details)}`);
  }
});

t.test('bundled models: imported once as production; a new release arrives as a version without an alias', async (t) => {
  const { cp, readFile: read, writeFile: write } = await import('node:fs/promises');
  const dataDir = tempDir(t);
  const modelsDir = join(tempDir(t), 'models');
  await cp(new URL('../../models/default', import.meta.url), join(modelsDir, 'default'), { recursive: true });
  const first = await open(t, dataDir, { modelsDir });
  t.match((await first.inject({ method: 'GET', url: '/admin/models/default', headers: auth })).json(), { aliases: { production: '1' }, versions: [{ version: '1', source: 'bundled' }] });
  await first.close();
  const again = await open(t, dataDir, { modelsDir });
  t.equal((await again.inject({ method: 'GET', url: '/admin/models/default', headers: auth })).json().versions.length, 1, 'the same artifact is not imported twice');
  await again.close();

  // A new release: one weight nudged (and its checksum), as a retrained model would differ.
  const weightsPath = join(modelsDir, 'default', 'weights.bin');
  const bytes = await read(weightsPath);
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  floats[0] += 1e-3;
  await write(weightsPath, bytes);
  const { sha256Hex } = await import('../../src/models/artifact/artifact.js');
  const metaPath = join(modelsDir, 'default', 'metadata.json');
  const meta = JSON.parse(await read(metaPath, 'utf8'));
  meta.weightsSha256 = sha256Hex(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  await write(metaPath, JSON.stringify(meta));
  // The registry is not empty: the release is stored, but production moves only through the admin API's gate.
  const upgraded = await open(t, dataDir, { modelsDir });
  t.match((await upgraded.inject({ method: 'GET', url: '/admin/models/default', headers: auth })).json(), { aliases: { production: '1' }, versions: [{}, { version: '2', source: 'bundled' }] });
  t.match((await upgraded.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'default' }, order, market } })).json(), { policy: { version: '1' } });
  await upgraded.close();

  // A broken bundled artifact is listed as failed; the service still serves the rest.
  await write(join(modelsDir, 'default', 'model.json'), 'not json');
  const broken = await open(t, tempDir(t), { modelsDir });
  t.match((await broken.inject({ method: 'GET', url: '/v1/policies' })).json().models, [{ name: 'default', status: 'failed', error: /model.json/ }]);
});
