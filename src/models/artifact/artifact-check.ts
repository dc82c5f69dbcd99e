/**
 * The one check of a model artifact, run wherever an artifact enters the service: an upload before it is stored,
 * a stored or bundled version before it is served. Structure first (metadata, model.json and its weights
 * manifest), then the weights (checksum, shapes, finite and of sane magnitude), then a forward pass on probe
 * inputs that must give finite Q-values. What passes here can serve; what fails names the field and the reason.
 */
import { ArtifactError } from './artifact-error.js';
import { denseLayersOf, WEIGHTS_FILE, type LayersModelJson, type ModelArtifact } from './artifact.js';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';
import { LeanNetwork } from '../serving/lean-network.js';
import { validateMetadata } from './metadata.js';
import { NORMALIZED_CLIP } from '../serving/normalizer.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @throws ArtifactError naming the first field of model.json that is missing or malformed. */
export function validateModelJson(raw: unknown, at = 'modelJson'): LayersModelJson {
  if (!isObject(raw)) throw new ArtifactError(at, 'must be a JSON object (a TF.js layers-model model.json)');
  const deep = tooDeep(raw, at);
  if (deep) throw new ArtifactError(deep, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (raw.format !== 'layers-model') {
    throw new ArtifactError(`${at}.format`, `must be "layers-model" (a TF.js layers model), got ${JSON.stringify(raw.format ?? null)}`);
  }
  const layers = (raw.modelTopology as { config?: { layers?: unknown } } | undefined)?.config?.layers;
  if (!isObject(raw.modelTopology) || !Array.isArray(layers) || layers.length === 0) {
    throw new ArtifactError(`${at}.modelTopology.config.layers`, 'must be a non-empty array of Dense layers (a Sequential model)');
  }
  layers.forEach((layer, i) => {
    if (!isObject(layer)) throw new ArtifactError(`${at}.modelTopology.config.layers.${i}`, 'must be a layer object');
  });
  const manifest = raw.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new ArtifactError(`${at}.weightsManifest`, 'must be a non-empty array of { paths, weights }');
  }
  manifest.forEach((group: unknown, g) => {
    const here = `${at}.weightsManifest.${g}`;
    if (!isObject(group)) throw new ArtifactError(here, 'must be an object { paths, weights }');
    if (!Array.isArray(group.paths) || group.paths.some((p) => p !== WEIGHTS_FILE)) {
      throw new ArtifactError(`${here}.paths`, `must name the single weight file ["${WEIGHTS_FILE}"] (no other path is read)`);
    }
    if (!Array.isArray(group.weights)) throw new ArtifactError(`${here}.weights`, 'must be an array of { name, shape, dtype }');
    group.weights.forEach((spec: unknown, w) => {
      const there = `${here}.weights.${w}`;
      if (!isObject(spec)) throw new ArtifactError(there, 'must be an object { name, shape, dtype }');
      if (typeof spec.name !== 'string') throw new ArtifactError(`${there}.name`, 'must be a string');
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 1 << 20)) {
        throw new ArtifactError(`${there}.shape`, 'must be an array of positive integers');
      }
      if (spec.dtype !== 'float32') throw new ArtifactError(`${there}.dtype`, `must be "float32", got ${JSON.stringify(spec.dtype ?? null)}`);
    });
  });
  const paths = manifest.flatMap((g: { paths: string[] }) => g.paths);
  if (paths.length !== 1) throw new ArtifactError(`${at}.weightsManifest`, `must point at the single file ${WEIGHTS_FILE} once`);
  return raw as unknown as LayersModelJson;
}

/** Structure of a whole artifact (metadata and model.json); the weights are checked by checkedNetwork. */
export function validateArtifact(raw: { modelJson: unknown; weightData: ArrayBuffer; metadata: unknown }, modelJsonAt = 'modelJson'): ModelArtifact {
  const metadata = validateMetadata(raw.metadata);
  const modelJson = validateModelJson(raw.modelJson, modelJsonAt);
  return { modelJson, weightData: raw.weightData, metadata };
}

/** Normalised inputs at the corners and centre of the box the normaliser clips to. */
function probeInputs(size: number): Float32Array[] {
  const c = NORMALIZED_CLIP;
  const fill = (f: (i: number) => number) => Float32Array.from({ length: size }, (_, i) => f(i));
  return [fill(() => 0), fill(() => c), fill(() => -c), fill((i) => (i % 2 ? c : -c)), fill((i) => (i % 2 ? -c : c))];
}

/**
 * The serving network of an artifact that passed every check (validateArtifact, denseLayersOf, probes).
 * @throws ArtifactError naming the field and the reason.
 */
export function checkedNetwork(raw: ModelArtifact): LeanNetwork {
  const artifact = validateArtifact(raw);
  const network = new LeanNetwork(denseLayersOf(artifact));
  for (const input of probeInputs(network.inputSize)) {
    const q = network.forwardValues(input);
    if (!q.every(Number.isFinite)) {
      throw new ArtifactError('weights.bin', 'the network gives non-finite Q-values on probe inputs (weights too large or inconsistent)');
    }
  }
  return network;
}
