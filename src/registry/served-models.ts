/**
 * What serves models to the decision routes: a name and a version or alias resolve to a served model
 * (models/serving/served-model.ts). The registry implements it (model-source.ts); the `models` plugin decorates the
 * app with one.
 */
import type { ModelDomain } from '../models/artifact/domain.js';
import type { ServedModel } from '../models/serving/served-model.js';
import type { RegistryProblem } from './types.js';

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
