/**
 * The registry in PostgreSQL, behind the same RegistryStore interface as the file store: versions keep their
 * artifact bytes (bytea), so a replica on any machine loads any version. Every change commits with a NOTIFY on
 * the registry channel carrying the model name, so every replica refreshes that model (registry-sync.ts).
 */
import type pg from 'pg';
import type { LayersModelJson, ModelArtifact } from '../models/artifact/artifact.js';
import type { ModelMetadata } from '../models/artifact/metadata.js';
import { isModelName, modelNameProblem } from '../registry/model-name.js';
import { RegistryError, type ModelRecord, type ModelVersion, type RegistryStore, type VersionSource } from '../registry/types.js';
import { channels, qualified } from './sql.js';
import { inTransaction } from './tx.js';

const VERSION = /^[1-9][0-9]{0,8}$/;

/** The SQL of the registry, as pure functions of the schema. */
export const registrySql = (schema: string) => {
  const t = (name: string) => qualified(schema, name);
  return {
    listVersions: `SELECT m.name, v.version, v.created_at, v.source, v.job_id, v.metadata
      FROM ${t('models')} m LEFT JOIN ${t('model_versions')} v ON v.model = m.name
      WHERE ($1::text IS NULL OR m.name = $1) ORDER BY m.name, v.version`,
    listAliases: `SELECT model, alias, version FROM ${t('model_aliases')} WHERE ($1::text IS NULL OR model = $1) ORDER BY model, alias`,
    // One statement takes the next number under the model row's lock: concurrent uploads never share a version.
    nextVersion: `INSERT INTO ${t('models')} (name, next_version) VALUES ($1, 2)
      ON CONFLICT (name) DO UPDATE SET next_version = ${t('models')}.next_version + 1
      RETURNING next_version - 1 AS version`,
    insertVersion: `INSERT INTO ${t('model_versions')} (model, version, source, job_id, metadata, model_json, weights)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at`,
    readArtifact: `SELECT model_json, weights, metadata FROM ${t('model_versions')} WHERE model = $1 AND version = $2`,
    modelExists: `SELECT 1 FROM ${t('models')} WHERE name = $1 FOR UPDATE`,
    versionExists: `SELECT 1 FROM ${t('model_versions')} WHERE model = $1 AND version = $2`,
    upsertAlias: `INSERT INTO ${t('model_aliases')} (model, alias, version) VALUES ($1, $2, $3)
      ON CONFLICT (model, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
    deleteAlias: `DELETE FROM ${t('model_aliases')} WHERE model = $1 AND alias = $2`,
    aliasesOf: `SELECT alias FROM ${t('model_aliases')} WHERE model = $1 AND version = $2 ORDER BY alias`,
    deleteVersion: `DELETE FROM ${t('model_versions')} WHERE model = $1 AND version = $2`,
    notify: `SELECT pg_notify($1, $2)`,
  };
};

interface VersionRow {
  name: string;
  version: number | null;
  created_at: Date | null;
  source: VersionSource | null;
  job_id: string | null;
  metadata: ModelMetadata | null;
}

/** Rows of listVersions and listAliases -> records (pure). */
export function toRecords(versions: readonly VersionRow[], aliases: readonly { model: string; alias: string; version: number }[]): ModelRecord[] {
  const byName = new Map<string, { name: string; versions: ModelVersion[]; aliases: Record<string, string> }>();
  for (const row of versions) {
    let record = byName.get(row.name);
    if (!record) byName.set(row.name, (record = { name: row.name, versions: [], aliases: {} }));
    if (row.version === null) continue; // a model whose versions were all deleted
    record.versions.push({
      model: row.name,
      version: String(row.version),
      createdAt: row.created_at!.toISOString(),
      source: row.source!,
      ...(row.job_id ? { jobId: row.job_id } : {}),
      metadata: row.metadata!,
    });
  }
  for (const a of aliases) {
    const record = byName.get(a.model);
    if (record) record.aliases[a.alias] = String(a.version);
  }
  return [...byName.values()];
}

export class PgRegistryStore implements RegistryStore {
  private readonly sql: ReturnType<typeof registrySql>;
  private readonly channel: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.sql = registrySql(schema);
    this.channel = channels(schema).registry;
  }

  private async records(db: pg.Pool | pg.PoolClient, name: string | null): Promise<ModelRecord[]> {
    const versions = await db.query<VersionRow>(this.sql.listVersions, [name]);
    const aliases = await db.query<{ model: string; alias: string; version: number }>(this.sql.listAliases, [name]);
    return toRecords(versions.rows, aliases.rows);
  }

  listModels(): Promise<ModelRecord[]> {
    return this.records(this.pool, null);
  }

  async getModel(name: string): Promise<ModelRecord | undefined> {
    if (!isModelName(name)) return undefined;
    return (await this.records(this.pool, name))[0];
  }

  async addVersion(name: string, artifact: ModelArtifact, info: { source: VersionSource; jobId?: string }): Promise<ModelVersion> {
    const problem = modelNameProblem(name);
    if (problem) throw new RegistryError(400, problem, 'name');
    return inTransaction(this.pool, async (client) => {
      const version = Number((await client.query<{ version: number }>(this.sql.nextVersion, [name])).rows[0]!.version);
      const weights = Buffer.from(artifact.weightData);
      const { rows } = await client.query<{ created_at: Date }>(this.sql.insertVersion, [
        name,
        version,
        info.source,
        info.jobId ?? null,
        JSON.stringify(artifact.metadata),
        JSON.stringify(artifact.modelJson),
        weights,
      ]);
      await client.query(this.sql.notify, [this.channel, name]);
      return { model: name, version: String(version), createdAt: rows[0]!.created_at.toISOString(), source: info.source, ...(info.jobId ? { jobId: info.jobId } : {}), metadata: artifact.metadata };
    });
  }

  async readArtifact(name: string, version: string): Promise<ModelArtifact> {
    if (!(await this.getModel(name))) throw new RegistryError(404, `model not found: ${name}`, 'name');
    const row = VERSION.test(version)
      ? (await this.pool.query<{ model_json: LayersModelJson; weights: Buffer; metadata: ModelMetadata }>(this.sql.readArtifact, [name, Number(version)])).rows[0]
      : undefined;
    if (!row) throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
    // A copy, not a view: the pool's Buffer may share a larger allocation.
    const weightData = row.weights.buffer.slice(row.weights.byteOffset, row.weights.byteOffset + row.weights.byteLength) as ArrayBuffer;
    return { modelJson: row.model_json, weightData, metadata: row.metadata };
  }

  /** Checks the model (locking its row, so concurrent changes to one model serialise) and the version. */
  private async mustExist(client: pg.PoolClient, name: string, version?: string): Promise<void> {
    const problem = modelNameProblem(name);
    if (problem) throw new RegistryError(400, problem, 'name');
    if (!(await client.query(this.sql.modelExists, [name])).rowCount) {
      throw new RegistryError(404, `model not found: ${name}`, 'name');
    }
    if (version !== undefined && (!VERSION.test(version) || !(await client.query(this.sql.versionExists, [name, Number(version)])).rowCount)) {
      throw new RegistryError(404, `version not found: ${name}@${version}`, 'version');
    }
  }

  private change(name: string, work: (client: pg.PoolClient) => Promise<void>): Promise<ModelRecord> {
    return inTransaction(this.pool, async (client) => {
      await work(client);
      await client.query(this.sql.notify, [this.channel, name]);
      return (await this.records(client, name))[0]!;
    });
  }

  setAlias(name: string, alias: string, version: string): Promise<ModelRecord> {
    return this.change(name, async (client) => {
      await this.mustExist(client, name, version);
      await client.query(this.sql.upsertAlias, [name, alias, Number(version)]);
    });
  }

  deleteAlias(name: string, alias: string): Promise<ModelRecord> {
    return this.change(name, async (client) => {
      await this.mustExist(client, name);
      if (!(await client.query(this.sql.deleteAlias, [name, alias])).rowCount) throw new RegistryError(404, `alias not found: ${name}@${alias}`, 'alias');
    });
  }

  deleteVersion(name: string, version: string): Promise<ModelRecord> {
    return this.change(name, async (client) => {
      await this.mustExist(client, name, version);
      const pointing = (await client.query<{ alias: string }>(this.sql.aliasesOf, [name, Number(version)])).rows.map((r) => r.alias);
      if (pointing.length) {
        throw new RegistryError(409, `version ${version} of ${name} is still aliased as ${pointing.join(', ')}; move the alias first`, 'version');
      }
      await client.query(this.sql.deleteVersion, [name, Number(version)]);
    });
  }
}
