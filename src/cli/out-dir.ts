/**
 * Where a CLI writes a model artifact: a folder whose name can be a model's name (it becomes one when the folder
 * is bundled under models/), and never an existing model folder unless the caller says --force.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { modelNameProblem } from '../registry/model-name.js';

/** Why `out` must not be written, or undefined when it may. */
export function outDirProblem(out: string, force: boolean): string | undefined {
  const name = basename(resolve(out));
  const invalid = modelNameProblem(name);
  if (invalid) return `--out ${out}: the folder's name becomes the model's name when bundled; ${invalid}`;
  if (!force && existsSync(out) && readdirSync(out).length > 0) {
    return `--out ${out} exists and is not empty: refusing to overwrite a model (choose another --out, or add --force)`;
  }
  return undefined;
}
