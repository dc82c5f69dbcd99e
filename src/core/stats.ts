/** Small sample statistics for the evaluation harness (docs/DESIGN.md 5): sessions, not episodes, are the independent units. */
import jstat from 'jstat';

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length > 0 ? s / xs.length : NaN;
}

/** Sample standard deviation (n - 1). */
export function std(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/** Quantile with linear interpolation between order statistics (type 7, as numpy's default). */
export function quantile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Student's t from jstat (one small dependency; its quantiles agree with SciPy to ~3e-8, far below what is printed). */
const studentT = jstat.jStat.studentt;

export interface PairedComparison {
  /** Mean of (reference - candidate) costs over episodes: positive = the candidate is cheaper. */
  readonly meanDiffBps: number;
  /**
   * That mean over its cluster-robust standard error (sessions as the independent units; with one episode per
   * session it is the ordinary paired t). 0 when the differences have no spread or there are fewer than 2 sessions.
   */
  readonly tStat: number;
  /** 95% confidence interval of the mean difference (t with sessions - 1 degrees of freedom); null below 2 sessions. */
  readonly ci95: readonly [number, number] | null;
  /** Two-sided p-value of "no difference"; null below 2 sessions. */
  readonly pValue: number | null;
  /** pValue after Holm's step-down adjustment over every policy compared with the same reference (holmAdjust). */
  readonly pValueHolm: number | null;
  /** Share of episodes the candidate is cheaper, ties excluded (0.5 when all tie). */
  readonly winRate: number;
  /** Mean gain on wins over mean loss on losses; null when there is no loss (JSON has no Infinity). */
  readonly gainLossRatio: number | null;
}

/** Dense cluster indices 0..count-1 in order of first appearance, from any per-episode labels (session ids). */
export function clusterIndex(labels: ArrayLike<string>): { readonly index: Int32Array; readonly count: number } {
  const ids = new Map<string, number>();
  const index = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = ids.get(labels[i]);
    if (id === undefined) ids.set(labels[i], (id = ids.size));
    index[i] = id;
  }
  return { index, count: ids.size };
}

export interface ClusteredMean {
  readonly mean: number;
  /** Cluster-robust (CR1) standard error of the mean; NaN below 2 clusters. */
  readonly se: number;
  readonly clusters: number;
}

/**
 * Mean of xs and its cluster-robust standard error: V = G/(G-1) sum_g (sum_{i in g} (x_i - mean))^2 / n^2
 * (Liang & Zeger 1986; the G/(G-1) small-sample factor and t with G-1 degrees of freedom as in Cameron & Miller
 * 2015). Observations within a cluster may be correlated in any way; clusters are independent. With one observation
 * per cluster it is s / sqrt(n).
 * Without `clusters`, every observation is its own cluster.
 */
export function clusteredMean(xs: ArrayLike<number>, clusters?: { readonly index: ArrayLike<number>; readonly count: number }): ClusteredMean {
  const n = xs.length;
  const m = mean(xs);
  const G = clusters ? clusters.count : n;
  if (G < 2) return { mean: m, se: NaN, clusters: G };
  let sumSq = 0;
  if (clusters) {
    const sums = new Float64Array(G);
    for (let i = 0; i < n; i++) sums[clusters.index[i]] += xs[i] - m;
    for (let g = 0; g < G; g++) sumSq += sums[g] * sums[g];
  } else {
    for (let i = 0; i < n; i++) sumSq += (xs[i] - m) ** 2;
  }
  return { mean: m, se: Math.sqrt(((G / (G - 1)) * sumSq) / (n * n)), clusters: G };
}

/** The mean's t-statistic, two-sided p-value and 95% interval with G - 1 degrees of freedom. */
export function clusteredTest(c: ClusteredMean): { tStat: number; pValue: number | null; ci95: readonly [number, number] | null } {
  if (!(c.clusters >= 2)) return { tStat: 0, pValue: null, ci95: null };
  // No spread (identical schedules, or a constant difference): nothing to test, the interval is the point.
  if (!(c.se > 0)) return { tStat: 0, pValue: 1, ci95: [c.mean, c.mean] };
  const dof = c.clusters - 1;
  const tStat = c.mean / c.se;
  const half = studentT.inv(0.975, dof) * c.se;
  return { tStat, pValue: Math.min(1, 2 * studentT.cdf(-Math.abs(tStat), dof)), ci95: [c.mean - half, c.mean + half] };
}

/**
 * Holm's step-down adjustment (Holm 1979): with the m p-values sorted ascending, p_(i) becomes
 * max_{j <= i} min(1, (m - j + 1) p_(j)). Controls the family-wise error rate under any dependence between the
 * tests (every policy here is compared with the same TWAP episodes). Nulls are left out of the family and stay null.
 */
export function holmAdjust(pValues: ReadonlyArray<number | null>): (number | null)[] {
  const order = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  order.sort((a, b) => a.p - b.p || a.i - b.i);
  const out: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (order.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Candidate against a reference on the same episodes (common random numbers), costs in bps. `clusters` groups the
 * episodes by the session they were cut from (clusterIndex); without it every episode is independent. pValueHolm is
 * pValue until the caller adjusts the family (holmAdjust).
 */
export function pairedComparison(
  reference: ArrayLike<number>,
  candidate: ArrayLike<number>,
  clusters?: { readonly index: ArrayLike<number>; readonly count: number },
): PairedComparison {
  const n = reference.length;
  const d = new Float64Array(n);
  let wins = 0;
  let losses = 0;
  let gain = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const diff = reference[i] - candidate[i];
    // Differences below 1e-9 bps are float noise of identical schedules, not wins.
    d[i] = Math.abs(diff) < 1e-9 ? 0 : diff;
    if (d[i] > 0) {
      wins++;
      gain += d[i];
    } else if (d[i] < 0) {
      losses++;
      loss -= d[i];
    }
  }
  const { tStat, pValue, ci95 } = clusteredTest(clusteredMean(d, clusters));
  const winRate = wins + losses > 0 ? wins / (wins + losses) : 0.5;
  const gainLossRatio = losses === 0 ? (wins === 0 ? 1 : null) : wins === 0 ? 0 : gain / wins / (loss / losses);
  return { meanDiffBps: mean(d), tStat, ci95, pValue, pValueHolm: pValue, winRate, gainLossRatio };
}
