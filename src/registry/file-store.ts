/**
 * The embedded registry: files under DATA_DIR/registry. Each model is a folder with one folder per version (an
 * artifact written by writeArtifact) and a record.json (versions and aliases). A version folder is written under
 * a temporary name and renamed into place before record.json mentions it, and record.json is replaced
 * atomically (fsynced), so a crash at any point leaves the registry as it was before or after, never
 * half-written. Every path is built from a validated model name and proven inside the registry root before
 * anything is written or deleted. A record or metadata file that cannot be read leaves that model (or version)
 * out and is reported by problems(), so one broken file never stops the rest from serving.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelArtifact } from '../models/artifact/artifact.js';
import { readArtifact, writeArtifact } from '../models/artifact/artifact-store.js';
import { fsyncDir, KeyedMutex, readJson, removeOrphans, writeJsonAtomic } from '../store/atomic.js';
import { childInside } from '../store/inside.js';
import { isModelName, modelNameProblem } from './model-name.js';
import { RegistryError, type ModelRecord, type ModelVersion, type RegistryProblem, type RegistryStore, type VersionSource } from './types.js';

interface RecordFile {
  name: string;
  nextVersion: number;
  aliases: Record<string, string>;
  versions: Omit<ModelVersion, 'metadata' | 'model'>[];
}

const VERSION = /^[1-9][0-9]{0,8}$/;

export class FileRegistryStore implements RegistryStore {
  private readonly root: string;
  private readonly mutex = new KeyedMutex();
  private readonly broken = new Map<string, RegistryProblem[]>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'registry');
  }

  /** The model's folder: one level below the root, whatever the name (validated first). */
  private modelDir(name: string): string {
    const problem = modelNameProblem(name);
    if (problem) throw new RegistryError(400, problem, 'name');
    return childInside(this.root, name);
  }

  private recordPath(name: string) {
    return join(this.modelDir(name), 'record.json');
  }

  private versionDir(name: string, version: string) {
    if (!VERSION.test(version)) throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
    return childInside(this.modelDir(name), `v${version}`);
  }

  problems(): RegistryProblem[] {
    return [...this.broken.values()].flat();
  }

  /** Removes what interrupted writes left behind (`.staging-*` folders, `*.tmp-*` files); at start only. */
  cleanOrphans(): Promise<string[]> {
    return removeOrphans(this.root, 2);
  }

  /** The record, undefined when there is none; a record that cannot be read is reported and reads as none. */
  private async readRecord(name: string, problems: RegistryProblem[]): Promise<RecordFile | undefined> {
    if (!isModelName(name)) return undefined;
    const file = this.recordPath(name);
    let record: RecordFile | undefined;
    try {
      record = await readJson<RecordFile>(file);
    } catch (err) {
      problems.push({ model: name, file, reason: `cannot be read: ${(err as Error).message}` });
      return undefined;
    }
    if (record === undefined) return undefined;
    const valid =
      typeof record === 'object' && record !== null && record.name === name && Number.isInteger(record.nextVersion) &&
      typeof record.aliases === 'object' && record.aliases !== null && Array.isArray(record.versions) &&
      record.versions.every((v) => typeof v?.version === 'string' && VERSION.test(v.version));
    if (!valid) {
      problems.push({ model: name, file, reason: 'is not a registry record (name, nextVersion, aliases, versions)' });
      return undefined;
    }
    return record;
  }

  private async toModel(file: RecordFile, problems: RegistryProblem[]): Promise<ModelRecord> {
    const versions: ModelVersion[] = [];
    for (const v of file.versions) {
      const path = join(this.versionDir(file.name, v.version), 'metadata.json');
      try {
        const metadata = await readJson<ModelVersion['metadata']>(path);
        if (metadata) versions.push({ ...v, model: file.name, metadata });
        else problems.push({ model: file.name, version: v.version, file: path, reason: 'is missing (the version folder is gone or incomplete)' });
      } catch (err) {
        problems.push({ model: file.name, version: v.version, file: path, reason: `cannot be read: ${(err as Error).message}` });
      }
    }
    for (const [alias, version] of Object.entries(file.aliases)) {
      if (!versions.some((v) => v.version === version)) {
        problems.push({ model: file.name, alias, file: this.recordPath(file.name), reason: `alias ${alias} points at version ${version}, which cannot be read` });
      }
    }
    return { name: file.name, versions, aliases: { ...file.aliases } };
  }

  /** Reads one model, replacing what is known to be broken about it. */
  private async load(name: string): Promise<{ record?: RecordFile; model?: ModelRecord }> {
    const problems: RegistryProblem[] = [];
    const record = await this.readRecord(name, problems);
    const model = record ? await this.toModel(record, problems) : undefined;
    if (problems.length) this.broken.set(name, problems);
    else this.broken.delete(name);
    return { record, model };
  }

  async listModels(): Promise<ModelRecord[]> {
    let names: string[] = [];
    try {
      names = (await readdir(this.root, { withFileTypes: true })).filter((d) => d.isDirectory() && isModelName(d.name)).map((d) => d.name).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.broken.clear();
    const models: ModelRecord[] = [];
    for (const name of names) {
      const { model } = await this.load(name);
      if (model) models.push(model);
    }
    return models;
  }

  async getModel(name: string): Promise<ModelRecord | undefined> {
    if (!isModelName(name)) return undefined;
    return (await this.load(name)).model;
  }

  private async mustRecord(name: string): Promise<RecordFile> {
    this.modelDir(name); // 400 for a name that is not one
    const { record } = await this.load(name);
    if (record) return record;
    const broken = this.broken.get(name)?.find((p) => p.version === undefined && p.alias === undefined);
    if (broken) throw new RegistryError(409, `model ${name} cannot be changed: ${broken.file} ${broken.reason}`, 'name');
    throw new RegistryError(404, `model not found: ${name}`, 'name');
  }

  async addVersion(name: string, artifact: ModelArtifact, info: { source: VersionSource; jobId?: string }): Promise<ModelVersion> {
    const modelDir = this.modelDir(name);
    return this.mutex.run(name, async () => {
      const problems: RegistryProblem[] = [];
      const existing = await this.readRecord(name, problems);
      if (problems.length) throw new RegistryError(409, `model ${name} cannot be changed: ${problems[0].file} ${problems[0].reason}`, 'name');
      const file = existing ?? { name, nextVersion: 1, aliases: {}, versions: [] };
      const version = String(file.nextVersion);
      const staging = childInside(modelDir, `.staging-${randomUUID()}`);
      try {
        await writeArtifact(staging, artifact);
        await rename(staging, this.versionDir(name, version));
      } catch (err) {
        await rm(staging, { recursive: true, force: true }).catch(() => undefined); // nothing left behind
        throw err;
      }
      await fsyncDir(modelDir);
      const entry = { version, createdAt: new Date().toISOString(), source: info.source, ...(info.jobId ? { jobId: info.jobId } : {}) };
      await writeJsonAtomic(this.recordPath(name), { ...file, nextVersion: file.nextVersion + 1, versions: [...file.versions, entry] });
      await fsyncDir(this.root);
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
      return this.toModel(next, []);
    });
  }

  deleteAlias(name: string, alias: string): Promise<ModelRecord> {
    return this.mutex.run(name, async () => {
      const file = await this.mustRecord(name);
      if (!Object.hasOwn(file.aliases, alias)) throw new RegistryError(404, `alias not found: ${name}@${alias}`, 'alias');
      const aliases = { ...file.aliases };
      delete aliases[alias];
      const next = { ...file, aliases };
      await writeJsonAtomic(this.recordPath(name), next);
      return this.toModel(next, []);
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
      return this.toModel(next, []);
    });
  }
}
