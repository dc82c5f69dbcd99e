/**
 * A trained model ready to decide: the observation of core/observation.ts (the same function the environment
 * uses), the artifact's normalisation, the lean forward pass, the action mask of core/actions.ts, a masked argmax
 * and the action's proposal in shares. The caller still applies applyConstraints to the proposal.
 */
import { basename } from 'node:path';
import { actionMask, actionProposal } from '../core/actions.js';
import { observe } from '../core/observation.js';
import type { MarketState, Order } from '../core/types.js';
import { checkedNetwork } from './artifact-check.js';
import type { ModelArtifact } from './artifact.js';
import { readArtifact } from './artifact-store.js';
import { maskedArgmax } from './masking.js';
import type { ModelMetadata } from './metadata.js';
import { normalize } from './normalizer.js';

export interface DqnDecision {
  /** Index of the chosen action in the model's action space. */
  readonly action: number;
  /** The action's raw slice in shares, before the constraint layer. */
  readonly proposal: number;
  /** Q(s, a) per action. */
  readonly qValues: number[];
  /** The raw (unnormalised) observation the model saw. */
  readonly observation: number[];
  readonly mask: boolean[];
}

export interface ServingModel {
  readonly name: string;
  /** metadata.version, at top level for listings. */
  readonly version: string;
  readonly metadata: ModelMetadata;
  decide(order: Order, market: MarketState): DqnDecision;
}

/** @throws ArtifactError when the artifact fails a check of artifact-check.ts (the same at upload and at load). */
export function servingModelOf(name: string, artifact: ModelArtifact): ServingModel {
  const { metadata } = artifact;
  const network = checkedNetwork(artifact);
  const input = new Float32Array(network.inputSize);
  return {
    name,
    version: metadata.version,
    metadata,
    decide(order, market) {
      const observation = observe(order, market);
      const q = network.forwardValues(normalize(metadata.observation, observation, input));
      const mask = actionMask(metadata.actionSpace, order, market);
      const action = maskedArgmax(q, mask);
      return {
        action,
        proposal: actionProposal(metadata.actionSpace, action, order),
        qValues: q,
        observation,
        mask,
      };
    },
  };
}

/**
 * Loads the model stored in `dir`; its name is the directory's name unless given.
 * @throws ArtifactError for a missing file, unsupported observation spec or action space, wrong shapes or corrupt weights.
 */
export async function loadServingModel(dir: string, name = basename(dir)): Promise<ServingModel> {
  return servingModelOf(name, await readArtifact(dir));
}
