/**
 * The embedded registry: files under DATA_DIR/registry. Each model is a folder with one folder per version (an
 * artifact written by writeArtifact) and a record.json (versions and aliases). A version folder is written under
 * a temporary name and renamed into place before record.json mentions it, and record.json is replaced
 * atomically, so a crash at any point leaves the registry as it was before or after, never half-written.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelArtifact } from '../models/artifact.js';
import { readArtifact, writeArtifact } from '../models/artifact-store.js';
import { KeyedMutex, readJson, writeJsonAtomic } from '../store/atomic.js';
import { RegistryError, type ModelRecord, type ModelVersion, type RegistryStore, type VersionSource } from './types.js';

interface RecordFile {
  name: string;
  nextVersion: number;
  aliases: Record<string, string>;
  versions: Omit<ModelVersion, 'metadata' | 'model'>[];
}

export const MODEL_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export class FileRegistryStore implements RegistryStore {
  private readonly root: string;
  private readonly mutex = new KeyedMutex();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'registry');
  }

  private recordPath(name: string) {
    return join(this.root, name, 'record.json');
  }

  private versionDir(name: string, version: string) {
    return join(this.root, name, `v${version}`);
  }

  private async readRecord(name: string): Promise<RecordFile | undefined> {
    if (!MODEL_NAME.test(name)) return undefined;
    return readJson<RecordFile>(this.recordPath(name));
  }

  private async toModel(file: RecordFile): Promise<ModelRecord> {
    const versions: ModelVersion[] = [];
    for (const v of file.versions) {
      const metadata = await readJson<ModelVersion['metadata']>(join(this.versionDir(file.name, v.version), 'metadata.json'));
      if (metadata) versions.push({ ...v, model: file.name, metadata });
    }
    return { name: file.name, versions, aliases: { ...file.aliases } };
  }

  async listModels(): Promise<ModelRecord[]> {
    let names: string[] = [];
    try {
      names = (await readdir(this.root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const models: ModelRecord[] = [];
    for (const name of names) {
      const file = await this.readRecord(name);
      if (file) models.push(await this.toModel(file));
    }
    return models;
  }

  async getModel(name: string): Promise<ModelRecord | undefined> {
    const file = await this.readRecord(name);
    return file ? this.toModel(file) : undefined;
  }

  private async mustRecord(name: string): Promise<RecordFile> {
    const file = await this.readRecord(name);
    if (!file) throw new RegistryError(404, `model not found: ${name}`, 'name');
    return file;
  }

  addVersion(name: string, artifact: ModelArtifact, info: { source: VersionSource; jobId?: string }): Promise<ModelVersion> {
    if (!MODEL_NAME.test(name)) throw new RegistryError(409, `invalid model name ${JSON.stringify(name)}`, 'name');
    return this.mutex.run(name, async () => {
      const file = (await this.readRecord(name)) ?? { name, nextVersion: 1, aliases: {}, versions: [] };
      const version = String(file.nextVersion);
      const staging = join(this.root, name, `.staging-${randomUUID()}`);
      await writeArtifact(staging, artifact);
      await rename(staging, this.versionDir(name, version));
      const entry = { version, createdAt: new Date().toISOString(), source: info.source, ...(info.jobId ? { jobId: info.jobId } : {}) };
      await writeJsonAtomic(this.recordPath(name), { ...file, nextVersion: file.nextVersion + 1, versions: [...file.versions, entry] });
      return { ...entry, model: name, metadata: artifact.metadata };
    });
  }

  async readArtifact(name: string, version: string): Promise<ModelArtifact> {
    const file = await this.mustRecord(name);
    if (!file.versions.some((v) => v.version === version)) throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
    return readArtifact(this.versionDir(name, version));
  }

  setAlias(name: string, alias: string, version: string): Promise<ModelRecord> {
    return this.mutex.run(name, async () => {
      const file = await this.mustRecord(name);
      if (!file.versions.some((v) => v.version === version)) throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
      const next = { ...file, aliases: { ...file.aliases, [alias]: version } };
      await writeJsonAtomic(this.recordPath(name), next);
      return this.toModel(next);
    });
  }

  deleteAlias(name: string, alias: string): Promise<ModelRecord> {
    return this.mutex.run(name, async () => {
      const file = await this.mustRecord(name);
      if (!(alias in file.aliases)) throw new RegistryError(404, `alias not found: ${name}@${alias}`, 'alias');
      const aliases = { ...file.aliases };
      delete aliases[alias];
      const next = { ...file, aliases };
      await writeJsonAtomic(this.recordPath(name), next);
      return this.toModel(next);
    });
  }

  deleteVersion(name: string, version: string): Promise<ModelRecord> {
    return this.mutex.run(name, async () => {
      const file = await this.mustRecord(name);
      if (!file.versions.some((v) => v.version === version)) throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
      const pointing = Object.entries(file.aliases).filter(([, v]) => v === version).map(([a]) => a);
      if (pointing.length) {
        throw new RegistryError(409, `version ${version} of ${name} is still aliased as ${pointing.join(', ')}; move the alias first`, 'version');
      }
      const next = { ...file, versions: file.versions.filter((v) => v.version !== version) };
      // The record forgets the version first: a crash before the folder is gone leaves an orphan, not a hole.
      await writeJsonAtomic(this.recordPath(name), next);
      await rm(this.versionDir(name, version), { recursive: true, force: true });
      return this.toModel(next);
    });
  }
}
