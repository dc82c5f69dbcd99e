/**
 * The one decision path of POST /v1/decisions: a baseline decides; a model decides only when it is found, the
 * request carries the fields its observation needs, the request is inside its trained domain, and it answers
 * with finite values. Whenever a model cannot answer, the request's fallback baseline does (`fallbackReason`
 * says why), or the request fails with the status of the reason: 404 not found, 400 missing fields, 422 out of
 * domain, 503 model error or non-finite output. A model never answers with a slice it did not mean.
 */
import { applyConstraints } from '../core/constraints.js';
import { decide } from '../core/decide.js';
import { OBSERVATION_FEATURES_V1 } from '../core/observation.js';
import type { MarketState, Order, Policy, Slice } from '../core/types.js';
import { UNKNOWN, type Admission } from '../models/artifact/domain.js';
import type { ModelDecision } from '../models/serving/served-model.js';
import type { ModelSource } from '../registry/served-models.js';
import { ApiErrors, invalidRequest, ModelFailed, type CatalogueEntry } from './errors.js';
import { requestDetails, type Detail } from './field-paths.js';
import { baselineDetails, buildBaseline } from './request-baseline.js';
import type { PolicySpecT } from './schemas.js';

export interface DecisionOutcome {
  readonly proposal: number;
  readonly slice: Slice;
  readonly policy: { type: string; model?: string; version?: string };
  readonly action?: number;
  /** dqn answered by the network: inside its domain, or the model records none. */
  readonly domain?: 'in' | 'unknown';
  readonly fallbackReason?: string;
  /** The model's inputs and outputs, when asked for and the network answered. */
  readonly explain?: { observation: Record<string, number>; qValues: number[]; mask: boolean[] };
}

/** Told of a model's own failure (it threw, or answered non-finite values) before the fallback or the 503. */
export type ModelErrorListener = (err: unknown, model: string) => void;

const listed = (details: readonly Detail[]): string => details.map((d) => `${d.path} ${d.reason}`).join('; ');
const labelOf = (spec: DqnSpec): string => `${spec.model}${spec.version ? `@${spec.version}` : ''}`;
type DqnSpec = Extract<PolicySpecT, { type: 'dqn' }>;
interface Fallback {
  readonly type: string;
  readonly policy: Policy;
}

function baselineOutcome(policy: Policy, type: string, order: Order, market: MarketState, fallbackReason?: string): DecisionOutcome {
  const { proposal, slice } = decide(policy, order, market);
  return { proposal, slice, policy: { type }, fallbackReason };
}

/** The model cannot answer: the fallback does, with the reason, or the request fails with `problem`. */
function cannot(fallback: Fallback | undefined, problem: CatalogueEntry<[string]>, reason: string, details: readonly Detail[], order: Order, market: MarketState): DecisionOutcome {
  if (!fallback) throw problem(details, reason);
  return baselineOutcome(fallback.policy, fallback.type, order, market, reason);
}

/** A model that cannot answer is the service's problem, never the caller's: fall back, or 503. */
function failed(fallback: Fallback | undefined, spec: DqnSpec, model: string, err: unknown, order: Order, market: MarketState, onModelError?: ModelErrorListener): DecisionOutcome {
  onModelError?.(err, model);
  const reason = `model ${labelOf(spec)} ${err instanceof NonFiniteOutput ? 'answered non-finite Q-values' : 'failed to decide'}`;
  if (!fallback) throw new ModelFailed(reason);
  return baselineOutcome(fallback.policy, fallback.type, order, market, reason);
}

const allFinite = (xs: readonly number[]): boolean => {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
};

/**
 * @throws ApiError 400 (invalidRequest) for a bad request; ApiErrors 404/400/422, or ModelFailed (503; `onModelError` has the
 * model's own error for the log), when a model cannot answer and no fallback is given.
 */
export function decideWithFallback(
  spec: PolicySpecT,
  order: Order,
  market: MarketState,
  models: ModelSource,
  explain = false,
  onModelError?: ModelErrorListener,
): DecisionOutcome {
  if (spec.type !== 'dqn') {
    const details = baselineDetails(spec, order, market, 'policy');
    if (details.length) throw invalidRequest(details);
    return baselineOutcome(buildBaseline(spec, 'policy'), spec.type, order, market);
  }
  // Build the fallback up front: a bad fallback is a bad request even when the model serves.
  let fallback: Fallback | undefined;
  if (spec.fallback) {
    const details = baselineDetails(spec.fallback, order, market, 'policy.fallback');
    if (details.length) throw invalidRequest(details);
    fallback = { type: spec.fallback.type, policy: buildBaseline(spec.fallback, 'policy.fallback') };
  }
  const model = models.resolve(spec.model, spec.version);
  if (!model) return cannot(fallback, ApiErrors.modelNotServing, `model not found: ${labelOf(spec)}`, [{ path: 'policy.model', reason: 'no loaded model serves it' }], order, market);

  let observation: number[] | undefined;
  let admission: Admission;
  try {
    observation = model.observe?.(order, market);
    admission = model.admit?.(order, market, observation) ?? UNKNOWN;
  } catch (err) {
    return failed(fallback, spec, model.name, err, order, market, onModelError);
  }
  if (admission.status === 'missing') {
    const details = requestDetails(admission.issues);
    return cannot(fallback, ApiErrors.modelInputMissing, `model ${labelOf(spec)} needs fields the request lacks: ${listed(details)}`, details, order, market);
  }
  if (admission.status === 'out') {
    const details = requestDetails(admission.issues);
    return cannot(fallback, ApiErrors.outsideModelDomain, `request outside the domain of model ${labelOf(spec)}: ${listed(details)}`, details, order, market);
  }
  let decision: ModelDecision;
  try {
    decision = model.infer(order, market, observation);
    if (!allFinite(decision.qValues) || !Number.isFinite(decision.proposal)) throw new NonFiniteOutput();
  } catch (err) {
    return failed(fallback, spec, model.name, err, order, market, onModelError);
  }
  const features = model.features ?? OBSERVATION_FEATURES_V1;
  return {
    proposal: decision.proposal,
    slice: applyConstraints(order, market, decision.proposal),
    policy: { type: 'dqn', model: model.name, version: model.version },
    action: decision.action,
    domain: admission.status,
    explain: explain
      ? {
          observation: Object.fromEntries(features.map((f, i) => [f, decision.observation[i]])),
          qValues: [...decision.qValues],
          mask: [...decision.mask],
        }
      : undefined,
  };
}

class NonFiniteOutput extends Error {
  constructor() {
    super('the network answered non-finite Q-values');
  }
}
