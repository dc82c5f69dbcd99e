/**
 * Between a live TF.js model and the stored layers format. Saving goes through tf.io.withSaveHandler because
 * there is no file:// handler without tfjs-node; the bytes are then written by artifact-store.ts.
 */
import * as tf from '../tf.js';
import { WEIGHTS_FILE, type LayersModelJson, type ModelArtifact, type WeightSpec } from './artifact.js';

export interface ExportedModel {
  readonly modelJson: LayersModelJson;
  readonly weightData: ArrayBuffer;
}

export async function exportModel(model: tf.LayersModel): Promise<ExportedModel> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightSpecs || !captured.weightData) throw new Error('exportModel: TF.js saved no weights');
  const data = captured.weightData;
  const weightData = Array.isArray(data) ? concat(data) : data;
  const weights: WeightSpec[] = captured.weightSpecs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype }));
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: captured.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights }],
    },
    weightData,
  };
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Rebuilds the TF.js model of an artifact (for tests and for fine-tuning; serving uses the lean network). */
export function importModel(artifact: Pick<ModelArtifact, 'modelJson' | 'weightData'>): Promise<tf.LayersModel> {
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifact.modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: artifact.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: artifact.weightData,
    }),
  );
}
