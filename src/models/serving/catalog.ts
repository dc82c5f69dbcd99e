/**
 * The deployed models: every subdirectory of a models folder is one model, named by its directory. A model that
 * fails to load is recorded with its error and the others keep serving, so one bad artifact cannot take the
 * DQN policy down.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelMetadata } from '../artifact/metadata.js';
import { loadServingModel, type DqnModel } from './serving.js';

export type CatalogEntry =
  | { readonly name: string; readonly status: 'loaded'; readonly metadata: ModelMetadata }
  | { readonly name: string; readonly status: 'failed'; readonly error: string };

export interface ModelCatalog {
  readonly dir: string;
  /** The model, or undefined when it does not exist or failed to load (see `list()` for why). */
  get(name: string): DqnModel | undefined;
  list(): CatalogEntry[];
}

/** Structural subset of pino's logger, so this module needs no logging dependency. */
export interface CatalogLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const DEFAULT_MODELS_DIR = 'models';

export async function loadModelCatalog(dir: string = DEFAULT_MODELS_DIR, logger?: CatalogLogger): Promise<ModelCatalog> {
  const models = new Map<string, DqnModel>();
  const entries: CatalogEntry[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch (err) {
    // No models folder means no models, not a crash: baselines still serve.
    logger?.error({ dir, err: (err as Error).message }, 'model folder cannot be read');
  }
  for (const name of names) {
    try {
      const model = await loadServingModel(join(dir, name), name);
      models.set(name, model);
      entries.push({ name, status: 'loaded', metadata: model.metadata });
      logger?.info({ model: name, version: model.metadata.version }, 'model loaded');
    } catch (err) {
      entries.push({ name, status: 'failed', error: (err as Error).message });
      logger?.error({ model: name, err: (err as Error).message }, 'model failed to load');
    }
  }
  return {
    dir,
    get: (name) => models.get(name),
    list: () => entries.slice(),
  };
}
