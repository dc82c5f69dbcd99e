/**
 * The evaluation report as one self-contained HTML page (docs/DESIGN.md 5: "reported as JSON and as charts"): a summary
 * table and Chart.js charts of inventory paths, IS distributions, paired differences to TWAP and, when given, the
 * training curves. Chart.js is inlined from node_modules and a Content-Security-Policy forbids every fetch, so the
 * page works offline and loads nothing. The binning is done here; the page only draws.
 */
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { EvaluationReport, PolicyStats } from '../core/evaluation.js';
import { mean, quantile } from '../core/stats.js';
import { formatInterval, formatP } from './evaluation-text.js';

export interface TrainingCurvePoint {
  readonly episode: number;
  readonly shortfallBps?: number;
  readonly loss?: number;
}

export interface EvaluationReportOptions {
  readonly title: string;
  /** Per model: its training curve (episode, IS in bps and/or loss), drawn in a fourth chart when non-empty. */
  readonly trainingCurves?: Record<string, ReadonlyArray<TrainingCurvePoint>>;
  /** ISO timestamp shown in the header; now when omitted (pass one for a reproducible page). */
  readonly generatedAt?: string;
}

/** Tableau 10: distinguishable, and a policy keeps its colour across every chart and the table. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];
/** Training curves longer than this are bucket-averaged (a 50k-episode run would otherwise weigh megabytes). */
const MAX_CURVE_POINTS = 1000;
/** What the inventory chart reads and embeds, whatever the evaluation kept: paths per policy, and steps drawn. */
export const MAX_REPORT_PATHS = 200;
export const MAX_REPORT_STEPS = 1000;

let chartJsCache: string | undefined;

