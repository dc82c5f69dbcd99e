/**
 * The `data` files of training and evaluation jobs are read on the server, so a request may only name files
 * inside the configured data roots (DATA_ROOTS; default DATA_DIR/market-data). A path outside them is refused
 * without looking at it, so the answer never tells whether some other file on the server exists.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Detail } from './field-paths.js';
import { PathEscapeError, pathInside } from '../store/inside.js';

export const defaultDataRoot = (dataDir: string) => join(dataDir, 'market-data');

/** `path` inside one of `roots` (relative paths are taken against the first root), or undefined. */
function withinRoots(path: string, roots: readonly string[]): string | undefined {
  for (const root of roots) {
    try {
      return pathInside(root, isAbsolute(path) ? resolve(path) : path);
    } catch (err) {
      if (!(err instanceof PathEscapeError)) throw err;
    }
    if (!isAbsolute(path)) return undefined;
  }
  return undefined;
}

/**
 * The files as absolute paths inside the roots, or issues naming `data.<i>`. A file must exist under a root, and
 * its real path (after symbolic links) must too.
 */
export async function resolveDataFiles(data: readonly string[], roots: readonly string[]): Promise<{ files: string[]; issues: Detail[] }> {
  const files: string[] = [];
  const issues: Detail[] = [];
  const refused = (i: number) =>
    issues.push({ path: `data.${i}`, reason: roots.length ? 'must name a file inside the configured data roots (DATA_ROOTS)' : 'no data roots are configured (DATA_ROOTS)' });
  for (const [i, file] of data.entries()) {
    const inside = withinRoots(file, roots);
    if (!inside) {
      refused(i);
      continue;
    }
    let real: string;
    try {
      real = await realpath(inside);
    } catch {
      issues.push({ path: `data.${i}`, reason: `no such file under the data roots: ${file}` });
      continue;
    }
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
    if (!withinRoots(real, realRoots)) refused(i);
    else files.push(real);
  }
  return { files, issues };
}
