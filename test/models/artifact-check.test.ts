/**
 * The one artifact check (upload and load): malformed model.json, traversal in the weights manifest, another
 * format, deep metadata, absurd weights and weights whose forward pass is not finite are refused with the field.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { sha256Hex, type ModelArtifact } from '../../src/models/artifact/artifact.js';
import { readArtifact, writeArtifact } from '../../src/models/artifact/artifact-store.js';
import { servingModelOf } from '../../src/models/serving/serving.js';
import { makeArtifact, tempDir } from './fixtures.js';

const withModelJson = (a: ModelArtifact, f: (json: Record<string, unknown>) => void): ModelArtifact => {
  const json = structuredClone(a.modelJson) as unknown as Record<string, unknown>;
  f(json);
  return { ...a, modelJson: json as never };
};

/** Every weight multiplied by `k` (and the checksum updated), as a file with absurd but finite values. */
function scaled(a: ModelArtifact, k: number, only?: number): ModelArtifact {
  const floats = new Float32Array(a.weightData.slice(0));
  if (only === undefined) for (let i = 0; i < floats.length; i++) floats[i] *= k;
  else floats[only] = k;
  return { ...a, weightData: floats.buffer, metadata: { ...a.metadata, weightsSha256: sha256Hex(floats.buffer) } };
}

t.test('malformed model.json: each refused with the field named', async (t) => {
  const a = await makeArtifact(5);
  const cases: [string, ModelArtifact, RegExp][] = [
    ['traversal in paths', withModelJson(a, (j) => ((j.weightsManifest as { paths: string[] }[])[0].paths = ['../../etc/passwd'])), /modelJson\.weightsManifest\.0\.paths/],
    ['graph-model', withModelJson(a, (j) => (j.format = 'graph-model')), /modelJson\.format/],
    ['no weightsManifest', withModelJson(a, (j) => delete j.weightsManifest), /modelJson\.weightsManifest/],
    ['string shape', withModelJson(a, (j) => ((j.weightsManifest as { weights: { shape: unknown }[] }[])[0].weights[0].shape = '8,16')), /weights\.0\.shape/],
    ['null shape', withModelJson(a, (j) => ((j.weightsManifest as { weights: { shape: unknown }[] }[])[0].weights[0].shape = null)), /weights\.0\.shape/],
    ['null layer', withModelJson(a, (j) => (((j.modelTopology as { config: { layers: unknown[] } }).config.layers[0] = null))), /layers\.0/],
  ];
  for (const [what, artifact, field] of cases) t.throws(() => servingModelOf('m', artifact), { name: 'ArtifactError', path: field }, what);
});

t.test('metadata nested 100k deep is refused by depth, not by a stack overflow', async (t) => {
  const a = await makeArtifact(5);
  let deep: Record<string, unknown> = {};
  const top = deep;
  for (let i = 0; i < 100_000; i++) deep = (deep.x = {}) as Record<string, unknown>;
  t.throws(() => servingModelOf('m', { ...a, metadata: { ...a.metadata, evaluation: top } }), { name: 'ArtifactError', path: /^metadata\.evaluation\.x/ });
});

t.test('absurd finite weights and non-finite probe outputs are refused at load', async (t) => {
  const a = await makeArtifact(5);
  t.ok(servingModelOf('m', a), 'the untouched artifact serves');
  t.throws(() => servingModelOf('m', scaled(a, 3e38, 0)), { name: 'ArtifactError', reason: /beyond/ }, 'one weight of 3e38');
  // A deep network with every weight scaled up to the magnitude bound: no single weight is absurd, but the
  // forward pass overflows float32 on the probe inputs.
  const deep = await makeArtifact(5, undefined, [64, 64, 64, 64, 64, 64]);
  const largest = new Float32Array(deep.weightData).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const blown = scaled(deep, 0.99e6 / largest);
  t.ok(new Float32Array(blown.weightData).every((v) => Math.abs(v) <= 1e6), 'all weights within the bound');
  t.throws(() => servingModelOf('m', blown), { name: 'ArtifactError', reason: /non-finite Q-values on probe inputs/ });

  const dir = await tempDir();
  await writeArtifact(dir, scaled(a, 3e38, 0));
  const loaded = await readArtifact(dir);
  t.throws(() => servingModelOf('m', loaded), { name: 'ArtifactError', reason: /beyond/ }, 'the same check on the stored artifact');
  await writeFile(join(dir, 'model.json'), JSON.stringify({ ...a.modelJson, weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }));
  await t.rejects(readArtifact(dir), { name: 'ArtifactError', path: /weightsManifest\.0\.paths/ }, 'the manifest is checked before any file it names is read');
});
