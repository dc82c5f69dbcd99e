/**
 * The embedded registry under attack and fault: names that would escape it, a corrupt record or metadata file, a
 * missing version folder, a dangling alias, a failed write that must leave nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { FileRegistryStore } from '../../src/registry/file-store.js';
import { makeArtifact } from '../models/fixtures.js';

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ess-registry-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('"." and ".." are refused by every method; deleting "./versions/1" cannot wipe the model v1', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileRegistryStore(dataDir);
  const artifact = await makeArtifact(3);
  await store.addVersion('v1', artifact, { source: 'upload' });
  for (const name of ['.', '..', '.staging-x', 'a/b']) {
    await t.rejects(store.addVersion(name, artifact, { source: 'upload' }), { name: 'RegistryError', statusCode: 400, path: 'name' }, `addVersion ${name}`);
    await t.rejects(store.deleteVersion(name, '1'), { name: 'RegistryError', statusCode: 400 }, `deleteVersion ${name}`);
    await t.rejects(store.setAlias(name, 'production', '1'), { name: 'RegistryError', statusCode: 400 }, `setAlias ${name}`);
    t.equal(await store.getModel(name), undefined);
  }
  t.same(await readdir(dataDir), ['registry'], 'nothing written beside the registry');
  t.same(await readdir(join(dataDir, 'registry')), ['v1'], 'nothing written into the registry root');
  t.same((await store.getModel('v1'))?.versions.map((v) => v.version), ['1'], 'the model v1 is intact');
});

t.test('a write that fails leaves no staging folder', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileRegistryStore(dataDir);
  const artifact = await makeArtifact(3);
  // Metadata nested too deep for JSON.stringify: the write fails half-way.
  let deep: Record<string, unknown> = {};
  const top = deep;
  for (let i = 0; i < 100_000; i++) deep = (deep.x = {}) as Record<string, unknown>;
  await t.rejects(store.addVersion('m', { ...artifact, metadata: { ...artifact.metadata, evaluation: top } }, { source: 'upload' }));
  const left = await readdir(join(dataDir, 'registry', 'm')).catch(() => []);
  t.same(left.filter((f) => f.startsWith('.staging-')), [], 'no .staging-* left');
});

t.test('corrupt and missing files: the sound models are read, the broken files are named', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileRegistryStore(dataDir);
  const artifact = await makeArtifact(3);
  for (const name of ['good', 'corrupt-record', 'corrupt-metadata', 'missing-version']) await store.addVersion(name, artifact, { source: 'upload' });
  await store.addVersion('missing-version', artifact, { source: 'upload' });
  await store.setAlias('missing-version', 'production', '2');
  const root = join(dataDir, 'registry');
  await writeFile(join(root, 'corrupt-record', 'record.json'), '{"name": "corrupt-re');
  await writeFile(join(root, 'corrupt-metadata', 'v1', 'metadata.json'), 'not json');
  await rm(join(root, 'missing-version', 'v2'), { recursive: true });

  const models = await store.listModels();
  t.same(models.map((m) => m.name), ['corrupt-metadata', 'good', 'missing-version'], 'the unreadable record leaves its model out');
  t.same(models.find((m) => m.name === 'missing-version')?.versions.map((v) => v.version), ['1']);
  const problems = store.problems();
  t.match(problems, [
    { model: 'corrupt-metadata', version: '1', file: join(root, 'corrupt-metadata', 'v1', 'metadata.json'), reason: /cannot be read/ },
    { model: 'corrupt-record', file: join(root, 'corrupt-record', 'record.json'), reason: /cannot be read/ },
    { model: 'missing-version', version: '2', reason: /missing/ },
    { model: 'missing-version', alias: 'production', reason: /points at version 2/ },
  ]);
  await t.rejects(store.setAlias('corrupt-record', 'staging', '1'), { name: 'RegistryError', statusCode: 409, message: /record\.json/ }, 'a change to a broken model names the file');
});

t.test('orphans of interrupted writes are removed at start', async (t) => {
  const dataDir = tempDir(t);
  const store = new FileRegistryStore(dataDir);
  await store.addVersion('m', await makeArtifact(3), { source: 'upload' });
  const model = join(dataDir, 'registry', 'm');
  await mkdir(join(model, '.staging-dead'));
  await writeFile(join(model, '.staging-dead', 'weights.bin'), 'x');
  await writeFile(join(model, 'record.json.tmp-1-abc'), '{');
  await writeFile(join(model, 'v1', 'weights.bin.tmp-1-abc'), 'x');
  const removed = await store.cleanOrphans();
  t.equal(removed.length, 3);
  t.same((await readdir(model)).sort(), ['record.json', 'v1']);
  t.same((await readdir(join(model, 'v1'))).sort(), ['metadata.json', 'model.json', 'weights.bin']);
  t.equal((await store.getModel('m'))?.versions.length, 1);
});
