/**
 * The DQN model as a core Policy (order, market -> raw proposal), named for the evaluation harness's reports, plus
 * the harness's `dqn:<model>` resolver. The service's decision path uses the model's richer answer
 * (ServedModel.infer: action, Q-values, mask) instead.
 */
import { registerPolicyResolver, type EvaluatedPolicy } from '../../core/evaluation-policies.js';
import { DEFAULT_MODELS_DIR, loadModelCatalog } from './catalog.js';
import { loadServingModel, type DqnModel } from './serving.js';

export function dqnPolicy(model: DqnModel, name = `dqn:${model.name}`): EvaluatedPolicy {
  return { name, type: 'dqn', propose: (order, market) => model.infer(order, market).proposal };
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
    if (model) return dqnPolicy(model, `dqn:${name}`);
    const entry = catalog.list().find((e) => e.name === name);
    const why = entry?.status === 'failed' ? `failed to load: ${entry.error}` : `not found under ${dir}/`;
    const available = catalog.list().filter((e) => e.status === 'loaded').map((e) => e.name);
    throw new RangeError(`policy dqn:${name}: model ${why} (loaded models: ${available.join(', ') || 'none'})`);
  });
}
