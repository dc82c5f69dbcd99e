/**
 * The embedded job store: one JSON file per job under DATA_DIR/jobs, replaced atomically on every write and
 * cached in memory (one process owns the folder). Progress writes are the caller's to throttle.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedMutex, readJson, writeJsonAtomic } from '../store/atomic.js';
import type { JobFilter, JobRecord, JobStore } from './types.js';

const JOB_ID = /^[A-Za-z0-9-]{1,64}$/;

export class FileJobStore implements JobStore {
  private readonly dir: string;
  private readonly cache = new Map<string, JobRecord>();
  private readonly mutex = new KeyedMutex();
  private loaded = false;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'jobs');
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    let files: string[] = [];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.json'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const f of files) {
      try {
        const job = await readJson<JobRecord>(join(this.dir, f));
        if (job) this.cache.set(job.id, job);
      } catch {
        // A file that does not parse is skipped, not fatal: writes are atomic, so it was never ours.
      }
    }
    this.loaded = true;
  }

  async create(job: JobRecord): Promise<void> {
    await this.load();
    await this.mutex.run(job.id, () => writeJsonAtomic(join(this.dir, `${job.id}.json`), job));
    this.cache.set(job.id, job);
  }

  async update(id: string, patch: Partial<Omit<JobRecord, 'id' | 'kind' | 'createdAt'>>): Promise<JobRecord> {
    await this.load();
    return this.mutex.run(id, async () => {
      const current = this.cache.get(id);
      if (!current) throw new Error(`job not found: ${id}`);
      const next: JobRecord = { ...current, ...patch };
      await writeJsonAtomic(join(this.dir, `${id}.json`), next);
      this.cache.set(id, next);
      return next;
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!JOB_ID.test(id)) return undefined;
    await this.load();
    return this.cache.get(id);
  }

  async list(filter: JobFilter): Promise<{ items: JobRecord[]; total: number }> {
    await this.load();
    const all = [...this.cache.values()]
      .filter((j) => (!filter.kind || j.kind === filter.kind) && (!filter.status || j.status === filter.status))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
    return { items: all.slice(filter.offset, filter.offset + filter.limit), total: all.length };
  }
}
