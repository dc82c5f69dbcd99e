/**
 * A policy-quality bar (`npm run bench:policy`). One module per bar under bench/policy/, each
 * exporting `bar: PolicyBar` (and/or a default export). The runner (bench/policy.ts) imports them from a fixed
 * list, tolerating a missing file, runs each on held-out seeds (EVAL_SEED upward) and prints a table and JSON.
 */
export interface BarRunOptions {
  /** Held-out episodes per policy (the bars are stated for 10,000; `--episodes` overrides). */
  episodes: number;
}

export interface BarResult {
  /** Bar name, e.g. "regime-liquidity". */
  bar: string;
  /** Model directory or name the figures were measured from, e.g. "models/regime-liquidity". */
  model: string;
  /** true/false when measured; null when it could not be measured (e.g. the model is missing; say why in note). */
  met: boolean | null;
  /** Every re-measured figure (bps, t-statistics, ratios ...), flat so the runner can print it. */
  figures: Record<string, number | string>;
  /** Free text: the bar's criterion, or why it was not measured. */
  note?: string;
}

export interface PolicyBar {
  name: string;
  run(opts: BarRunOptions): Promise<BarResult>;
}
