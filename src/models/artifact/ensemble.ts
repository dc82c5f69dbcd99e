/**
 * An ensemble of K trained Q-networks stored as one plain Dense stack, so the artifact format, the registry and
 * serving stay as they are. Q_ens(s, a) = (1/K) sum_k Q_k(s, a): averaging the members' Q-values cancels part of
 * each network's own error, which is what the greedy argmax over a nearly flat Q surface is sensitive to
 * (docs/QUALITY.md).
 *
 * Construction, for members with the same layer sizes and activations (relu hidden layers, then linear ones):
 * - hidden relu layers side by side: the first layer's kernels concatenated column-wise, later ones block-diagonal;
 * - the first linear layer stacks the members' kernels row-wise, each times 1/K, with the mean of their biases:
 *   it outputs the mean of the members' outputs, and since every later layer is linear, the mean of their Q;
 * - later linear layers (a Chebyshev head's fixed basis) must be identical across members and are kept once;
 * - each member k normalised its inputs with its own (mean_k, std_k); the merged network reads member 0's
 *   normalisation and folds the difference into member k's first layer: with z = (x - mean) / std,
 *   (x - mean_k) / std_k = z * std / std_k + (mean - mean_k) / std_k. Exact while no input is clipped (every
 *   normalised input within +-10 standard deviations for every member), linear extrapolation beyond.
 * test/models/ensemble.test.ts checks the merged network's Q against the mean of the members' Q.
 */
import { actionCount } from '../../core/actions.js';
import { denseLayersOf, sha256Hex, WEIGHTS_FILE, type ModelArtifact, type WeightSpec } from './artifact.js';
import type { DenseLayer } from '../serving/lean-network.js';
import type { ModelMetadata } from './metadata.js';
import { unionDomain, type ModelDomain } from './domain.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkCompatible(members: readonly ModelArtifact[]): void {
  if (members.length < 2) throw new Error('an ensemble needs at least two members');
  const [first] = members;
  for (const [k, m] of members.entries()) {
    const what = (field: string) => `member ${k} differs from member 0 in ${field}`;
    if (!same(m.metadata.observation.features, first.metadata.observation.features) || m.metadata.observation.spec !== first.metadata.observation.spec) throw new Error(what('observation features'));
    if (!same(m.metadata.actionSpace, first.metadata.actionSpace)) throw new Error(what('action space'));
    if (!same(m.metadata.network, first.metadata.network)) throw new Error(what('network shape'));
    if (!same(m.metadata.reward, first.metadata.reward)) throw new Error(what('reward'));
    const scenarioOf = (a: ModelArtifact) => [a.metadata.training.scenario, a.metadata.training.scenarioParams ?? {}, a.metadata.training.data ?? []];
    if (!same(scenarioOf(m), scenarioOf(first))) throw new Error(what('training scenario'));
  }
}

/** Row-major [rows, cols] block copy of `src` ([r, c]) into `dst` at (row, col), each value times `scale`. */
function place(dst: Float32Array, cols: number, src: Float32Array, r: number, c: number, row: number, col: number, scale = 1): void {
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dst[(row + i) * cols + col + j] = src[i * c + j] * scale;
}

