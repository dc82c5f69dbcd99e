/**
 * The evaluation harness (docs/DESIGN.md 5): every policy runs the same held-out episodes with common random numbers
 * (one environment per policy and side, each reset with the same seed, and the markets draw their whole exogenous
 * path from the seed), then per-policy IS statistics and paired comparisons against TWAP. With `side: 'both'` every
 * episode also runs as a sell and as a buy on the same path; the mean of the two costs cancels the path's drift for
 * any schedule that does not look at prices, so the drift-neutral comparison is reported beside each side's.
 * Intervals take sessions (Market.episodeSession), not episodes, as the independent units (stats.ts).
 */
import type { ExecutionEnv } from './environment.js';
import { policyFromName, type EvaluatedPolicy } from './evaluation-policies.js';
import { ScheduleStats, type ScheduleDiagnostics } from './diagnostics.js';
import type { Market } from './market.js';
import { clusterIndex, holmAdjust, mean, pairedComparison, quantile, std, type PairedComparison } from './stats.js';
import type { Side } from './types.js';

/** The evaluation seed base: episode i uses EVAL_SEED + i. No training run may use seeds from here up. */
export const EVAL_SEED = 9_000_000;

/** Which side(s) every episode is traded on. */
export type SideChoice = Side | 'both';
export const SIDE_CHOICES: readonly SideChoice[] = ['sell', 'buy', 'both'];

export interface PolicyStats {
  readonly meanBps: number;
  readonly medianBps: number;
  readonly stdBps: number;
  /** 95% VaR of IS: its 95th percentile (bps). */
  readonly var95Bps: number;
  readonly vsTwap: PairedComparison;
}

/** One side's statistics and per-episode IS (bps), when both sides were run. */
export interface SideResult {
  readonly policies: Record<string, PolicyStats>;
  readonly shortfallBps: Record<string, Float64Array>;
}

export interface EvaluationReport {
  readonly scenario: string;
  /** Episodes (market windows); with both sides each one is traded twice. */
  readonly episodes: number;
  /** Distinct sessions the episodes come from, the units of the intervals (= episodes for a simulator); null: not recorded. */
  readonly sessions: number | null;
  readonly side: SideChoice;
  readonly seed: number;
  /** Per policy; with both sides the drift-neutral statistics of the per-episode mean of the sell and buy costs. */
  readonly policies: Record<string, PolicyStats>;
  /** IS (bps) per episode and policy, in episode order (both sides: the mean of the two). */
  readonly shortfallBps: Record<string, Float64Array>;
  /** With both sides: each side on its own. */
  readonly bySide?: Readonly<Record<Side, SideResult>>;
  /** The session of each episode, in episode order (markets that know their sessions). */
  readonly episodeSessions?: string[];
  /** q_k / Q paths of the first `keepPaths` episodes per policy (both sides: the sell and the buy path of each). */
  readonly inventoryPaths: Record<string, number[][]>;
  /** Front-loading and adaptivity of each policy's schedule over every episode (diagnostics.ts). */
  readonly schedules: Record<string, ScheduleDiagnostics>;
}

