/**
 * The admin API and registry against the attacks and faults of a hardening pass: escaping model names, uploads
 * that loading would refuse, aliases onto versions that cannot serve, token guessing, data paths outside the
 * data roots, prototype keys, training settings that cannot train, a corrupt registry at start, orphans of
 * interrupted writes, the bundled-model import rule and the bound on loaded versions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { sha256Hex, type ModelArtifact } from '../../src/models/artifact/artifact.js';
import { FileRegistryStore } from '../../src/registry/file-store.js';
import { makeArtifact } from '../models/fixtures.js';
import { tinyTraining } from '../helper.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const order = { side: 'sell', quantity: 100000, horizon: 20, step: 0, remaining: 100000 };
const market = { bid: 99.99, ask: 100.01, volume: 10000, averageVolume: 50000, volatility: 0.05 };

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ess-hard-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Log lines as parsed JSON, from a pino stream. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

async function open(t: Test, dataDir: string, extra: Partial<Parameters<typeof buildApp>[0]> = {}) {
  const app = await buildApp({ dataDir, admin: { token: TOKEN, rateLimitMax: 10000 }, metrics: false, ...extra });
  t.teardown(() => app.close());
  return app;
}

const uploadBody = (a: ModelArtifact, modelJson: unknown = a.modelJson, metadata: unknown = a.metadata) => ({
  modelJson,
  weights: Buffer.from(a.weightData).toString('base64'),
  metadata,
});

/** The artifact with its first weight set to `value` (checksum updated): loads as far as the weight check. */
function withWeight(a: ModelArtifact, value: number): ModelArtifact {
  const floats = new Float32Array(a.weightData.slice(0));
  floats[0] = value;
  return { ...a, weightData: floats.buffer, metadata: { ...a.metadata, weightsSha256: sha256Hex(floats.buffer) } };
}

const names = (res: { json(): { details: { path: string }[] } }) => res.json().details.map((d) => d.path);

/** A request with its path sent exactly as given (no dot-segment normalisation). */
function raw(port: number, method: string, path: string, body?: unknown): Promise<{ statusCode: number; body: string; json(): { details: { path: string }[] } }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { ...auth, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

t.test('model names "." and "..": refused by every route, and "./versions/1" cannot wipe the model v1', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  const artifact = await makeArtifact(3);
  t.equal((await app.inject({ method: 'POST', url: '/admin/models/v1/versions', headers: auth, payload: uploadBody(artifact) })).statusCode, 201);
  // Over a socket: an HTTP client (and app.inject) would normalise the dot segments away, an attacker does not.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  for (const name of ['.', '..', '%2E', '%2E%2E', '.hidden']) {
    const up = await raw(port, 'POST', `/admin/models/${name}/versions`, uploadBody(artifact));
    t.equal(up.statusCode, 400, `upload ${name}: ${up.body.slice(0, 200)}`);
    t.ok(names(up).some((p) => /name/.test(p)), `names the name: ${up.body}`);
    t.equal((await raw(port, 'DELETE', `/admin/models/${name}/versions/1`)).statusCode, 400, `delete ${name}`);
    t.equal((await raw(port, 'PUT', `/admin/models/${name}/aliases/staging`, { version: '1' })).statusCode, 400, `alias ${name}`);
  }
  const decision = await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: '..' }, order, market } });
  t.equal(decision.statusCode, 400, 'the decision route takes the same rule');
  const training = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...tinyTraining, model: '..' } });
  t.equal(training.statusCode, 400);
  t.same(await readdir(dataDir).then((f) => f.filter((x) => x.endsWith('.json') || /^v\d/.test(x))), [], 'nothing written into DATA_DIR');
  t.same((await readdir(join(dataDir, 'registry'))).sort(), ['v1']);
  t.match((await app.inject({ method: 'GET', url: '/admin/models/v1', headers: auth })).json(), { versions: [{ version: '1' }] }, 'the model v1 is intact');
});

