/**
 * The served-model contract: what the decision routes need of a model, whatever loads it (the registry, a test's
 * stub). Serving's DQN model (serving.ts) is one; the registry serves them (registry/served-models.ts) and the
 * `models` plugin only decorates the app with a source. No Fastify and no TF.js here, so both sides can import it.
 */
import type { MarketState, Order } from '../../core/types.js';
import type { Admission, ModelDomain } from '../artifact/domain.js';

/** A model's greedy answer with its reasons (action, Q-values, mask), before the constraint layer. */
export interface ModelDecision {
  /** Index of the chosen action in the model's action space. */
  readonly action: number;
  /** The action's raw slice in shares, before the constraint layer. */
  readonly proposal: number;
  /** Q(s, a) per action. */
  readonly qValues: readonly number[];
  /** The raw (unnormalised) observation the model saw. */
  readonly observation: readonly number[];
  readonly mask: readonly boolean[];
}

export interface ServedModel {
  readonly name: string;
  readonly version?: string;
  /** The observation's feature names (explain); obs-v1's when absent. */
  readonly features?: readonly string[];
  readonly domain?: ModelDomain;
  /** Whether the network may answer this request (artifact/domain.ts); a model without it is of unknown domain. */
  admit?(order: Order, market: MarketState, observation?: readonly number[]): Admission;
  observe?(order: Order, market: MarketState): number[];
  /** The greedy decision; `observation` saves recomputing it when the caller has it. */
  infer(order: Order, market: MarketState, observation?: number[]): ModelDecision;
}
