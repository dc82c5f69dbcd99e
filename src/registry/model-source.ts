/**
 * Serves the registry's models to the decision route. Every version is loaded into memory (models are KBs); a
 * request resolves name + version-or-alias through one immutable snapshot per model, and a change builds the new
 * snapshot completely (every new version loaded and checked) before swapping it in with one assignment, so no
 * request ever sees a half-loaded model.
 */
import type { ModelMetadata } from '../models/metadata.js';
import { readArtifact } from '../models/artifact-store.js';
import { servingModelOf } from '../models/serving.js';
import type { ModelListing, ModelSource, ServedModel } from '../plugins/models.js';
import type { ModelRecord, RegistryStore } from './types.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const DEFAULT_ALIAS = 'production';

interface Snapshot {
  readonly record: ModelRecord;
  readonly served: ReadonlyMap<string, ServedModel & { metadata: ModelMetadata }>;
  readonly failed: ReadonlyMap<string, string>;
}

export interface SourceLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const summaryOf = (m: ModelMetadata): Record<string, unknown> => ({
  createdAt: m.createdAt,
  scenario: m.training.scenario,
  observation: m.observation.spec,
  reward: m.reward.type,
  actionSpace: m.actionSpace,
  episodes: m.training.episodes,
  ...(m.evaluation ? { evaluation: m.evaluation } : {}),
});

export class RegistryModelSource implements ModelSource {
  private snapshots = new Map<string, Snapshot>();
  /** Bundled artifacts that could not be imported, listed so /v1/policies says why a model is missing. */
  private refused: ModelListing[] = [];

  constructor(
    readonly store: RegistryStore,
    private readonly log?: SourceLogger,
  ) {}

  private build(record: ModelRecord, previous?: Snapshot): Promise<Snapshot> {
    return (async () => {
      const served = new Map<string, ServedModel & { metadata: ModelMetadata }>();
      const failed = new Map<string, string>();
      for (const v of record.versions) {
        const known = previous?.served.get(v.version);
        if (known) {
          served.set(v.version, known); // versions are immutable: reuse what is loaded
          continue;
        }
        try {
          const model = servingModelOf(record.name, await this.store.readArtifact(record.name, v.version));
          served.set(v.version, { ...model, name: record.name, version: v.version });
        } catch (err) {
          failed.set(v.version, (err as Error).message);
          this.log?.error({ model: record.name, version: v.version, err: (err as Error).message }, 'model version failed to load');
        }
      }
      return { record, served, failed };
    })();
  }

  /** Loads every model of the store (again: versions already loaded are reused, since they are immutable). */
  async init(): Promise<void> {
    const next = new Map<string, Snapshot>();
    for (const record of await this.store.listModels()) next.set(record.name, await this.build(record, this.snapshots.get(record.name)));
    this.snapshots = next;
  }

  /** Re-reads one model from the store and swaps its snapshot in once fully loaded. */
  async refresh(name: string): Promise<void> {
    const record = await this.store.getModel(name);
    if (!record) {
      this.snapshots.delete(name);
      return;
    }
    const snapshot = await this.build(record, this.snapshots.get(name));
    this.snapshots.set(name, snapshot);
  }

  resolve(name: string, version: string = DEFAULT_ALIAS): ServedModel | undefined {
    const snapshot = this.snapshots.get(name);
    if (!snapshot) return undefined;
    const target = snapshot.record.aliases[version] ?? version;
    return snapshot.served.get(target);
  }

  list(): ModelListing[] {
    const out: ModelListing[] = [...this.refused];
    for (const { record, served, failed } of this.snapshots.values()) {
      const aliasesOf = (v: string) => Object.entries(record.aliases).filter(([, x]) => x === v).map(([a]) => a);
      for (const v of record.versions) {
        const model = served.get(v.version);
        if (model) {
          const domain = model.metadata.domain;
          out.push({ name: record.name, version: v.version, status: 'loaded', summary: { aliases: aliasesOf(v.version), ...summaryOf(model.metadata) }, ...(domain ? { domain } : {}) });
        } else {
          out.push({ name: record.name, version: v.version, status: 'failed', error: failed.get(v.version) ?? 'not loaded' });
        }
      }
    }
    return out;
  }

  /**
   * Imports the artifacts shipped under `modelsDir` (one folder per model) as new versions: on an empty registry
   * each becomes version 1 with the production alias; a later release's different artifact (new weights) becomes
   * the next version and takes production over only while production still points where the last release put
   * it, so an operator's own promotion is never undone. A broken artifact is logged, listed as failed and skipped.
   */
  async importBundled(modelsDir: string): Promise<void> {
    let names: string[] = [];
    try {
      names = (await readdir(modelsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch {
      return; // no bundled models: baselines still serve
    }
    this.refused = [];
    for (const name of names.sort()) {
      try {
        const artifact = await readArtifact(join(modelsDir, name));
        servingModelOf(name, artifact); // refuse what cannot serve before it enters the registry
        const existing = await this.store.getModel(name);
        if (existing?.versions.some((v) => v.metadata.weightsSha256 === artifact.metadata.weightsSha256)) continue;
        const production = existing?.aliases[DEFAULT_ALIAS];
        // Production still where the last release put it (its newest bundled version): the new release may move it.
        const lastBundled = existing?.versions.filter((v) => v.source === 'bundled').at(-1)?.version;
        const bundledInCharge = !production || production === lastBundled;
        const v = await this.store.addVersion(name, artifact, { source: 'bundled' });
        if (bundledInCharge) await this.store.setAlias(name, DEFAULT_ALIAS, v.version);
        this.log?.info({ model: name, version: v.version, production: bundledInCharge }, 'bundled model imported');
      } catch (err) {
        this.refused.push({ name, status: 'failed', error: `bundled artifact ${join(modelsDir, name)} refused: ${(err as Error).message}` });
        this.log?.error({ model: name, err: (err as Error).message }, 'bundled model refused');
      }
    }
  }
}
