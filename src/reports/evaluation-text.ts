/**
 * The evaluation report as the CLI prints it: a markdown table (per policy, then each side beside the drift-neutral
 * comparison when both sides ran) or the statistics as JSON (no per-episode arrays).
 */
import type { EvaluationReport, PolicyStats } from '../core/evaluation.js';

function fmt(x: number | null | undefined, digits = 2): string {
  if (x === undefined) return '-';
  return x === null ? 'inf' : Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** `[lo, hi]` of a 95% interval; `n/a` below two sessions (or in an evaluation stored before intervals). */
export function formatInterval(ci: readonly [number, number] | null | undefined, digits = 2): string {
  return ci ? `[${fmt(ci[0], digits)}, ${fmt(ci[1], digits)}]` : 'n/a';
}

/** p-values below 1e-4 print as such: more digits would only be the t-distribution's tail. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return 'n/a';
  return p < 1e-4 ? '<1e-4' : p.toFixed(4);
}

function markdown(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function evaluationTable(report: EvaluationReport): string {
  const head = ['policy', 'mean bps', 'median', 'std', 'VaR95', 'vs TWAP', '95% CI', 't-stat', 'p Holm', 'win rate', 'gain/loss', 'schedule'];
  const rows = Object.entries(report.policies).map(([name, s]) => [
    name,
    fmt(s.meanBps),
    fmt(s.medianBps),
    fmt(s.stdBps),
    fmt(s.var95Bps),
    fmt(s.vsTwap.meanDiffBps),
    formatInterval(s.vsTwap.ci95),
    fmt(s.vsTwap.tStat),
    formatP(s.vsTwap.pValueHolm),
    fmt(s.vsTwap.winRate, 3),
    fmt(s.vsTwap.gainLossRatio),
    report.schedules[name]?.flags.join(', ') || 'ok',
  ]);
  const main = markdown(head, rows);
  if (!report.bySide) return main;
  const { sell, buy } = report.bySide;
  const vs = (s: PolicyStats | undefined) => (s ? `${fmt(s.vsTwap.meanDiffBps)} ${formatInterval(s.vsTwap.ci95)}` : '-');
  const sideRows = Object.entries(report.policies).map(([name, both]) => [
    name,
    fmt(sell.policies[name]?.meanBps),
    vs(sell.policies[name]),
    fmt(buy.policies[name]?.meanBps),
    vs(buy.policies[name]),
    vs(both),
  ]);
  const sides = markdown(['policy', 'sell mean', 'sell vs TWAP [95% CI]', 'buy mean', 'buy vs TWAP [95% CI]', 'both (drift-neutral) vs TWAP [95% CI]'], sideRows);
  return `${main}\n\nBy side (the drift-neutral comparison is the mean of the two):\n\n${sides}`;
}

/** The header line of the text output. */
export function evaluationHeadline(report: EvaluationReport): string {
  // A simulator's episodes are each their own session; a replay's come from fewer.
  const sessions =
    report.sessions === null ? '' : report.sessions < report.episodes ? ` from ${report.sessions} session${report.sessions === 1 ? '' : 's'}` : ' (independent)';
  const side = report.side === 'both' ? 'both sides (every episode as a sell and as a buy)' : `side ${report.side}`;
  return `scenario ${report.scenario}, ${report.episodes} episodes${sessions}, seed ${report.seed}, ${side}`;
}

type PolicyJson = Pick<PolicyStats, 'meanBps' | 'medianBps' | 'stdBps' | 'var95Bps' | 'vsTwap'>;

function policiesJson(policies: Record<string, PolicyStats>): Record<string, PolicyJson> {
  const out: Record<string, PolicyJson> = {};
  for (const [name, s] of Object.entries(policies)) {
    out[name] = { meanBps: s.meanBps, medianBps: s.medianBps, stdBps: s.stdBps, var95Bps: s.var95Bps, vsTwap: s.vsTwap };
  }
  return out;
}

/** The statistics as JSON: the episode and session counts, the side, per policy; per side when both ran. */
export function evaluationJson(report: EvaluationReport): Record<string, unknown> {
  return {
    scenario: report.scenario,
    side: report.side,
    episodes: report.episodes,
    sessions: report.sessions,
    seed: report.seed,
    policies: policiesJson(report.policies),
    ...(report.bySide ? { bySide: { sell: { policies: policiesJson(report.bySide.sell.policies) }, buy: { policies: policiesJson(report.bySide.buy.policies) } } } : {}),
  };
}