/** The Chart.js v4 UMD build, read once. Its package `exports` hide dist/, so resolve the main entry and go beside it. */
export function chartJsSource(): string {
  if (chartJsCache === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const umd = join(dirname(main), 'chart.umd.js');
    // A literal "</script" inside the library would close the inline element early.
    chartJsCache = readFileSync(umd, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return chartJsCache;
}

/**
 * The start of a self-contained report page: no request leaves it (the CSP allows only inline script and style and
 * data: images), so it renders offline and cannot leak what it shows.
 */
export function pageHead(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>`;
}

/** The end of a report page: its data as JSON, Chart.js inlined, then the page's own script. */
export function pageFoot(data: unknown, pageScript: string): string {
  return `<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${chartJsSource()}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * JSON safe inside <script type="application/json">: every "<", ">" and "&" becomes a \u escape, so no "</script"
 * can end the element and no "<!--" can switch the parser's script state (a superset of escaping "</" as "<\/");
 * JSON.parse restores them. Non-finite numbers become null, as JSON.stringify does.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface Histogram {
  /** Bin centres (bps). */
  readonly centers: number[];
  readonly width: number;
  /** Share of episodes (%) per bin, per policy. */
  readonly series: Array<{ readonly policy: string; readonly share: number[] }>;
}

/**
 * Shared bins over every series: the 0.5-99.5% quantile range of all values pooled (tails fall into the edge bins,
 * so one outlier does not flatten the rest), Rice's rule for the count (2 n^(1/3), 10 to 40 bins).
 */
function histogram(series: ReadonlyArray<{ policy: string; values: ArrayLike<number> }>): Histogram {
  const pooled = series.flatMap((s) => Array.from(s.values).filter(Number.isFinite));
  const n = series.length > 0 ? pooled.length / series.length : 0;
  const bins = Math.min(40, Math.max(10, Math.ceil(2 * Math.cbrt(n))));
  let lo = pooled.length > 0 ? quantile(pooled, 0.005) : 0;
  let hi = pooled.length > 0 ? quantile(pooled, 0.995) : 1;
  if (!(hi - lo > 1e-9)) {
    // Every value equal (VWAP is TWAP on a flat volume curve): one centred bin in a unit-wide range.
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const centers = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
  return {
    centers,
    width,
    series: series.map(({ policy, values }) => {
      const counts = new Array<number>(bins).fill(0);
      let total = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v)) continue;
        counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
        total++;
      }
      return { policy, share: counts.map((c) => (total > 0 ? (100 * c) / total : 0)) };
    }),
  };
}

/** Mean and 10-90% band of q_k/Q at each step; a shorter path (a replay day) stays at its last value. */
function inventoryBands(report: EvaluationReport, policies: readonly string[]) {
  const pathsOf = (p: string) => (report.inventoryPaths[p] ?? []).slice(0, MAX_REPORT_PATHS);
  const length = Math.max(1, ...policies.flatMap((p) => pathsOf(p).map((path) => path.length)));
  // A long horizon is drawn every `stride` steps (and at its last), so the page stays small.
  const stride = Math.ceil(length / MAX_REPORT_STEPS);
  const steps = Array.from({ length: Math.ceil(length / stride) }, (_, i) => i * stride);
  if (steps[steps.length - 1] !== length - 1) steps.push(length - 1);
  return {
    steps,
    series: policies.map((policy) => {
      const paths = pathsOf(policy);
      const at = (k: number) => paths.map((path) => (path.length === 0 ? 0 : path[Math.min(k, path.length - 1)]));
      const cols = steps.map((k) => at(k));
      return {
        policy,
        paths: paths.length,
        mean: cols.map((c) => (c.length > 0 ? mean(c) : null)),
        lo: cols.map((c) => (c.length > 0 ? quantile(c, 0.1) : null)),
        hi: cols.map((c) => (c.length > 0 ? quantile(c, 0.9) : null)),
      };
    }),
  };
}

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

/** Bucket means of at most MAX_CURVE_POINTS points, gaps (NaN loss before the first update) kept as null. */
function trainingSeries(curves: EvaluationReportOptions['trainingCurves']) {
  if (!curves) return null;
  const out = Object.entries(curves)
    .filter(([, points]) => points.length > 0)
    .map(([model, points]) => {
      const size = Math.ceil(points.length / MAX_CURVE_POINTS);
      const reduced: Array<{ episode: number; shortfallBps: number | null; loss: number | null }> = [];
      for (let i = 0; i < points.length; i += size) {
        const chunk = points.slice(i, i + size);
        const avg = (pick: (p: TrainingCurvePoint) => number | undefined) => {
          const xs = chunk.map(pick).filter((x): x is number => x !== undefined && Number.isFinite(x));
          return xs.length > 0 ? mean(xs) : null;
        };
        reduced.push({ episode: avg((p) => p.episode) ?? chunk[0].episode, shortfallBps: avg((p) => p.shortfallBps), loss: avg((p) => p.loss) });
      }
      return { model, points: reduced };
    });
  return out.length > 0 ? out : null;
}

function fmt(x: number | null, digits = 2): string {
  if (x === null) return '∞';
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function summaryRow(name: string, s: PolicyStats, color: string): string {
  const reference = name === 'twap';
  const diff = s.vsTwap.meanDiffBps;
  const sign = reference || Math.abs(diff) < 1e-9 ? '' : diff > 0 ? ' class="better"' : ' class="worse"';
  const vs = reference
    ? '<td colspan="6" class="ref">reference</td>'
    : `<td${sign}>${fmt(diff, 3)}</td><td>${formatInterval(s.vsTwap.ci95)}</td><td>${fmt(s.vsTwap.tStat)}</td>` +
      `<td>${formatP(s.vsTwap.pValueHolm)}</td><td>${fmt(s.vsTwap.winRate * 100, 1)}%</td><td>${fmt(s.vsTwap.gainLossRatio)}</td>`;
  return (
    `<tr data-policy="${escapeHtml(name)}"><th scope="row"><span class="swatch" style="background:${color}"></span>${escapeHtml(name)}</th>` +
    `<td>${fmt(s.meanBps)}</td><td>${fmt(s.medianBps)}</td><td>${fmt(s.stdBps)}</td><td>${fmt(s.var95Bps)}</td>${vs}</tr>`
  );
}

/** Sell, buy and the drift-neutral mean side by side: each side's mean IS and difference to TWAP with its interval. */
function sideTable(report: EvaluationReport, colors: Record<string, string>): string {
  if (!report.bySide) return '';
  const { sell, buy } = report.bySide;
  const vs = (s: PolicyStats | undefined) => (s ? `${fmt(s.vsTwap.meanDiffBps, 3)} ${formatInterval(s.vsTwap.ci95)}` : '–');
  const meanCell = (s: PolicyStats | undefined) => (s ? fmt(s.meanBps) : '–');
  const rows = Object.entries(report.policies)
    .map(
      ([name, both]) =>
        `<tr data-policy="${escapeHtml(name)}"><th scope="row"><span class="swatch" style="background:${colors[name]}"></span>${escapeHtml(name)}</th>` +
        `<td>${meanCell(sell.policies[name])}</td><td>${vs(sell.policies[name])}</td><td>${meanCell(buy.policies[name])}</td>` +
        `<td>${vs(buy.policies[name])}</td><td>${vs(both)}</td></tr>`,
    )
    .join('\n');
  return `<section class="card">
  <h2>By side</h2>
  <p class="note">Every episode traded as a sell and as a buy on the same market path. A drift helps one side as much as it hurts the other, so the mean of the two (drift-neutral, the table above) shows what a schedule does beyond riding the day's trend. vs TWAP with its 95% interval, bps.</p>
  <div class="scroll"><table id="sides">
    <thead><tr><th>policy</th><th>sell mean</th><th>sell vs TWAP [95% CI]</th><th>buy mean</th><th>buy vs TWAP [95% CI]</th><th>drift-neutral vs TWAP [95% CI]</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table></div>
</section>`;
}

/**
 * One self-contained HTML page of an evaluation report. Every interpolated text is HTML-escaped (policy and model
 * names come from users); the chart data is embedded as JSON in a <script type="application/json"> element.
 * The page sets `window.__reportReady = true` once its charts are drawn (`window.__reportError` if they fail).
 */
export function renderEvaluationReport(report: EvaluationReport, options: EvaluationReportOptions): string {
  const policies = Object.keys(report.policies);
  const colors: Record<string, string> = {};
  policies.forEach((p, i) => (colors[p] = PALETTE[i % PALETTE.length]));
  const twap = report.shortfallBps.twap;
  const challengers = policies.filter((p) => p !== 'twap' && report.shortfallBps[p]);
  const diffs = twap
    ? challengers.map((policy) => ({ policy, values: Float64Array.from(report.shortfallBps[policy], (x, i) => twap[i] - x) }))
    : [];
  // A policy identical to TWAP on every episode (VWAP on a flat volume curve) would be one 100% spike that flattens
  // the others: name it in the note instead, unless nothing else is left to draw.
  const same = (d: Float64Array) => d.every((x) => Math.abs(x) < 1e-9);
  const differing = diffs.filter((d) => !same(d.values));
  const identical = differing.length > 0 ? diffs.filter((d) => same(d.values)).map((d) => d.policy) : [];
  const diff = diffs.length > 0 ? histogram(differing.length > 0 ? differing : diffs) : null;
  const training = trainingSeries(options.trainingCurves);
  const curveModels = training ? training.map((s) => s.model) : [];
  curveModels.forEach((m, i) => (colors[m] ??= PALETTE[(policies.length + i) % PALETTE.length]));
  const data = {
    policies,
    colors,
    inventory: inventoryBands(report, policies),
    shortfall: histogram(policies.map((policy) => ({ policy, values: report.shortfallBps[policy] ?? [] }))),
    diff,
    training,
  };

  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const keptPaths = Math.max(0, ...data.inventory.series.map((s) => s.paths));
  const rows = policies.map((p) => summaryRow(p, report.policies[p], colors[p])).join('\n');
  const diffCard = diff
    ? chartCard(
        'diff',
        'Paired difference to TWAP',
        'TWAP IS minus policy IS per episode (bps), share of episodes; right of 0 = cheaper than TWAP.' +
          (identical.length > 0 ? ` Not drawn, identical to TWAP on every episode: ${identical.map(escapeHtml).join(', ')}.` : ''),
      )
    : `<section class="card" data-missing="diff"><h2>Paired difference to TWAP</h2><p class="note">No per-episode TWAP costs in this report${
        challengers.length === 0 ? ' or no other policy' : ''
      }: evaluate with twap and at least one other policy in --policies.</p></section>`;
  const trainingCard = training
    ? chartCard('training', 'Training curves', `IS (bps, left axis) and loss (right axis, dashed) per training episode: ${curveModels.map(escapeHtml).join(', ')}.`)
    : '';

  return `${pageHead(options.title)}
<style>
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; }
  body { margin: 0; background: #f6f8fa; }
  header { padding: 20px 28px 8px; }
  h1 { font-size: 22px; margin: 0 0 6px; }
  .meta { color: #57606a; font-size: 13px; }
  .meta span + span::before { content: " · "; }
  main { padding: 8px 28px 28px; }
  .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
  h2 { font-size: 15px; margin: 0 0 4px; }
  .note { color: #57606a; font-size: 12px; margin: 0 0 8px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
  .grid .card { margin-bottom: 0; }
  .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
  th, td { padding: 5px 10px; border-bottom: 1px solid #eaeef2; text-align: right; white-space: nowrap; }
  thead th { color: #57606a; font-weight: 600; border-bottom: 1px solid #d0d7de; }
  th[scope="row"], thead th:first-child { text-align: left; }
  th[scope="row"] { white-space: normal; overflow-wrap: anywhere; min-width: 8em; }
  .scroll { overflow-x: auto; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
  .better { color: #1a7f37; } .worse { color: #cf222e; } .ref { color: #8c959f; text-align: center; }
</style>
</head>
<body>
<header>
  <h1>${escapeHtml(options.title)}</h1>
  <div class="meta"><span>scenario ${escapeHtml(report.scenario)}</span><span>${report.episodes} episodes</span>${
    report.sessions === null || report.sessions === undefined ? '' : `<span>${report.sessions} sessions</span>`
  }<span>${report.side === 'both' ? 'both sides (drift-neutral)' : `${escapeHtml(report.side ?? 'sell')} side`}</span><span>seed ${report.seed}</span><span>generated ${escapeHtml(generatedAt)}</span></div>
</header>
<main>
<section class="card">
  <h2>Implementation shortfall (bps of Q × arrival price; positive = cost)</h2>
  <p class="note">Same episodes for every policy (common random numbers)${
    report.side === 'both' ? '; each episode\'s IS is the mean of its sell and its buy' : ''
  }. vs TWAP: mean of TWAP IS − policy IS, positive = cheaper than TWAP; its 95% interval and t-stat take sessions (the days the episodes were cut from) as the independent units; p is Holm-adjusted over every policy compared with TWAP; win rate over non-tied episodes; gain/loss = mean win over mean loss.</p>
  <div class="scroll"><table id="summary">
    <thead><tr><th>policy</th><th>mean</th><th>median</th><th>std</th><th>VaR95</th><th>vs TWAP</th><th>95% CI</th><th>t-stat</th><th>p (Holm)</th><th>win rate</th><th>gain/loss</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table></div>
</section>
${sideTable(report, colors)}
<div class="grid">
${chartCard(
  'inventory',
  'Inventory q<sub>k</sub>/Q',
  `Mean over the first ${keptPaths} ${report.side === 'both' ? 'paths per policy (the sell and the buy of each episode)' : 'episodes per policy'}, band = 10–90% of those paths.`,
)}
${chartCard('shortfall', 'IS distribution', 'Share of episodes per IS bin (bps), shared bins; the edge bins hold the outer 0.5% tails.')}
${diffCard}
${trainingCard}
</div>
</main>
${pageFoot(data, PAGE_SCRIPT)}`;
}

function chartCard(key: string, title: string, note: string): string {
  return `<section class="card"><h2>${title}</h2><p class="note">${note}</p><div class="chart"><canvas id="chart-${key}" data-chart="${key}" role="img" aria-label="${escapeHtml(
    title.replace(/<[^>]+>/g, ''),
  )}"></canvas></div></section>`;
}

/** Draws the charts from #report-data. Plain ES2019, no DOM insertion of data (names reach only the canvas). */
const PAGE_SCRIPT = `
(function () {
  'use strict';
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var colors = data.colors;
    var alpha = function (hex, a) { return hex + Math.round(a * 255).toString(16).padStart(2, '0'); };
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.size = 12;
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    var linear = function (title, extra) {
      return Object.assign({ type: 'linear', title: { display: true, text: title } }, extra || {});
    };
    var histogramDatasets = function (h) {
      return h.series.map(function (s) {
        return {
          label: s.policy,
          data: h.centers.map(function (x, i) { return { x: x, y: s.share[i] }; }),
          stepped: 'middle',
          borderColor: colors[s.policy],
          backgroundColor: alpha(colors[s.policy], 0.12),
          fill: 'origin',
          borderWidth: 2,
          pointRadius: 0,
        };
      });
    };
    var binTooltip = function (h) {
      return { callbacks: { title: function (items) {
        var c = items[0].parsed.x, w = h.width / 2;
        return (c - w).toFixed(2) + ' to ' + (c + w).toFixed(2) + ' bps';
      }, label: function (item) { return item.dataset.label + ': ' + item.parsed.y.toFixed(1) + '%'; } } };
    };
    // A dashed vertical line at x = 0 (no TWAP difference), drawn under the datasets.
    var zeroLine = {
      id: 'zeroLine',
      beforeDatasetsDraw: function (chart) {
        var x = chart.scales.x, area = chart.chartArea;
        if (!x || x.min > 0 || x.max < 0) return;
        var px = x.getPixelForValue(0), ctx = chart.ctx;
        ctx.save(); ctx.strokeStyle = '#57606a'; ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke(); ctx.restore();
      },
    };
    var byId = function (key) { return document.getElementById('chart-' + key); };

    var inv = [];
    data.inventory.series.forEach(function (s) {
      var points = function (ys) { return data.inventory.steps.map(function (k, i) { return { x: k, y: ys[i] }; }); };
      var c = colors[s.policy];
      inv.push({ label: s.policy + ' 90%', band: true, data: points(s.hi), borderWidth: 0, pointRadius: 0, fill: false });
      inv.push({ label: s.policy + ' 10%', band: true, data: points(s.lo), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: alpha(c, 0.15) });
      inv.push({ label: s.policy, data: points(s.mean), borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 0, fill: false });
    });
    new Chart(byId('inventory'), {
      type: 'line',
      data: { datasets: inv },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { x: linear('decision step k'), y: linear('remaining share q_k/Q', { min: 0, max: 1 }) },
        plugins: {
          legend: { labels: { filter: function (item, d) { return !d.datasets[item.datasetIndex].band; } } },
          tooltip: { filter: function (item) { return !item.dataset.band; } },
        },
      },
    });

    new Chart(byId('shortfall'), {
      type: 'line',
      data: { datasets: histogramDatasets(data.shortfall) },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { x: linear('implementation shortfall (bps)'), y: linear('share of episodes (%)', { beginAtZero: true }) },
        plugins: { tooltip: binTooltip(data.shortfall) },
      },
    });

    if (data.diff) {
      new Chart(byId('diff'), {
        type: 'line',
        data: { datasets: histogramDatasets(data.diff) },
        plugins: [zeroLine],
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: { x: linear('TWAP IS − policy IS (bps), positive = better than TWAP'), y: linear('share of episodes (%)', { beginAtZero: true }) },
          plugins: { tooltip: binTooltip(data.diff) },
        },
      });
    }

    if (data.training) {
      var sets = [];
      var hasLoss = false;
      data.training.forEach(function (s) {
        var c = colors[s.model];
        var pick = function (key) { return s.points.map(function (p) { return { x: p.episode, y: p[key] }; }); };
        if (s.points.some(function (p) { return p.shortfallBps !== null; })) {
          sets.push({ label: s.model + ' IS', data: pick('shortfallBps'), yAxisID: 'y', borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 0, spanGaps: true });
        }
        if (s.points.some(function (p) { return p.loss !== null; })) {
          hasLoss = true;
          sets.push({ label: s.model + ' loss', data: pick('loss'), yAxisID: 'loss', borderColor: c, backgroundColor: c, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, spanGaps: true });
        }
      });
      new Chart(byId('training'), {
        type: 'line',
        data: { datasets: sets },
        options: {
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: {
            x: linear('training episode'),
            y: linear('IS (bps)', { position: 'left' }),
            loss: linear('loss', { position: 'right', display: hasLoss, grid: { drawOnChartArea: false } }),
          },
        },
      });
    }
    requestAnimationFrame(function () { window.__reportReady = true; });
  } catch (err) {
    window.__reportError = String(err && err.stack || err);
    console.error('evaluation report:', err);
  }
})();
`;

/** Renders the report and writes it atomically (temp file in the same folder, then rename). */
export async function writeEvaluationReport(path: string, report: EvaluationReport, options: EvaluationReportOptions): Promise<void> {
  const html = renderEvaluationReport(report, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, html);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
