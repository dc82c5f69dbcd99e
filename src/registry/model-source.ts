/**
 * Serves the registry's models to the decision route. A request resolves name + version-or-alias through one
 * immutable snapshot per model; a change builds the new snapshot completely (every version it needs loaded and
 * checked) before swapping it in with one assignment, so no request ever sees a half-loaded model.
 *
 * Memory is bounded: every aliased version is loaded (those are what serve by default), and besides them at most
 * `cachedVersions` other versions, the most recently served; the rest stay in the store, unloaded. A new version
 * (trained or uploaded) is checked when it is stored and loaded when first asked for or aliased. A request for an
 * unloaded version starts its load and is answered as "not loaded" (404, or the request's fallback) until it is
 * in; a version that cannot serve is remembered as failed with its reason.
 */
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { readArtifact } from '../models/artifact/artifact-store.js';
import type { ModelMetadata } from '../models/artifact/metadata.js';
import { servingModelOf } from '../models/serving/serving.js';
import type { ServedModel } from '../models/serving/served-model.js';
import type { ModelListing, ModelSource } from './served-models.js';
import { modelNameProblem } from './model-name.js';
import { versionOf, type ModelRecord, type RegistryProblem, type RegistryStore } from './types.js';

export const DEFAULT_ALIAS = 'production';
/** Versions kept loaded besides the aliased ones (MODEL_CACHE_VERSIONS). */
export const DEFAULT_CACHED_VERSIONS = 8;

/** A loaded version; `usedAt` orders the cache (a counter, written on every resolve: one field, no allocation). */
type Loaded = ServedModel & { metadata: ModelMetadata; usedAt: number };

interface Snapshot {
  readonly record: ModelRecord;
  readonly served: ReadonlyMap<string, Loaded>;
  readonly failed: ReadonlyMap<string, string>;
}

export interface SourceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ModelSourceOptions {
  /** Versions kept loaded besides the aliased ones (default DEFAULT_CACHED_VERSIONS). */
  readonly cachedVersions?: number;
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

const aliasedVersions = (record: ModelRecord) => new Set(Object.values(record.aliases));

export class RegistryModelSource implements ModelSource {
  private snapshots = new Map<string, Snapshot>();
  /** Bundled artifacts that could not be imported, listed so /v1/policies says why a model is missing. */
  private refused: ModelListing[] = [];
  private readonly loading = new Set<string>();
  private tick = 0;
  readonly cachedVersions: number;

  constructor(
    readonly store: RegistryStore,
    private readonly log?: SourceLogger,
    options: ModelSourceOptions = {},
  ) {
    this.cachedVersions = options.cachedVersions ?? DEFAULT_CACHED_VERSIONS;
  }

  /** Loads and checks one version: the served model, or the reason it cannot serve. */
  private async loadVersion(name: string, version: string): Promise<Loaded | string> {
    try {
      const model = servingModelOf(name, await this.store.readArtifact(name, version));
      return { ...model, name, version, usedAt: ++this.tick };
    } catch (err) {
      this.log?.error({ model: name, version, err: (err as Error).message }, 'model version failed to load');
      return (err as Error).message;
    }
  }

  /** The snapshot of `record`: its aliased versions and the versions already loaded. */
  private async build(record: ModelRecord, previous?: Snapshot): Promise<Snapshot> {
    const served = new Map<string, Loaded>();
    const failed = new Map<string, string>();
    const aliased = aliasedVersions(record);
    for (const v of record.versions) {
      const known = previous?.served.get(v.version);
      const failure = previous?.failed.get(v.version);
      if (known) served.set(v.version, known); // versions are immutable: reuse what is loaded
      else if (failure !== undefined) failed.set(v.version, failure);
      else if (aliased.has(v.version)) {
        const loaded = await this.loadVersion(record.name, v.version);
        if (typeof loaded === 'string') failed.set(v.version, loaded);
        else served.set(v.version, loaded);
      }
    }
    return { record, served, failed };
  }

  /** Unloads the least recently used unaliased versions beyond the bound. */
  private evict(): void {
    const candidates: { name: string; version: string; usedAt: number }[] = [];
    for (const { record, served } of this.snapshots.values()) {
      const aliased = aliasedVersions(record);
      for (const [version, m] of served) if (!aliased.has(version)) candidates.push({ name: record.name, version, usedAt: m.usedAt });
    }
    if (candidates.length <= this.cachedVersions) return;
    candidates.sort((a, b) => b.usedAt - a.usedAt);
    for (const { name, version } of candidates.slice(this.cachedVersions)) {
      const snapshot = this.snapshots.get(name)!;
      const served = new Map(snapshot.served);
      served.delete(version);
      this.snapshots.set(name, { ...snapshot, served });
      this.log?.info({ model: name, version }, 'model version unloaded (cache bound)');
    }
  }

  /** Loads every model of the store (again: versions already loaded are reused, since they are immutable). */
  async init(): Promise<void> {
    const next = new Map<string, Snapshot>();
    for (const record of await this.store.listModels()) next.set(record.name, await this.build(record, this.snapshots.get(record.name)));
    this.snapshots = next;
    this.evict();
    for (const p of this.store.problems?.() ?? []) this.log?.error({ ...p }, 'registry file unreadable; the rest is served');
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
    this.evict();
  }

