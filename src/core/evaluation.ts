/**
 * The evaluation harness (DESIGN.md 5): every policy runs the same held-out episodes with common random numbers
 * (one environment per policy, each reset with the same seed, and the markets draw their whole exogenous path
 * from the seed), then per-policy IS statistics and paired comparisons against TWAP.
 */
import type { ExecutionEnv } from './environment.js';
import { resolvePolicy, type EvalPolicy } from './evaluation-policies.js';
import { ScheduleStats, type ScheduleDiagnostics } from './diagnostics.js';
import { mean, pairedComparison, quantile, std, type PairedComparison } from './stats.js';

/** The evaluation seed base: episode i uses EVAL_SEED + i. No training run may use seeds from here up. */
export const EVAL_SEED = 9_000_000;

export interface PolicyStats {
  readonly meanBps: number;
  readonly medianBps: number;
  readonly stdBps: number;
  /** 95% VaR of IS: its 95th percentile (bps). */
  readonly var95Bps: number;
  readonly vsTwap: PairedComparison;
}

export interface EvaluationReport {
  readonly scenario: string;
  readonly episodes: number;
  readonly seed: number;
  readonly policies: Record<string, PolicyStats>;
  /** IS (bps) per episode and policy, in episode order. */
  readonly shortfallBps: Record<string, Float64Array>;
  /** q_k / Q paths of the first `keepPaths` episodes per policy. */
  readonly inventoryPaths: Record<string, number[][]>;
  /** Front-loading and adaptivity of each policy's schedule over every episode (diagnostics.ts). */
  readonly schedules: Record<string, ScheduleDiagnostics>;
}

export interface EvaluationOptions {
  /** A fresh environment (its own market instance) per policy. */
  readonly createEnv: () => ExecutionEnv;
  readonly policies: readonly EvalPolicy[];
  /** Ignored for a market with a finite episode set: every episode is played once. */
  readonly episodes: number;
  readonly seed?: number;
  readonly keepPaths?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export function evaluate(options: EvaluationOptions): EvaluationReport {
  const seed = options.seed ?? EVAL_SEED;
  const keep = options.keepPaths ?? 20;
  const policies = [...options.policies];
  // TWAP is the reference of every comparison; run it even when not asked for.
  const reference = policies.find((p) => p.name === 'twap');
  const envs = policies.map(() => options.createEnv());
  const finite = envs[0]?.market.episodeCount;
  if (!reference) {
    policies.push(resolvePolicy('twap', envs[0]?.market ?? options.createEnv().market));
    envs.push(options.createEnv());
  }
  const episodes = finite ?? options.episodes;
  if (!(episodes > 0)) throw new RangeError(`evaluation: episodes must be > 0, got ${episodes}`);

  const costs = policies.map(() => new Float64Array(episodes));
  const paths = policies.map((): number[][] => []);
  const schedules = policies.map(() => new ScheduleStats());
  const progressEvery = Math.max(1, Math.floor(episodes / 100));

  for (let e = 0; e < episodes; e++) {
    // A finite replay plays episode e; a simulator draws the path of seed + e.
    const episodeSeed = finite !== undefined ? e : seed + e;
    for (let p = 0; p < policies.length; p++) {
      const env = envs[p];
      const policy = policies[p];
      let view = env.reset(episodeSeed);
      policy.begin?.(env.market);
      for (;;) {
        const r = env.step(policy.decide(view));
        if (r.done) break;
        view = r.view;
      }
      costs[p][e] = env.shortfallBps();
      const path = env.inventoryPath();
      schedules[p].add(path);
      if (e < keep) paths[p].push(path);
    }
    if (options.onProgress && (e % progressEvery === 0 || e === episodes - 1)) options.onProgress(e + 1, episodes);
  }

  const twapIndex = policies.findIndex((p) => p.name === 'twap');
  const stats: Record<string, PolicyStats> = {};
  const shortfallBps: Record<string, Float64Array> = {};
  const inventoryPaths: Record<string, number[][]> = {};
  const scheduleDiagnostics: Record<string, ScheduleDiagnostics> = {};
  const reported = reference ? policies.length : policies.length - 1;
  for (let p = 0; p < reported; p++) {
    const c = costs[p];
    stats[policies[p].name] = {
      meanBps: mean(c),
      medianBps: quantile(c, 0.5),
      stdBps: std(c),
      var95Bps: quantile(c, 0.95),
      vsTwap: pairedComparison(costs[twapIndex], c),
    };
    shortfallBps[policies[p].name] = c;
    inventoryPaths[policies[p].name] = paths[p];
    scheduleDiagnostics[policies[p].name] = schedules[p].result();
  }
  return { scenario: envs[0].market.name, episodes, seed, policies: stats, shortfallBps, inventoryPaths, schedules: scheduleDiagnostics };
}
