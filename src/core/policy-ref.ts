/**
 * Policy references as evaluations, results and the CLI name them: the baselines by name, and models as
 * `dqn:<model>[@<ref>]`, where ref is a version or an alias (the caller applies the default alias). Results
 * always name the concrete version (`dqn:default@3`). Parsing and formatting live here and nowhere else.
 */

/** The baselines (and the regime oracle) an evaluation accepts by name. */
export const EVALUATION_BASELINES = ['twap', 'vwap', 'pov', 'almgren-chriss', 'oracle'] as const;

/** What starts a model reference. */
export const MODEL_PREFIX = 'dqn:';

export interface ModelPolicyRef {
  readonly model: string;
  /** The version or alias after `@`; undefined when the reference names none. */
  readonly ref?: string;
}

export function isModelPolicy(name: string): boolean {
  return name.startsWith(MODEL_PREFIX);
}

/** `dqn:<model>[@<ref>]` -> its parts (model names hold no `@`); undefined for anything else (a baseline). */
export function parseModelPolicy(name: string): ModelPolicyRef | undefined {
  if (!isModelPolicy(name)) return undefined;
  const rest = name.slice(MODEL_PREFIX.length);
  const at = rest.indexOf('@');
  return at < 0 ? { model: rest } : { model: rest.slice(0, at), ref: rest.slice(at + 1) };
}

/** Everything after `dqn:`, unparsed: the CLI's model folder or artifact path (a path may hold an `@`). */
export function modelPolicyTarget(name: string): string | undefined {
  return isModelPolicy(name) ? name.slice(MODEL_PREFIX.length) : undefined;
}

export function modelPolicyName(model: string, ref?: string): string {
  return `${MODEL_PREFIX}${model}${ref === undefined ? '' : `@${ref}`}`;
}
