/**
 * A trained model ready to decide: the observation of core/observation.ts for the model's spec (the same function
 * the environment uses), the artifact's normalisation, the lean forward pass, the action mask of core/actions.ts,
 * a masked argmax and the action's proposal in shares. The caller still applies applyConstraints to the proposal.
 * The model also says whether a request is inside its domain (admit); dqn-policy.ts adapts it to a core Policy.
 */
import { basename } from 'node:path';
import { actionMask, actionProposal } from '../../core/actions.js';
import { featuresOf, observerOf, type ObservationSpec } from '../../core/observation.js';
import type { MarketState, Order } from '../../core/types.js';
import { checkedNetwork } from '../artifact/artifact-check.js';
import type { ModelArtifact } from '../artifact/artifact.js';
import { readArtifact } from '../artifact/artifact-store.js';
import { maskedArgmax } from './masking.js';
import { domainIssues, IN, missingFields, UNKNOWN, type Admission, type ModelDomain } from '../artifact/domain.js';
import type { ModelMetadata } from '../artifact/metadata.js';
import { normalize } from './normalizer.js';
import type { ModelDecision, ServedModel } from './served-model.js';

/** Serving's DQN model: a served model (served-model.ts) read from an artifact. */
export interface DqnModel extends ServedModel {
  readonly name: string;
  /** metadata.version, at top level for listings. */
  readonly version: string;
  readonly metadata: ModelMetadata;
  readonly spec: ObservationSpec;
  /** The observation's feature names, in input order. */
  readonly features: readonly string[];
  readonly domain?: ModelDomain;
  observe(order: Order, market: MarketState): number[];
  /** Whether the network may answer: inside the domain, unknown (no domain recorded), or why not. */
  admit(order: Order, market: MarketState, observation?: readonly number[]): Admission;
  infer(order: Order, market: MarketState, observation?: number[]): ModelDecision;
}

/** @throws ArtifactError when the artifact fails a check of artifact-check.ts (the same at upload and at load). */
export function servingModelOf(name: string, artifact: ModelArtifact): DqnModel {
  const { metadata } = artifact;
  const network = checkedNetwork(artifact);
  const input = new Float32Array(network.inputSize);
  const spec = metadata.observation.spec;
  const observe = observerOf(spec);
  const features = featuresOf(spec);
  const domain = metadata.domain;
  const infer = (order: Order, market: MarketState, observation: number[] = observe(order, market)): ModelDecision => {
    const q = network.forwardValues(normalize(metadata.observation, observation, input));
    const mask = actionMask(metadata.actionSpace, order, market);
    const action = maskedArgmax(q, mask);
    return { action, proposal: actionProposal(metadata.actionSpace, action, order), qValues: q, observation, mask };
  };
  return {
    name,
    version: metadata.version,
    metadata,
    spec,
    features,
    domain,
    observe,
    admit(order, market, observation) {
      if (!domain) return UNKNOWN;
      const missing = missingFields(domain, market, name);
      if (missing.length) return { status: 'missing', issues: missing };
      const issues = domainIssues(domain, features, order, market, observation ?? observe(order, market));
      return issues.length ? { status: 'out', issues } : IN;
    },
    infer,
  };
}

/**
 * Loads the model stored in `dir`; its name is the directory's name unless given.
 * @throws ArtifactError for a missing file, unsupported observation spec or action space, wrong shapes or corrupt weights.
 */
export async function loadServingModel(dir: string, name = basename(dir)): Promise<DqnModel> {
  return servingModelOf(name, await readArtifact(dir));
}