t.test('uploads are checked exactly as loads: 400 naming the field, nothing left behind', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  const a = await makeArtifact(3);
  const json = () => structuredClone(a.modelJson) as unknown as { format: string; weightsManifest?: { paths: string[]; weights: { shape: unknown }[] }[]; modelTopology: { config: { layers: unknown[] } } };
  const traversal = json();
  traversal.weightsManifest![0].paths = ['../../etc/passwd'];
  const graph = json();
  graph.format = 'graph-model';
  const noManifest = json();
  delete noManifest.weightsManifest;
  const stringShape = json();
  stringShape.weightsManifest![0].weights[0].shape = '8,16';
  const nullShape = json();
  nullShape.weightsManifest![0].weights[0].shape = null;
  const nullLayer = json();
  nullLayer.modelTopology.config.layers[0] = null;
  // Metadata nested 100k deep, written as text (JSON.stringify itself would overflow the stack).
  const DEEP = '"__deep__"';
  const deepText = `${'{"x":'.repeat(100_000)}{}${'}'.repeat(100_000)}`;
  const cases: [string, object, RegExp][] = [
    ['traversal', uploadBody(a, traversal), /^modelJson\.weightsManifest\.0\.paths$/],
    ['graph-model', uploadBody(a, graph), /^modelJson\.format$/],
    ['no weightsManifest', uploadBody(a, noManifest), /^modelJson\.weightsManifest$/],
    ['string shape', uploadBody(a, stringShape), /weights\.0\.shape$/],
    ['null shape', uploadBody(a, nullShape), /weights\.0\.shape$/],
    ['null layer', uploadBody(a, nullLayer), /layers\.0$/],
    ['deep metadata', uploadBody(a, a.modelJson, { ...a.metadata, evaluation: JSON.parse(DEEP) }), /^metadata\.evaluation\.x/],
    ['absurd weights', uploadBody(withWeight(a, 3e38), a.modelJson, withWeight(a, 3e38).metadata), /^weight /],
  ];
  for (const [what, payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/admin/models/m/versions', payload: JSON.stringify(payload).replace(DEEP, deepText), headers: { ...auth, 'content-type': 'application/json' } });
    t.equal(res.statusCode, 400, `${what}: ${res.body.slice(0, 200)}`);
    t.ok(names(res).some((p) => field.test(p)), `${what} names ${field}: ${JSON.stringify(names(res))}`);
  }
  const left = await readdir(join(dataDir, 'registry', 'm')).catch(() => [] as string[]);
  t.same(left, [], 'no version and no .staging-* folder left');
  t.equal((await app.inject({ method: 'GET', url: '/admin/models/m', headers: auth })).statusCode, 404);
});

t.test('a stored version that cannot serve: no alias onto it (409), no evaluation of it (409), named in /readyz', async (t) => {
  const dataDir = tempDir(t);
  const good = await makeArtifact(3);
  // A version stored behind the API's back (an older release, a disk fault): weights of 3e38.
  const store = new FileRegistryStore(dataDir);
  await store.addVersion('m', good, { source: 'upload' });
  await store.setAlias('m', 'production', '1');
  await store.addVersion('m', withWeight(good, 3e38), { source: 'upload' });
  const app = await open(t, dataDir);
  const alias = await app.inject({ method: 'PUT', url: '/admin/models/m/aliases/production', headers: auth, payload: { version: '2', force: true } });
  t.equal(alias.statusCode, 409, alias.body);
  t.match(alias.json(), { message: /cannot serve: .*beyond/, details: [{ path: 'version' }] });
  t.equal((await app.inject({ method: 'PUT', url: '/admin/models/m/aliases/staging', headers: auth, payload: { version: '2' } })).statusCode, 409);
  t.match((await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'm' }, order, market } })).json(), { policy: { version: '1' } }, 'production still serves');
  const ev = await app.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'regime-liquidity', episodes: 10, policies: ['twap', 'dqn:m@2'] } });
  t.equal(ev.statusCode, 409, ev.body);
  t.match(ev.json(), { details: [{ path: 'policies.1', reason: /cannot be loaded/ }] });
  t.match((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'degraded', problems: [{ model: 'm', version: '2', reason: /beyond/ }] });
});

