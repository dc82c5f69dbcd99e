/**
 * A model artifact independent of where it is stored: the TF.js layers-format model.json (topology and weights
 * manifest), the weight bytes, and the metadata. `denseLayersOf` turns it into the lean network's layers,
 * checking every shape against the metadata and refusing non-finite or mis-sized weights.
 */
import { createHash } from 'node:crypto';
import { ArtifactError } from './artifact-error.js';
import type { Activation, DenseLayer } from '../serving/lean-network.js';
import type { ModelMetadata } from './metadata.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const METADATA_FILE = 'metadata.json';

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}

/** The TF.js layers-model JSON (what tf.loadLayersModel reads). */
export interface LayersModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: unknown;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly WeightSpec[] }[];
}

export interface ModelArtifact {
  readonly modelJson: LayersModelJson;
  readonly weightData: ArrayBuffer;
  readonly metadata: ModelMetadata;
}

/** Larger weights are refused: trained networks here stay below ~10, and 3e38 only overflows to NaN Q-values. */
export const MAX_ABS_WEIGHT = 1e6;

export function sha256Hex(data: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(data)).digest('hex');
}

interface DenseConfig {
  readonly units: number;
  readonly activation: Activation;
}

/** The Dense layers of a Sequential topology, in order. */
function denseConfigs(topology: unknown): DenseConfig[] {
  const layers = (topology as { config?: { layers?: unknown } } | null)?.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ArtifactError('model.json.modelTopology', 'expected a Sequential model with Dense layers');
  }
  return layers.map((layer: { class_name?: string; config?: { units?: unknown; activation?: unknown } } | null, i) => {
    if (layer === null || typeof layer !== 'object') throw new ArtifactError(`model.json layer ${i}`, 'must be a layer object');
    if (layer.class_name !== 'Dense') {
      throw new ArtifactError(`model.json layer ${i}`, `unsupported layer "${String(layer.class_name)}"; only Dense`);
    }
    const units = layer.config?.units;
    const activation = layer.config?.activation;
    if (typeof units !== 'number' || (activation !== 'relu' && activation !== 'linear')) {
      throw new ArtifactError(`model.json layer ${i}`, 'Dense needs integer units and a relu or linear activation');
    }
    return { units, activation };
  });
}

/** @throws ArtifactError on a shape mismatch with the metadata, a short or long weight file, or non-finite or absurd weights. */
export function denseLayersOf(artifact: ModelArtifact): DenseLayer[] {
  const { modelJson, weightData, metadata } = artifact;
  if (sha256Hex(weightData) !== metadata.weightsSha256) {
    throw new ArtifactError('weights.bin', 'checksum does not match metadata.weightsSha256: the weight file is corrupt');
  }
  const configs = denseConfigs(modelJson.modelTopology);
  const expected = [...metadata.network.hidden, metadata.network.outputSize];
  if (configs.map((c) => c.units).join(',') !== expected.join(',')) {
    throw new ArtifactError('model.json', `layer sizes [${configs.map((c) => c.units)}] != metadata [${expected}]`);
  }
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  if (specs.length !== configs.length * 2) {
    throw new ArtifactError('model.json.weightsManifest', `expected ${configs.length * 2} weight tensors, got ${specs.length}`);
  }
  const totalFloats = specs.reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1), 0);
  if (weightData.byteLength !== totalFloats * 4) {
    throw new ArtifactError('weights.bin', `has ${weightData.byteLength} bytes, the manifest needs ${totalFloats * 4}`);
  }
  let offset = 0;
  const take = (spec: WeightSpec, shape: readonly number[]): Float32Array => {
    if (spec.dtype !== 'float32') throw new ArtifactError(`weight ${spec.name}`, `dtype ${spec.dtype}; only float32`);
    if (spec.shape.join(',') !== shape.join(',')) {
      throw new ArtifactError(`weight ${spec.name}`, `shape [${spec.shape}] where [${shape}] was expected`);
    }
    const size = shape.reduce((p, d) => p * d, 1);
    const values = new Float32Array(weightData.slice(offset, offset + size * 4));
    offset += size * 4;
    if (!values.every(Number.isFinite)) throw new ArtifactError(`weight ${spec.name}`, 'contains NaN or Infinity');
    if (!values.every((v) => Math.abs(v) <= MAX_ABS_WEIGHT)) {
      throw new ArtifactError(`weight ${spec.name}`, `has a value beyond +-${MAX_ABS_WEIGHT} (absurd for a trained network)`);
    }
    return values;
  };
  let inSize = metadata.network.inputSize;
  return configs.map((c, i) => {
    const kernel = take(specs[2 * i], [inSize, c.units]);
    const bias = take(specs[2 * i + 1], [c.units]);
    const layer: DenseLayer = { inSize, outSize: c.units, kernel, bias, activation: c.activation };
    inSize = c.units;
    return layer;
  });
}
