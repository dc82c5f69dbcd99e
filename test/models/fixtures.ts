/** Shared helpers of the model tests: an untrained but valid artifact, written to a temporary directory. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionCount, DEFAULT_ACTION_SPACE, type ActionSpace } from '../../src/core/actions.js';
import { OBSERVATION_FEATURES, OBSERVATION_SPEC } from '../../src/core/observation.js';
import { sha256Hex, type ModelArtifact } from '../../src/models/artifact/artifact.js';
import { writeArtifact } from '../../src/models/artifact/artifact-store.js';
import { initBackend } from '../../src/models/training/backend.js';
import { METADATA_FORMAT } from '../../src/models/artifact/metadata.js';
import { buildQNetwork, storedHidden, type QHead } from '../../src/models/training/q-network.js';
import { exportModel } from '../../src/models/artifact/tf-artifact.js';

/** Plausible regime-liquidity scales, so normalised inputs are O(1). */
export const TEST_NORMALIZATION = {
  mean: [0.5, 0.5, 10, -3, 1, 5, 2, 0],
  std: [0.3, 0.3, 10, 15, 0.8, 0.5, 0.2, 1],
};

export async function makeArtifact(
  seed = 7,
  actionSpace: ActionSpace = DEFAULT_ACTION_SPACE,
  hidden = [16, 16],
  head: QHead = { kind: 'independent' },
): Promise<ModelArtifact> {
  await initBackend();
  const build = { inputSize: OBSERVATION_FEATURES.length, hidden, outputSize: actionCount(actionSpace), head };
  const shape = { ...build, hidden: storedHidden(build) };
  const model = buildQNetwork(build, seed);
  const exported = await exportModel(model);
  model.dispose();
  return {
    ...exported,
    metadata: {
      format: METADATA_FORMAT,
      version: '0.0.1-test',
      codeVersion: 'test',
      createdAt: new Date(0).toISOString(),
      observation: { spec: OBSERVATION_SPEC, features: [...OBSERVATION_FEATURES], ...TEST_NORMALIZATION },
      actionSpace,
      network: shape,
      reward: { type: 'shortfall', scale: 1 },
      training: {
        scenario: 'regime-liquidity',
        seed,
        config: {},
        episodes: 0,
        wallTimeMs: 0,
        backend: 'test',
        stoppedEarly: false,
      },
      weightsSha256: sha256Hex(exported.weightData),
    },
  };
}

export async function tempDir(prefix = 'models-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeTestModel(root: string, name: string, seed = 7, actionSpace?: ActionSpace): Promise<string> {
  const dir = join(root, name);
  await writeArtifact(dir, await makeArtifact(seed, actionSpace));
  return dir;
}

/** The artifact with the output layer's bias of `action` set to `value` (weights are laid out layer by layer). */
export function withOutputBias(artifact: ModelArtifact, action: number, value: number): ModelArtifact {
  const floats = new Float32Array(artifact.weightData.slice(0));
  const outputs = artifact.metadata.network.outputSize;
  floats[floats.length - outputs + action] = value;
  const weightData = floats.buffer;
  return { ...artifact, weightData, metadata: { ...artifact.metadata, weightsSha256: sha256Hex(weightData) } };
}
