/**
 * File storage of model artifacts: one directory per model holding model.json, weights.bin and metadata.json.
 * Each file is written to a temporary name and renamed (atomic on one filesystem), metadata.json last, so a
 * reader never sees a half-written model: without metadata.json a directory is not a model.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic.js';
import { validateArtifact } from './artifact-check.js';
import { ArtifactError } from './artifact-error.js';
import { METADATA_FILE, MODEL_FILE, WEIGHTS_FILE, type ModelArtifact } from './artifact.js';

/** Each file is fsynced before its rename and the folder after it (store/atomic.ts). */
export async function writeArtifact(dir: string, artifact: ModelArtifact): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(artifact.weightData));
  await writeFileAtomic(join(dir, MODEL_FILE), `${JSON.stringify(artifact.modelJson)}\n`);
  await writeFileAtomic(join(dir, METADATA_FILE), `${JSON.stringify(artifact.metadata, null, 2)}\n`);
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
  const metadata = parseJson(METADATA_FILE, await readRequired(dir, METADATA_FILE));
  const modelJson = parseJson(MODEL_FILE, await readRequired(dir, MODEL_FILE));
  // The structure is checked before weights.bin is read: the manifest names the only file read.
  validateArtifact({ modelJson, metadata, weightData: new ArrayBuffer(0) }, MODEL_FILE);
  const weights = await readRequired(dir, WEIGHTS_FILE);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return validateArtifact({ modelJson, weightData, metadata }, MODEL_FILE);
}
