/**
 * A parent order's TCA as one self-contained HTML page: the figures in a table and two Chart.js charts (the order's
 * schedule against TWAP's per step, and the fills over time against the arrival price). Chart.js is inlined and a
 * Content-Security-Policy forbids every fetch, as in the evaluation report, so the page works offline.
 */
import type { Tca } from '../orders/tca.js';
import { escapeHtml, pageFoot, pageHead } from './evaluation-report.js';

const fmt = (x: number | undefined, digits = 2) => (x === undefined ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function rows(tca: Tca): string {
  const d = tca.decomposition;
  const lines: Array<[string, string]> = [
    ['Side, quantity', `${tca.side} ${fmt(tca.quantity, 0)}`],
    ['Executed / unexecuted', `${fmt(tca.executedQuantity, 0)} / ${fmt(tca.unexecutedQuantity, 0)}`],
    ['Arrival price / average price', `${fmt(tca.arrivalPrice, 4)} / ${fmt(tca.averagePrice, 4)}`],
    ['Implementation shortfall (fees included)', `${fmt(tca.shortfall)} (${fmt(tca.shortfallBps)} bps)`],
  ];
  if (d) {
    lines.push(['Delay / trading / opportunity / fees', `${fmt(d.delay)} / ${fmt(d.trading)} / ${fmt(d.opportunity)} / ${fmt(d.fees)}`]);
    lines.push(['Total with opportunity cost', `${fmt(d.total)} (${fmt(d.totalBps)} bps)`]);
  }
  if (tca.vwap) lines.push(['Interval VWAP slippage (positive = better)', `${fmt(tca.vwap.slippage)} (${fmt(tca.vwap.slippageBps)} bps) vs ${fmt(tca.vwap.marketVwap, 4)}`]);
  if (tca.participation) lines.push(['Participation achieved / max step', `${fmt(tca.participation.achieved * 100, 1)}% / ${fmt(tca.participation.max * 100, 1)}%`]);
  if (tca.twapEstimate) {
    lines.push(['TWAP cost, estimate', `${fmt(tca.twapEstimate.twapCost)} (${fmt(tca.twapEstimate.twapCostBps)} bps)`]);
    lines.push(['This schedule, same estimate', `${fmt(tca.twapEstimate.scheduleCost)} (${fmt(tca.twapEstimate.scheduleCostBps)} bps)`]);
  }
  return lines.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
}

export function renderTcaReport(tca: Tca, generatedAt: string): string {
  const data = { steps: tca.steps, fills: tca.fills, arrivalPrice: tca.arrivalPrice ?? null };
  const title = `TCA of order ${tca.orderId}`;
  const estimate = tca.twapEstimate ? `<p class="note">${escapeHtml(tca.twapEstimate.label)} (eta ${tca.twapEstimate.eta}, gamma ${tca.twapEstimate.gamma}).</p>` : '';
  return `${pageHead(title)}
<style>
  :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; }
  body { margin: 0; background: #f6f8fa; } header, main { padding: 12px 28px; }
  h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 15px; margin: 0 0 4px; }
  .meta, .note { color: #57606a; font-size: 12px; }
  .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
  .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
  th, td { padding: 5px 10px; border-bottom: 1px solid #eaeef2; text-align: left; }
</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="meta">status ${escapeHtml(tca.status)} · generated ${escapeHtml(generatedAt)} · currency amounts, positive = cost</div></header>
<main>
<section class="card"><h2>Transaction-cost analysis</h2><table id="tca">${rows(tca)}</table>${estimate}</section>
<section class="card"><h2>Schedule vs TWAP</h2><p class="note">Shares per step: the slice decided, the shares filled, and TWAP's slice.</p><div class="chart"><canvas id="chart-schedule" role="img" aria-label="Schedule vs TWAP"></canvas></div></section>
<section class="card"><h2>Fills over time</h2><p class="note">Fill price per fill (point size by quantity) and the arrival price.</p><div class="chart"><canvas id="chart-fills" role="img" aria-label="Fills over time"></canvas></div></section>
</main>
${pageFoot(data, PAGE_SCRIPT)}`;
}

const PAGE_SCRIPT = `
(function () {
  'use strict';
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    var labels = data.steps.map(function (s) { return s.step; });
    new Chart(document.getElementById('chart-schedule'), {
      type: 'bar',
      data: { labels: labels, datasets: [
        { label: 'decided', data: data.steps.map(function (s) { return s.decided == null ? null : s.decided; }), backgroundColor: '#4e79a7' },
        { label: 'filled', data: data.steps.map(function (s) { return s.filled; }), backgroundColor: '#59a14f' },
        { label: 'TWAP', type: 'line', data: data.steps.map(function (s) { return s.twap; }), borderColor: '#e15759', pointRadius: 0 }
      ] },
      options: { scales: { x: { title: { display: true, text: 'step' } }, y: { title: { display: true, text: 'shares' } } } }
    });
    var maxQ = Math.max.apply(null, data.fills.map(function (f) { return f.quantity; }).concat([1]));
    var points = data.fills.map(function (f) { return { x: Date.parse(f.time), y: f.price, r: 3 + 9 * f.quantity / maxQ }; });
    var sets = [{ label: 'fills', type: 'bubble', data: points, backgroundColor: '#59a14f99' }];
    if (data.arrivalPrice !== null && points.length) {
      var xs = points.map(function (p) { return p.x; });
      sets.push({ label: 'arrival', type: 'line', data: [{ x: Math.min.apply(null, xs), y: data.arrivalPrice }, { x: Math.max.apply(null, xs), y: data.arrivalPrice }], borderColor: '#8c959f', borderDash: [4, 4], pointRadius: 0 });
    }
    new Chart(document.getElementById('chart-fills'), {
      type: 'bubble', data: { datasets: sets },
      options: { scales: { x: { type: 'linear', title: { display: true, text: 'time (ms since epoch)' } }, y: { title: { display: true, text: 'price' } } } }
    });
    window.__reportReady = true;
  } catch (err) {
    window.__reportError = String(err);
  }
})();
`;
