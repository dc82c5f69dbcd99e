/** Small sample statistics for the evaluation harness (DESIGN.md 5). */

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

export interface PairedComparison {
  /** Mean of (reference - candidate) costs: positive = the candidate is cheaper. */
  readonly meanDiffBps: number;
  /** Paired t-statistic of that mean (0 when every difference is 0). */
  readonly tStat: number;
  /** Share of episodes the candidate is cheaper, ties excluded (0.5 when all tie). */
  readonly winRate: number;
  /** Mean gain on wins over mean loss on losses; null when there is no loss (JSON has no Infinity). */
  readonly gainLossRatio: number | null;
}

/** Candidate against a reference on the same episodes (common random numbers), costs in bps. */
export function pairedComparison(reference: ArrayLike<number>, candidate: ArrayLike<number>): PairedComparison {
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
  const m = mean(d);
  const s = std(d);
  const tStat = s > 0 ? m / (s / Math.sqrt(n)) : 0;
  const winRate = wins + losses > 0 ? wins / (wins + losses) : 0.5;
  const gainLossRatio = losses === 0 ? (wins === 0 ? 1 : null) : wins === 0 ? 0 : gain / wins / (loss / losses);
  return { meanDiffBps: m, tStat, winRate, gainLossRatio };
}
