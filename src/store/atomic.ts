/**
 * Durable atomic file writes: write a temporary sibling, fsync it, rename it over the target (atomic on one
 * filesystem), then fsync the folder so the rename itself survives a power loss. An acknowledged write is on disk.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Temporary names of writes in progress: `<file>.tmp-*` siblings and `.staging-*` folders. */
export const TEMP_FILE = /\.tmp-[^/]*$/;
export const STAGING_DIR = /^\.staging-/;

/** Flushes a folder's entries (a rename or a new file in it) to disk; a no-op where folders cannot be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `path` and fsyncs it (no rename). */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomUUID()}`;
  try {
    await writeFileDurably(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The parsed file, or undefined when it does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Removes what interrupted writes left under `root` (`*.tmp-*` files, `.staging-*` folders), `depth` levels
 * deep. Only at start, before anything writes: a write in progress would lose its temporary file.
 * @returns the paths removed.
 */
export async function removeOrphans(root: string, depth = 2): Promise<string[]> {
  const removed: string[] = [];
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory() && STAGING_DIR.test(entry.name)) {
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } else if (entry.isFile() && TEMP_FILE.test(entry.name)) {
      await rm(path, { force: true });
      removed.push(path);
    } else if (entry.isDirectory() && depth > 0) {
      removed.push(...(await removeOrphans(path, depth - 1)));
    }
  }
  return removed;
}

/** Serialises async work per key, so two writers of one record never interleave their read-modify-write. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