/** The merged Dense stack (see the module comment). */
export function mergeLayers(members: readonly (readonly DenseLayer[])[], normalizations: readonly { mean: readonly number[]; std: readonly number[] }[]): DenseLayer[] {
  const K = members.length;
  const depth = members[0].length;
  const firstLinear = members[0].findIndex((l) => l.activation === 'linear');
  if (firstLinear < 1) throw new Error('an ensemble needs relu hidden layers followed by linear layers');
  for (const layers of members) {
    if (layers.length !== depth || layers.some((l, i) => l.activation !== members[0][i].activation || l.outSize !== members[0][i].outSize)) {
      throw new Error('ensemble members must have the same layers');
    }
    if (layers.slice(firstLinear).some((l) => l.activation !== 'linear')) throw new Error('no relu layer may follow a linear one');
  }
  for (let li = firstLinear + 1; li < depth; li++) {
    if (members.some((layers) => !same(Array.from(layers[li].kernel), Array.from(members[0][li].kernel)) || !same(Array.from(layers[li].bias), Array.from(members[0][li].bias)))) {
      throw new Error(`layer ${li} follows the averaging layer and must be identical across members (a fixed basis)`);
    }
  }
  const { mean, std } = normalizations[0];
  const merged: DenseLayer[] = [];
  for (let li = 0; li <= firstLinear; li++) {
    const base = members[0][li];
    const inSize = li === 0 ? base.inSize : base.inSize * K;
    const outSize = li === firstLinear ? base.outSize : base.outSize * K;
    const kernel = new Float32Array(inSize * outSize);
    const bias = new Float32Array(outSize);
    members.forEach((layers, k) => {
      const layer = layers[li];
      if (li === 0) {
        // Fold member k's normalisation into its first layer (relative to member 0's).
        const folded = new Float32Array(layer.kernel.length);
        const shift = Float64Array.from(layer.bias);
        const nk = normalizations[k];
        for (let i = 0; i < layer.inSize; i++) {
          const ratio = std[i] / nk.std[i];
          const offset = (mean[i] - nk.mean[i]) / nk.std[i];
          for (let j = 0; j < layer.outSize; j++) {
            const w = layer.kernel[i * layer.outSize + j];
            folded[i * layer.outSize + j] = w * ratio;
            shift[j] += offset * w;
          }
        }
        place(kernel, outSize, folded, layer.inSize, layer.outSize, 0, k * layer.outSize);
        bias.set(Float32Array.from(shift), k * layer.outSize);
      } else if (li < firstLinear) {
        place(kernel, outSize, layer.kernel, layer.inSize, layer.outSize, k * layer.inSize, k * layer.outSize);
        bias.set(layer.bias, k * layer.outSize);
      } else {
        place(kernel, outSize, layer.kernel, layer.inSize, layer.outSize, k * layer.inSize, 0, 1 / K);
        for (let j = 0; j < outSize; j++) bias[j] += layer.bias[j] / K;
      }
    });
    merged.push({ inSize, outSize, kernel, bias, activation: base.activation });
  }
  for (let li = firstLinear + 1; li < depth; li++) merged.push(members[0][li]);
  return merged;
}

/** The TF.js layers-format artifact of merged layers, its topology derived from member 0's (units changed). */
export function mergeEnsemble(members: readonly ModelArtifact[], version: string): ModelArtifact {
  checkCompatible(members);
  const layers = mergeLayers(members.map((m) => denseLayersOf(m)), members.map((m) => m.metadata.observation));
  const first = members[0];
  const topology = structuredClone(first.modelJson.modelTopology) as { config: { layers: { config: { units: number; name: string } }[] } };
  topology.config.layers.forEach((layer, i) => (layer.config.units = layers[i].outSize));
  const specs = first.modelJson.weightsManifest.flatMap((g) => g.weights);
  const weights: WeightSpec[] = layers.flatMap((l, i) => [
    { ...specs[2 * i], shape: [l.inSize, l.outSize] },
    { ...specs[2 * i + 1], shape: [l.outSize] },
  ]);
  const data = new Float32Array(layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0));
  let offset = 0;
  for (const l of layers) {
    data.set(l.kernel, offset);
    data.set(l.bias, offset + l.kernel.length);
    offset += l.kernel.length + l.bias.length;
  }
  const weightData = data.buffer;
  const m0 = first.metadata;
  const metadata: ModelMetadata = {
    ...m0,
    version,
    createdAt: new Date().toISOString(),
    network: { ...m0.network, hidden: layers.slice(0, -1).map((l) => l.outSize), outputSize: actionCount(m0.actionSpace) },
    training: {
      ...m0.training,
      episodes: members.reduce((n, m) => n + m.metadata.training.episodes, 0),
      wallTimeMs: members.reduce((n, m) => n + m.metadata.training.wallTimeMs, 0),
      stoppedEarly: members.some((m) => m.metadata.training.stoppedEarly),
      config: {
        ...m0.training.config,
        ensemble: members.map((m) => ({
          codeVersion: m.metadata.codeVersion,
          seed: m.metadata.training.seed,
          episodes: m.metadata.training.episodes,
          wallTimeMs: m.metadata.training.wallTimeMs,
          bestValidationShortfallBps: m.metadata.training.bestValidationShortfallBps,
          weightsSha256: m.metadata.weightsSha256,
        })),
      },
    },
    weightsSha256: sha256Hex(weightData),
  };
  const domain = unionDomain(members.map((m) => m.metadata.domain));
  if (domain) (metadata as { domain?: ModelDomain }).domain = domain;
  else delete (metadata as { domain?: unknown }).domain; // a member of unknown domain leaves the ensemble's unknown
  delete (metadata as { evaluation?: unknown }).evaluation; // the members' evaluations are not the ensemble's
  delete (metadata.training as { bestValidationShortfallBps?: number }).bestValidationShortfallBps;
  return { modelJson: { ...first.modelJson, modelTopology: topology, weightsManifest: [{ paths: [WEIGHTS_FILE], weights }] }, weightData, metadata };
}
