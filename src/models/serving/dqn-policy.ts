/**
 * The DQN model as a policy of the core's interfaces: `Policy` (order, market -> raw proposal) for the service
 * and `EvalPolicy` (view -> raw proposal) for the evaluation harness, plus the harness's `dqn:<model>` resolver.
 */
import type { EvalPolicy } from '../../core/evaluation-policies.js';
import { registerPolicyResolver } from '../../core/evaluation-policies.js';
import type { Policy } from '../../core/types.js';
import { DEFAULT_MODELS_DIR, loadModelCatalog } from './catalog.js';
import { loadServingModel, type DqnModel } from './serving.js';

export function dqnPolicy(model: DqnModel): Policy {
  return { type: 'dqn', propose: (order, market) => model.decide(order, market).proposal };
}

export function dqnEvalPolicy(model: DqnModel, name = `dqn:${model.name}`): EvalPolicy {
  return { name, decide: (view) => model.decide(view.order, view.market).proposal };
}

/**
 * Loads the models under `dir` and registers the harness's `dqn:<model>` resolver (it is synchronous, so the
 * models are loaded first). Returns the unregister function.
 */
export async function registerDqnResolver(dir: string = DEFAULT_MODELS_DIR, paths: readonly string[] = []): Promise<() => void> {
  const catalog = await loadModelCatalog(dir);
  // Models named by a path (dqn:./out/run1) rather than a name under `dir`, loaded now since resolving is synchronous.
  const byPath = new Map<string, DqnModel>();
  for (const path of paths) byPath.set(path, await loadServingModel(path));
  return registerPolicyResolver('dqn', (name) => {
    const model = catalog.get(name) ?? byPath.get(name);
    if (model) return dqnEvalPolicy(model, `dqn:${name}`);
    const entry = catalog.list().find((e) => e.name === name);
    const why = entry?.status === 'failed' ? `failed to load: ${entry.error}` : `not found under ${dir}/`;
    const available = catalog.list().filter((e) => e.status === 'loaded').map((e) => e.name);
    throw new RangeError(`policy dqn:${name}: model ${why} (loaded models: ${available.join(', ') || 'none'})`);
  });
}
