/**
 * An evaluation job as run inside a worker: the harness over the scenario's held-out episodes for the chosen
 * baselines and model versions (their artifacts travel with the job, so the worker needs no registry).
 */
import { evaluate, type EvaluationReport, type PolicyStats, type SideChoice, type SideResult } from '../core/evaluation.js';
import type { Side } from '../core/types.js';
import { policyFromName } from '../core/evaluation-policies.js';
import type { ModelArtifact } from '../models/artifact/artifact.js';
import { dqnPolicy } from '../models/serving/dqn-policy.js';
import { envFactory, type ScenarioSpec } from '../models/training/scenario-env.js';
import { servingModelOf } from '../models/serving/serving.js';

export interface EvaluationJobSpec {
  readonly scenario: ScenarioSpec;
  readonly episodes: number;
  readonly seed?: number;
  /** Default sell. */
  readonly side?: SideChoice;
  readonly baselines: readonly string[];
  /** Keyed by the policy name in the results, e.g. "dqn:default@3". */
  readonly models: readonly { readonly policy: string; readonly artifact: ModelArtifact }[];
  readonly keepPaths: number;
}

/** Per-episode IS as plain arrays, as JSON stores them. */
type Arrays<T extends { readonly shortfallBps: Record<string, Float64Array> }> = Omit<T, 'shortfallBps'> & { shortfallBps: Record<string, number[]> };

/** The report as plain JSON (per-episode shortfalls as arrays), as it is stored with the job. */
export type EvaluationResult = Omit<Arrays<EvaluationReport>, 'bySide'> & { bySide?: Record<Side, Arrays<SideResult>> };

const arrays = (x: Record<string, Float64Array>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Array.from(v)]));
const typed = (x: Record<string, number[]>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Float64Array.from(v)]));

export function toEvaluationResult(report: EvaluationReport): EvaluationResult {
  const { bySide, ...rest } = report;
  return {
    ...rest,
    shortfallBps: arrays(report.shortfallBps),
    ...(bySide ? { bySide: { sell: { ...bySide.sell, shortfallBps: arrays(bySide.sell.shortfallBps) }, buy: { ...bySide.buy, shortfallBps: arrays(bySide.buy.shortfallBps) } } } : {}),
  };
}

/** Fills what a result stored before sessions, sides and intervals were recorded lacks (those were sell-side runs). */
function withDefaults(policies: Record<string, PolicyStats>): Record<string, PolicyStats> {
  return Object.fromEntries(
    Object.entries(policies).map(([name, s]) => [name, { ...s, vsTwap: { ...s.vsTwap, ci95: s.vsTwap.ci95 ?? null, pValue: s.vsTwap.pValue ?? null, pValueHolm: s.vsTwap.pValueHolm ?? null } }]),
  );
}

/** A stored result back as a report (for the HTML page), old stored results included. */
export function fromEvaluationResult(stored: EvaluationResult): EvaluationReport {
  const { bySide, ...rest } = stored;
  const side = (s: Arrays<SideResult>): SideResult => ({ policies: withDefaults(s.policies), shortfallBps: typed(s.shortfallBps) });
  return {
    ...rest,
    sessions: stored.sessions ?? null,
    side: stored.side ?? 'sell',
    policies: withDefaults(stored.policies),
    shortfallBps: typed(stored.shortfallBps ?? {}),
    inventoryPaths: stored.inventoryPaths ?? {},
    schedules: stored.schedules ?? {},
    ...(bySide ? { bySide: { sell: side(bySide.sell), buy: side(bySide.buy) } } : {}),
  };
}

export type EvaluationMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: EvaluationResult };

export async function runEvaluationJob(spec: EvaluationJobSpec, report: (m: EvaluationMessage) => void): Promise<EvaluationResult> {
  const createEnv = await envFactory(spec.scenario, 'test', {});
  const market = createEnv().market;
  const policies = [
    ...spec.baselines.map((name) => policyFromName(name, market)),
    ...spec.models.map((m) => dqnPolicy(servingModelOf(m.policy, m.artifact), m.policy)),
  ];
  const out = evaluate({
    createEnv,
    policies,
    episodes: spec.episodes,
    seed: spec.seed,
    side: spec.side,
    keepPaths: spec.keepPaths,
    onProgress: (done, total) => report({ type: 'progress', done, total }),
  });
  const result = toEvaluationResult(out);
  report({ type: 'done', result });
  return result;
}