  /**
   * Loads `name@version` if it is not (it joins the cache) and says whether it can serve: an alias must never
   * point at a version that cannot.
   */
  async servable(name: string, version: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const snapshot = this.snapshots.get(name);
    if (snapshot?.served.has(version)) return { ok: true };
    const failure = snapshot?.failed.get(version);
    if (failure !== undefined) return { ok: false, reason: failure };
    const loaded = await this.loadVersion(name, version);
    if (typeof loaded === 'string') {
      const now = this.snapshots.get(name);
      if (now) this.snapshots.set(name, { ...now, failed: new Map(now.failed).set(version, loaded) });
      return { ok: false, reason: loaded };
    }
    this.admit(name, loaded);
    return { ok: true };
  }

  /** Adds a loaded version to its model's current snapshot (if the version is still in it). */
  private admit(name: string, loaded: Loaded): void {
    const now = this.snapshots.get(name);
    if (!now || !now.record.versions.some((v) => v.version === loaded.version) || now.served.has(loaded.version!)) return;
    this.snapshots.set(name, { ...now, served: new Map(now.served).set(loaded.version!, loaded) });
    this.evict();
  }

  /** Loads an unloaded version in the background; the request that asked is answered without it. */
  private loadLater(name: string, version: string): void {
    const key = `${name}@${version}`;
    if (this.loading.has(key)) return;
    this.loading.add(key);
    void this.loadVersion(name, version)
      .then((loaded) => {
        const now = this.snapshots.get(name);
        if (typeof loaded !== 'string') this.admit(name, loaded);
        else if (now) this.snapshots.set(name, { ...now, failed: new Map(now.failed).set(version, loaded) });
      })
      .finally(() => this.loading.delete(key));
  }

  resolve(name: string, version: string = DEFAULT_ALIAS): ServedModel | undefined {
    const snapshot = this.snapshots.get(name);
    if (!snapshot) return undefined;
    const target = versionOf(snapshot.record, version);
    if (target === undefined) return undefined;
    const model = snapshot.served.get(target);
    if (model) {
      model.usedAt = ++this.tick;
      return model;
    }
    if (!snapshot.failed.has(target)) this.loadLater(name, target);
    return undefined;
  }

  /** How many versions are in memory now (the cache bound's observable). */
  loadedVersions(): number {
    let n = 0;
    for (const s of this.snapshots.values()) n += s.served.size;
    return n;
  }

  list(): ModelListing[] {
    const out: ModelListing[] = [...this.refused];
    for (const { record, served, failed } of this.snapshots.values()) {
      const aliasesOf = (v: string) => Object.entries(record.aliases).filter(([, x]) => x === v).map(([a]) => a);
      for (const v of record.versions) {
        const model = served.get(v.version);
        const failure = failed.get(v.version);
        if (model) {
          const domain = model.metadata.domain;
          out.push({ name: record.name, version: v.version, status: 'loaded', summary: { aliases: aliasesOf(v.version), ...summaryOf(model.metadata) }, ...(domain ? { domain } : {}) });
        } else if (failure !== undefined) {
          out.push({ name: record.name, version: v.version, status: 'failed', error: failure });
        } else {
          out.push({ name: record.name, version: v.version, status: 'stored', summary: { aliases: aliasesOf(v.version), ...summaryOf(v.metadata) } });
        }
      }
    }
    return out;
  }

  /** What is broken: unreadable registry files, dangling aliases, versions that failed to load, refused bundles. */
  problems(): RegistryProblem[] {
    const out: RegistryProblem[] = [...(this.store.problems?.() ?? [])];
    for (const { record, failed } of this.snapshots.values()) {
      for (const [version, reason] of failed) out.push({ model: record.name, version, reason });
    }
    for (const r of this.refused) out.push({ model: r.name, reason: r.error ?? 'refused' });
    return out;
  }

  /**
   * Imports the artifacts shipped under `modelsDir` (one folder per model). Only into an EMPTY registry do they
   * arrive as production (version 1 of each); once the registry has models, a bundled artifact not yet stored
   * (a new model folder, or new weights) is added as a new version WITHOUT an alias, and logged: promotion goes
   * through the admin API and its gate like any other version. An artifact already stored (same weights) is
   * skipped; a broken one is logged, listed as failed and skipped.
   */
  async importBundled(modelsDir: string): Promise<void> {
    let names: string[] = [];
    try {
      names = (await readdir(modelsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch {
      return; // no bundled models: baselines still serve
    }
    this.refused = [];
    const existing = await this.store.listModels();
    const empty = existing.length === 0 && (this.store.problems?.() ?? []).length === 0;
    for (const name of names.sort()) {
      try {
        const invalid = modelNameProblem(name);
        if (invalid) throw new Error(`the folder name is not a model name: ${invalid}`);
        const artifact = await readArtifact(join(modelsDir, name));
        servingModelOf(name, artifact); // refuse what cannot serve before it enters the registry
        const stored = existing.find((m) => m.name === name);
        if (stored?.versions.some((v) => v.metadata.weightsSha256 === artifact.metadata.weightsSha256)) continue;
        const v = await this.store.addVersion(name, artifact, { source: 'bundled' });
        if (empty) {
          await this.store.setAlias(name, DEFAULT_ALIAS, v.version);
          this.log?.info({ model: name, version: v.version, alias: DEFAULT_ALIAS }, 'bundled model imported into the empty registry as production');
        } else {
          this.log?.warn({ model: name, version: v.version }, 'bundled model imported as a new version without an alias (the registry was not empty); promote it through the admin API');
        }
      } catch (err) {
        this.refused.push({ name, status: 'failed', error: `bundled artifact ${join(modelsDir, name)} refused: ${(err as Error).message}` });
        this.log?.error({ model: name, err: (err as Error).message }, 'bundled model refused');
      }
    }
  }
}
