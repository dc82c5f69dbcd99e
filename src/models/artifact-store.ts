/**
 * File storage of model artifacts: one directory per model holding model.json, weights.bin and metadata.json.
 * Each file is written to a temporary name and renamed (atomic on one filesystem), metadata.json last, so a
 * reader never sees a half-written model: without metadata.json a directory is not a model.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError } from './artifact-error.js';
import { METADATA_FILE, MODEL_FILE, WEIGHTS_FILE, type LayersModelJson, type ModelArtifact } from './artifact.js';
import { validateMetadata } from './metadata.js';

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(temp, data);
  await rename(temp, path);
}

export async function writeArtifact(dir: string, artifact: ModelArtifact): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, WEIGHTS_FILE), new Uint8Array(artifact.weightData));
  await writeAtomically(join(dir, MODEL_FILE), `${JSON.stringify(artifact.modelJson)}\n`);
  await writeAtomically(join(dir, METADATA_FILE), `${JSON.stringify(artifact.metadata, null, 2)}\n`);
}

async function readRequired(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactError(file, code === 'ENOENT' ? `missing from ${dir}` : `cannot be read (${code ?? String(err)})`);
  }
}

function parseJson(file: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ArtifactError(file, `is not valid JSON (${(err as Error).message})`);
  }
}

/** @throws ArtifactError for a missing or unreadable file, invalid JSON or invalid metadata. */
export async function readArtifact(dir: string): Promise<ModelArtifact> {
  const metadata = validateMetadata(parseJson(METADATA_FILE, await readRequired(dir, METADATA_FILE)));
  const modelJson = parseJson(MODEL_FILE, await readRequired(dir, MODEL_FILE)) as LayersModelJson;
  if (modelJson?.format !== 'layers-model' || !Array.isArray(modelJson.weightsManifest)) {
    throw new ArtifactError(MODEL_FILE, 'is not a TF.js layers-model file (format "layers-model" with a weightsManifest)');
  }
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  if (paths.length !== 1 || paths[0] !== WEIGHTS_FILE) {
    throw new ArtifactError(MODEL_FILE, `weightsManifest must point at the single file ${WEIGHTS_FILE}`);
  }
  const weights = await readRequired(dir, WEIGHTS_FILE);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return { modelJson, weightData, metadata };
}
