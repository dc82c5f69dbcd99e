/**
 * What the decision routes need of the served models, whatever loads them (a folder of artifacts now, a registry
 * with aliases later). Decorated on the app as `models`.
 */
import fp from 'fastify-plugin';
import type { MarketState, Order } from '../core/types.js';
import type { Admission, ModelDomain } from '../models/artifact/domain.js';
import type { RegistryProblem } from '../registry/types.js';

export interface ModelDecision {
  readonly action: number;
  readonly proposal: number;
  readonly qValues: readonly number[];
  readonly observation: readonly number[];
  readonly mask: readonly boolean[];
}

export interface ServedModel {
  readonly name: string;
  readonly version?: string;
  /** The observation's feature names (explain); obs-v1's when absent. */
  readonly features?: readonly string[];
  readonly domain?: ModelDomain;
  /** Whether the network may answer this request (models/artifact/domain.ts); a model without it is of unknown domain. */
  admit?(order: Order, market: MarketState, observation?: readonly number[]): Admission;
  observe?(order: Order, market: MarketState): number[];
  decide(order: Order, market: MarketState, observation?: number[]): ModelDecision;
}

export interface ModelListing {
  readonly name: string;
  readonly version?: string;
  /** loaded (in memory), stored (in the registry, loaded on first request) or failed (with the reason). */
  readonly status: 'loaded' | 'stored' | 'failed';
  readonly error?: string;
  readonly summary?: Record<string, unknown>;
  /** Where the model answers (metadata.domain); absent when the model records none. */
  readonly domain?: ModelDomain;
}

export interface ModelSource {
  /** The model serving `name` at `version` (a version or an alias); undefined when none can serve. */
  resolve(name: string, version?: string): ServedModel | undefined;
  list(): readonly ModelListing[];
  /** What could not be read or loaded (named by file, model, version), for /readyz; sources that cannot break omit it. */
  problems?(): readonly RegistryProblem[];
}

export const emptyModelSource: ModelSource = { resolve: () => undefined, list: () => [] };

declare module 'fastify' {
  interface FastifyInstance {
    models: ModelSource;
  }
}

export default fp(
  async (app, opts: { source?: ModelSource }) => {
    app.decorate('models', opts.source ?? emptyModelSource);
  },
  { name: 'models' },
);
