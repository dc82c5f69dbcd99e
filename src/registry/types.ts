/**
 * The model registry: named models, each with numbered versions (immutable artifacts) and aliases (production,
 * staging, any name) that point at a version. Storage is behind this interface so the embedded file store and
 * a PostgreSQL store can both fill it.
 */
import type { ModelArtifact } from '../models/artifact.js';
import type { ModelMetadata } from '../models/metadata.js';

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

export interface RegistryStore {
  listModels(): Promise<ModelRecord[]>;
  getModel(name: string): Promise<ModelRecord | undefined>;
  /** Stores a new immutable version (numbered 1, 2, ... per model) and returns it. */
  addVersion(name: string, artifact: ModelArtifact, info: { source: VersionSource; jobId?: string }): Promise<ModelVersion>;
  readArtifact(name: string, version: string): Promise<ModelArtifact>;
  setAlias(name: string, alias: string, version: string): Promise<ModelRecord>;
  deleteAlias(name: string, alias: string): Promise<ModelRecord>;
  deleteVersion(name: string, version: string): Promise<ModelRecord>;
}

/** A registry rule broken by a request (unknown model or version, a version still aliased). */
export class RegistryError extends Error {
  constructor(
    readonly statusCode: 404 | 409,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