t.test('failed authentications: 429 after the limit, logged with the client address and never the token', async (t) => {
  const { lines, stream } = logSink();
  const app = await open(t, tempDir(t), { logger: { level: 'warn', stream }, admin: { token: TOKEN, rateLimitMax: 10000, authFailures: { max: 3, windowMs: 60_000 } } });
  const guess = 'Bearer guessed-token-1234567890';
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) codes.push((await app.inject({ method: 'GET', url: '/admin/models', headers: { authorization: guess } })).statusCode);
  t.same(codes, [401, 401, 401, 429, 429]);
  const locked = await app.inject({ method: 'GET', url: '/admin/models', headers: auth });
  t.equal(locked.statusCode, 429, 'even the right token waits out the window');
  t.ok(Number(locked.headers['retry-after']) > 0, 'Retry-After');
  const other = await app.inject({ method: 'GET', url: '/admin/models', headers: auth, remoteAddress: '10.0.0.9' });
  t.equal(other.statusCode, 200, 'another client is not locked out');
  const failures = lines.filter((l) => l.msg === 'admin authentication failed');
  t.equal(failures.length, 3);
  t.match(failures[0], { level: 40, client: '127.0.0.1', failures: 1 });
  t.notOk(JSON.stringify(lines).includes('guessed-token'), 'the token sent is never logged');
});

t.test('small ones: data roots, prototype keys, training settings that cannot train', async (t) => {
  const dataDir = tempDir(t);
  const app = await open(t, dataDir);
  await app.inject({ method: 'POST', url: '/admin/models/default/versions', headers: auth, payload: uploadBody(await makeArtifact(3)) });
  const lob = { ...tinyTraining, scenario: 'lob-replay' };
  const outside = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...lob, data: ['/etc/passwd'] } });
  const missing = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...lob, data: ['/etc/no-such-file-here'] } });
  t.equal(outside.statusCode, 400);
  t.same(outside.json().details, missing.json().details, 'an existing and a missing file outside the roots get the same answer');
  t.match(outside.json().details, [{ path: 'data.0', reason: /inside the configured data roots/ }]);
  const climbing = await app.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'lob-replay', episodes: 1, policies: ['twap'], data: ['../../etc/passwd'] } });
  t.match(climbing.json(), { statusCode: 400, details: [{ path: 'data.0' }] });

  t.equal((await app.inject({ method: 'DELETE', url: '/admin/models/default/aliases/toString', headers: auth })).statusCode, 404);
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/models/default/aliases/constructor', headers: auth })).statusCode, 404);
  const ctor = await app.inject({ method: 'POST', url: '/admin/evaluations', headers: auth, payload: { scenario: 'regime-liquidity', episodes: 10, policies: ['dqn:default@constructor'] } });
  t.equal(ctor.statusCode, 400);
  t.notMatch(ctor.body, /function/);
  t.match(ctor.json(), { details: [{ path: 'policies.0', reason: 'model default has no version or alias "constructor"' }] });
  t.equal((await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'default', version: 'constructor' }, order, market } })).statusCode, 404);

  for (const [agent, field] of [
    [{ warmupSteps: 0 }, 'agent.warmupSteps'],
    [{ warmupSteps: 100, bufferSize: 50 }, 'agent.bufferSize'],
    [{ epsilon: { start: 0.1, end: 0.5, decayEpisodes: 10 } }, 'agent.epsilon.end'],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/admin/training-jobs', headers: auth, payload: { ...tinyTraining, agent: { ...tinyTraining.agent, ...agent } } });
    t.equal(res.statusCode, 400, JSON.stringify(agent));
    t.ok(names(res).includes(field), `${field} in ${JSON.stringify(names(res))}`);
  }
});

