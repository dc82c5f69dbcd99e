/** Proves a path lies inside its root before anything is written or deleted there. */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export class PathEscapeError extends Error {
  constructor(readonly root: string, readonly target: string) {
    super(`refused: ${target} is not inside ${root}`);
    this.name = 'PathEscapeError';
  }
}

/**
 * `root` joined with `segments`, resolved; @throws PathEscapeError unless the result lies strictly below `root`
 * (the root itself, `..`, an absolute segment or a segment with `/` that climbs out are all refused).
 */
export function pathInside(root: string, ...segments: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new PathEscapeError(base, target);
  return target;
}

/** `root/name` where `name` must be exactly one folder below `root` (no separators, not `.` or `..`). */
export function childInside(root: string, name: string): string {
  const target = pathInside(root, name);
  if (name.includes('/') || name.includes(sep) || relative(resolve(root), target) !== name) throw new PathEscapeError(resolve(root), target);
  return target;
}
