/**
 * A job's plan as it is stored with the job row: plain JSON, with the evaluation's model artifacts replaced by
 * references (model, version) that the worker reads from the registry. Artifacts are immutable per version, so
 * the reference names exactly the bytes the API resolved when the job was submitted.
 */
import type { JobPlan } from '../jobs/executor.js';
import type { RegistryStore } from '../registry/types.js';
import { parseModelPolicy } from '../core/policy-ref.js';

export type StoredPlan =
  | Extract<JobPlan, { kind: 'training' }>
  | {
      kind: 'evaluation';
      spec: Omit<Extract<JobPlan, { kind: 'evaluation' }>['spec'], 'models'> & {
        models: { policy: string; model: string; version: string }[];
      };
    };

/** "dqn:<model>@<version>" -> its parts (the evaluation route always names the concrete version). */
export function storedModelRef(policy: string): { model: string; version: string } {
  const ref = parseModelPolicy(policy);
  if (!ref?.model || !ref.ref) throw new Error(`not a model policy with a concrete version: ${policy}`);
  return { model: ref.model, version: ref.ref };
}

export function toStoredPlan(plan: JobPlan): StoredPlan {
  if (plan.kind === 'training') return plan;
  const { models, ...spec } = plan.spec;
  return { kind: 'evaluation', spec: { ...spec, models: models.map((m) => ({ policy: m.policy, ...storedModelRef(m.policy) })) } };
}

/** @throws RegistryError when a referenced version was deleted since (the job then fails saying so). */
export async function loadPlan(stored: StoredPlan, registry: RegistryStore): Promise<JobPlan> {
  if (stored.kind === 'training') return stored;
  const { models, ...spec } = stored.spec;
  const loaded = [];
  for (const m of models) loaded.push({ policy: m.policy, artifact: await registry.readArtifact(m.model, m.version) });
  return { kind: 'evaluation', spec: { ...spec, models: loaded } };
}