t.test('a corrupt registry at start: the service starts, serves what is sound, and /readyz names the broken files', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileRegistryStore(dataDir);
  const artifact = await makeArtifact(3);
  for (const name of ['good', 'broken']) {
    await store.addVersion(name, artifact, { source: 'upload' });
    await store.setAlias(name, 'production', '1');
  }
  await store.setAlias('good', 'staging', '1');
  const root = join(dataDir, 'registry');
  await writeFile(join(root, 'broken', 'record.json'), '{ not json');
  // A dangling alias: staging points at a version whose folder is gone.
  const record = JSON.parse(await (await import('node:fs/promises')).readFile(join(root, 'good', 'record.json'), 'utf8'));
  record.aliases.staging = '7';
  await writeFile(join(root, 'good', 'record.json'), JSON.stringify(record));
  // Orphans of interrupted writes are removed at start.
  await mkdir(join(root, 'good', '.staging-interrupted'));
  await writeFile(join(root, 'good', 'record.json.tmp-1-x'), '{');

  const { lines, stream } = logSink();
  const app = await open(t, dataDir, { logger: { level: 'warn', stream }, modelsDir: join(dataDir, 'no-bundled-models') });
  t.equal((await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'twap' }, order, market } })).statusCode, 200, 'baselines serve');
  t.equal((await app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'good' }, order, market } })).statusCode, 200, 'the sound model serves');
  const ready = (await app.inject({ method: 'GET', url: '/readyz' })).json();
  t.match(ready, { status: 'degraded', models: 1 });
  t.match(ready.problems, [
    { model: 'broken', file: join(root, 'broken', 'record.json'), reason: /cannot be read/ },
    { model: 'good', alias: 'staging', reason: /points at version 7/ },
  ]);
  t.ok(lines.some((l) => l.msg === 'registry file unreadable; the rest is served' && l.file === join(root, 'broken', 'record.json')), 'the broken file is logged');
  t.ok(lines.some((l) => l.msg === 'removed files left by interrupted writes'), 'orphans are logged');
  t.same((await readdir(join(root, 'good'))).sort(), ['record.json', 'v1'], 'orphans removed');
});

t.test('bundled models: production only in an empty registry; later ones arrive without an alias, logged', async (t) => {
  const dataDir = tempDir(t);
  const modelsDir = join(tempDir(t), 'models');
  await cp(new URL('../../models/default', import.meta.url), join(modelsDir, 'default'), { recursive: true });
  const first = await open(t, dataDir, { modelsDir });
  t.match((await first.inject({ method: 'GET', url: '/admin/models/default', headers: auth })).json(), { aliases: { production: '1' } });
  await first.close();
  await cp(new URL('../../models/intraday', import.meta.url), join(modelsDir, 'added-later'), { recursive: true });
  const { lines, stream } = logSink();
  const again = await open(t, dataDir, { modelsDir, logger: { level: 'warn', stream } });
  t.match((await again.inject({ method: 'GET', url: '/admin/models/added-later', headers: auth })).json(), { aliases: {}, versions: [{ version: '1', source: 'bundled' }] });
  t.equal((await again.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'added-later' }, order, market } })).statusCode, 404, 'not production');
  t.ok(lines.some((l) => l.model === 'added-later' && /without an alias/.test(String(l.msg))), 'logged');
});

t.test('memory: beyond the cache bound, unaliased versions are unloaded and load again when asked for', async (t) => {
  const app = await open(t, tempDir(t), { modelCacheVersions: 2 });
  for (let seed = 1; seed <= 6; seed++) {
    const res = await app.inject({ method: 'POST', url: '/admin/models/m/versions', headers: auth, payload: uploadBody(await makeArtifact(seed)) });
    t.equal(res.statusCode, 201);
  }
  const loaded = () => app.models.list().filter((m) => m.status === 'loaded').map((m) => m.version);
  t.same(loaded(), [], 'stored versions are checked, not kept in memory');
  await app.inject({ method: 'PUT', url: '/admin/models/m/aliases/production', headers: auth, payload: { version: '1', force: true } });
  t.same(loaded(), ['1'], 'the aliased version is loaded');
  const ask = (version: string) => app.inject({ method: 'POST', url: '/v1/decisions', payload: { policy: { type: 'dqn', model: 'm', version }, order, market } });
  for (const version of ['3', '4', '5', '6']) {
    t.equal((await ask(version)).statusCode, 404, `${version}: not served before it is loaded`);
    for (let i = 0; i < 100 && !loaded().includes(version); i++) await new Promise((r) => setTimeout(r, 20));
    t.equal((await ask(version)).statusCode, 200, `${version}: loaded in the background, then served`);
    t.ok(app.registry!.loadedVersions() <= 3, `${version}: within the bound (${loaded()})`);
  }
  t.same(loaded().sort(), ['1', '5', '6'], 'the aliased version and the two most recently served');
  t.match(app.models.list().find((m) => m.version === '2'), { status: 'stored' });
});
