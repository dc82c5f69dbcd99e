import * as tf from '../../src/models/tf.js';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { METADATA_FILE, MODEL_FILE, WEIGHTS_FILE, denseLayersOf } from '../../src/models/artifact/artifact.js';
import { readArtifact, writeArtifact } from '../../src/models/artifact/artifact-store.js';
import { loadModelCatalog } from '../../src/models/serving/catalog.js';
import { LeanNetwork } from '../../src/models/serving/lean-network.js';
import { loadServingModel } from '../../src/models/serving/serving.js';
import { importModel } from '../../src/models/artifact/tf-artifact.js';
import { Rng } from '../../src/core/rng.js';
import { makeArtifact, tempDir, writeTestModel } from './fixtures.js';

const randomInputs = (n: number, seed: number): Float32Array => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * 8 }, () => rng.normal() * 3);
};

t.test('save/load round-trip gives identical Q-values', async (t) => {
  const artifact = await makeArtifact(11);
  const original = await importModel(artifact);
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await writeArtifact(join(root, 'm'), artifact);
  const loaded = await readArtifact(join(root, 'm'));
  t.same(loaded.metadata, artifact.metadata, 'metadata survives the trip');
  const reloaded = await importModel(loaded);
  const x = tf.tensor2d(randomInputs(64, 1), [64, 8]);
  const before = (original.predict(x) as tf.Tensor).dataSync();
  const after = (reloaded.predict(x) as tf.Tensor).dataSync();
  t.same(Array.from(after), Array.from(before), 'bit-identical Q-values');
  x.dispose();
});

t.test('the lean forward pass equals TF.js within 1e-5', async (t) => {
  for (const seed of [1, 2, 3]) {
    const artifact = await makeArtifact(seed, undefined, [64, 64]);
    const model = await importModel(artifact);
    const lean = new LeanNetwork(denseLayersOf(artifact));
    const n = 200;
    const inputs = randomInputs(n, seed + 100);
    const expected = (model.predict(tf.tensor2d(inputs, [n, 8])) as tf.Tensor).dataSync();
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const q = lean.forward(inputs.subarray(i * 8, (i + 1) * 8));
      for (let a = 0; a < q.length; a++) worst = Math.max(worst, Math.abs(q[a] - expected[i * q.length + a]));
    }
    t.ok(worst < 1e-5, `seed ${seed}: max |lean - tfjs| = ${worst}`);
  }
});

t.test('loading refuses broken artifacts with a clear error', async (t) => {
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));

  const missing = await writeTestModel(root, 'missing-weights');
  await rm(join(missing, WEIGHTS_FILE));
  await t.rejects(loadServingModel(missing), { name: 'ArtifactError', message: /weights\.bin: missing/ });

  const noMetadata = await writeTestModel(root, 'no-metadata');
  await rm(join(noMetadata, METADATA_FILE));
  await t.rejects(loadServingModel(noMetadata), /metadata\.json: missing/);

  const wrongSpec = await writeTestModel(root, 'wrong-spec');
  const meta = JSON.parse(await readFile(join(wrongSpec, METADATA_FILE), 'utf8'));
  await writeFile(join(wrongSpec, METADATA_FILE), JSON.stringify({ ...meta, observation: { ...meta.observation, spec: 'obs-v0' } }));
  await t.rejects(loadServingModel(wrongSpec), /unsupported observation spec "obs-v0"/);

  const wrongSpace = await writeTestModel(root, 'wrong-space');
  await writeFile(join(wrongSpace, METADATA_FILE), JSON.stringify({ ...meta, actionSpace: { kind: 'percent-of-volume', levels: 39 } }));
  await t.rejects(loadServingModel(wrongSpace), /unsupported action space "percent-of-volume"/);

  const wrongShape = await writeTestModel(root, 'wrong-shape');
  await writeFile(join(wrongShape, METADATA_FILE), JSON.stringify({ ...meta, network: { ...meta.network, hidden: [32, 16] } }));
  await t.rejects(loadServingModel(wrongShape), /layer sizes \[16,16,39\] != metadata \[32,16,39\]/);

  const corrupt = await writeTestModel(root, 'corrupt');
  const bytes = await readFile(join(corrupt, WEIGHTS_FILE));
  bytes[100] ^= 0xff;
  await writeFile(join(corrupt, WEIGHTS_FILE), bytes);
  await t.rejects(loadServingModel(corrupt), /weights\.bin: checksum does not match/);

  const truncated = await writeTestModel(root, 'truncated');
  const short = (await readFile(join(truncated, WEIGHTS_FILE))).subarray(0, 1000);
  await writeFile(join(truncated, WEIGHTS_FILE), short);
  await t.rejects(loadServingModel(truncated), /weights\.bin/);

  const badJson = await writeTestModel(root, 'bad-json');
  await writeFile(join(badJson, MODEL_FILE), '{"format": "layers-model", ');
  await t.rejects(loadServingModel(badJson), /model\.json: is not valid JSON/);
});

t.test('a catalog keeps serving its other models when one fails', async (t) => {
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await writeTestModel(root, 'alpha', 1);
  await writeTestModel(root, 'beta', 2);
  const broken = await writeTestModel(root, 'broken', 3);
  await rm(join(broken, MODEL_FILE));
  const logged: string[] = [];
  const catalog = await loadModelCatalog(root, {
    info: (_o, m) => logged.push(`info ${m}`),
    error: (_o, m) => logged.push(`error ${m}`),
  });
  t.same(catalog.list().map((e) => [e.name, e.status]), [['alpha', 'loaded'], ['beta', 'loaded'], ['broken', 'failed']]);
  const failed = catalog.list().find((e) => e.name === 'broken');
  t.match(failed, { status: 'failed', error: /model\.json: missing/ });
  t.ok(catalog.get('alpha') && catalog.get('beta'), 'the healthy models serve');
  t.equal(catalog.get('broken'), undefined);
  t.equal(catalog.get('nope'), undefined);
  t.ok(logged.includes('error model failed to load'));
  const decision = catalog.get('beta')!.infer(
    { side: 'sell', quantity: 1000, horizon: 10, step: 2, remaining: 800 },
    { bid: 99.99, ask: 100.01, volume: 5000, averageVolume: 5000, volatility: 0.05 },
  );
  t.equal(decision.qValues.length, 39);

  const empty = await loadModelCatalog(join(root, 'does-not-exist'));
  t.same(empty.list(), [], 'a missing models folder is an empty catalog, not a crash');
});
