/**
 * The model registry: named models, each with numbered versions (immutable artifacts) and aliases (production,
 * staging, any name) that point at a version. Storage is behind this interface so the embedded file store and
 * a PostgreSQL store can both fill it.
 */
import type { ModelArtifact } from '../models/artifact/artifact.js';
import type { ModelMetadata } from '../models/artifact/metadata.js';

export type VersionSource = 'bundled' | 'training' | 'upload';

export interface ModelVersion {
  readonly model: string;
  readonly version: string;
  readonly createdAt: string;
  readonly source: VersionSource;
  /** The training job that made it, when one did. */
  readonly jobId?: string;
  readonly metadata: ModelMetadata;
}

export interface ModelRecord {
  readonly name: string;
  readonly versions: readonly ModelVersion[];
  /** alias -> version */
  readonly aliases: Readonly<Record<string, string>>;
}

/** A part of the stored registry that could not be read: the model (and version) it concerns, the file, why. */
export interface RegistryProblem {
  readonly model: string;
  readonly version?: string;
  readonly alias?: string;
  readonly file?: string;
  readonly reason: string;
}

export interface RegistryStore {
  /** Every model that can be read; one that cannot is left out and reported by problems(). */
  listModels(): Promise<ModelRecord[]>;
  /** What the last reads found broken (corrupt or missing files), per model; stores that cannot break omit it. */
  problems?(): readonly RegistryProblem[];
  getModel(name: string): Promise<ModelRecord | undefined>;
  /** Stores a new immutable version (numbered 1, 2, ... per model) and returns it. */
  addVersion(name: string, artifact: ModelArtifact, info: { source: VersionSource; jobId?: string }): Promise<ModelVersion>;
  readArtifact(name: string, version: string): Promise<ModelArtifact>;
  setAlias(name: string, alias: string, version: string): Promise<ModelRecord>;
  deleteAlias(name: string, alias: string): Promise<ModelRecord>;
  deleteVersion(name: string, version: string): Promise<ModelRecord>;
}

/** The version an alias or version reference names in `record`, own keys only (`toString` is no alias). */
export function versionOf(record: Pick<ModelRecord, 'aliases' | 'versions'>, ref: string): string | undefined {
  if (Object.hasOwn(record.aliases, ref)) return record.aliases[ref];
  return record.versions.some((v) => v.version === ref) ? ref : undefined;
}

/** A registry rule broken by a request (an invalid name, unknown model or version, a version still aliased). */
export class RegistryError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