export interface EvaluationOptions {
  /**
   * A fresh environment (its own market instance) per policy and side. Given a side, it must trade that side (the
   * harness checks); called without one when `side` is not set, and the environment's own side is used.
   */
  readonly createEnv: (side?: Side) => ExecutionEnv;
  readonly policies: readonly EvaluatedPolicy[];
  /** Ignored for a market with a finite episode set: every episode is played once. */
  readonly episodes: number;
  readonly seed?: number;
  readonly side?: SideChoice;
  readonly keepPaths?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export function evaluate(options: EvaluationOptions): EvaluationReport {
  const seed = options.seed ?? EVAL_SEED;
  const keep = options.keepPaths ?? 20;
  const policies = [...options.policies];
  const requested: readonly (Side | undefined)[] = options.side === undefined ? [undefined] : options.side === 'both' ? ['sell', 'buy'] : [options.side];
  const makeEnv = (side: Side | undefined): ExecutionEnv => {
    const env = options.createEnv(side);
    if (side !== undefined && env.side !== side) throw new Error(`evaluation: createEnv(${side}) built a ${env.side} environment`);
    return env;
  };
  // TWAP is the reference of every comparison; run it even when not asked for.
  const reference = policies.find((p) => p.name === 'twap');
  const envs = requested.map((side) => policies.map(() => makeEnv(side)));
  const market = envs[0][0]?.market ?? makeEnv(requested[0]).market;
  if (!reference) {
    policies.push(policyFromName('twap', market));
    envs.forEach((row, s) => row.push(makeEnv(requested[s])));
  }
  const sides = envs.map((row) => row[0].side);
  const finite = market.episodeCount;
  const episodes = finite ?? options.episodes;
  if (!(episodes > 0)) throw new RangeError(`evaluation: episodes must be > 0, got ${episodes}`);

  const costs = sides.map(() => policies.map(() => new Float64Array(episodes)));
  const paths = policies.map((): number[][] => []);
  const schedules = policies.map(() => new ScheduleStats());
  const progressEvery = Math.max(1, Math.floor(episodes / 100));

  for (let e = 0; e < episodes; e++) {
    // A finite replay plays episode e; a simulator draws the path of seed + e.
    const episodeSeed = finite !== undefined ? e : seed + e;
    for (let s = 0; s < sides.length; s++) {
      for (let p = 0; p < policies.length; p++) {
        const env = envs[s][p];
        const policy = policies[p];
        let view = env.reset(episodeSeed);
        policy.begin?.(env.market);
        for (;;) {
          const r = env.step(policy.propose(view.order, view.market));
          if (r.done) break;
          view = r.view;
        }
        costs[s][p][e] = env.shortfallBps();
        const path = env.inventoryPath();
        schedules[p].add(path);
        if (paths[p].length < keep) paths[p].push(path);
      }
    }
    if (options.onProgress && (e % progressEvery === 0 || e === episodes - 1)) options.onProgress(e + 1, episodes);
  }

  const episodeSessions = finite !== undefined && market.episodeSession ? sessionsOf(market, episodes) : undefined;
  const clusters = episodeSessions ? clusterIndex(episodeSessions) : undefined;
  const reported = reference ? policies.length : policies.length - 1;
  const names = policies.slice(0, reported).map((p) => p.name);
  const twapIndex = policies.findIndex((p) => p.name === 'twap');
  const sideResult = (c: Float64Array[]) => summarise(names, c, twapIndex, clusters);

  const combined = sides.length === 1 ? costs[0] : costs[0].map((sell, p) => sell.map((x, e) => (x + costs[1][p][e]) / 2));
  const main = sideResult(combined);
  const inventoryPaths: Record<string, number[][]> = {};
  const scheduleDiagnostics: Record<string, ScheduleDiagnostics> = {};
  names.forEach((name, p) => {
    inventoryPaths[name] = paths[p];
    scheduleDiagnostics[name] = schedules[p].result();
  });
  return {
    scenario: market.name,
    episodes,
    sessions: clusters ? clusters.count : episodes,
    side: sides.length === 2 ? 'both' : sides[0],
    seed,
    policies: main.policies,
    shortfallBps: main.shortfallBps,
    ...(sides.length === 2 ? { bySide: { sell: sideResult(costs[0]), buy: sideResult(costs[1]) } } : {}),
    ...(episodeSessions ? { episodeSessions } : {}),
    inventoryPaths,
    schedules: scheduleDiagnostics,
  };
}

function sessionsOf(market: Market, episodes: number): string[] {
  return Array.from({ length: episodes }, (_, e) => market.episodeSession!(e));
}

/** Statistics of the reported policies; Holm adjusts the p-values of every policy but TWAP as one family. */
function summarise(
  names: readonly string[],
  costs: readonly Float64Array[],
  twapIndex: number,
  clusters: ReturnType<typeof clusterIndex> | undefined,
): SideResult {
  const comparisons = names.map((_, p) => pairedComparison(costs[twapIndex], costs[p], clusters));
  const challengers = names.map((name) => name !== 'twap');
  const holm = holmAdjust(comparisons.map((c, p) => (challengers[p] ? c.pValue : null)));
  const policies: Record<string, PolicyStats> = {};
  const shortfallBps: Record<string, Float64Array> = {};
  names.forEach((name, p) => {
    const c = costs[p];
    policies[name] = {
      meanBps: mean(c),
      medianBps: quantile(c, 0.5),
      stdBps: std(c),
      var95Bps: quantile(c, 0.95),
      vsTwap: { ...comparisons[p], pValueHolm: challengers[p] ? holm[p] : comparisons[p].pValue },
    };
    shortfallBps[name] = c;
  });
  return { policies, shortfallBps };
}
