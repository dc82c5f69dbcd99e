/**
 * The evaluation report page: escaping and embedded data without a browser, then the page itself in headless Debian
 * Chromium (playwright-core): charts drawn, no console error, no request but the file itself.
 * Set REPORT_SCREENSHOT=/some/file.png to keep a screenshot of the page.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { ExecutionEnv } from '../../src/core/environment.js';
import { evaluate, type EvaluationReport } from '../../src/core/evaluation.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { renderEvaluationReport, writeEvaluationReport } from '../../src/reports/evaluation-report.js';
import { browserSkip, CHROMIUM } from '../environment.js';


/** What the page callbacks touch (the project compiles without the DOM lib; these run in the browser). */
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  readonly dataset: Record<string, string | undefined>;
}
interface PageGlobals {
  __reportReady?: boolean;
  __reportError?: string;
  __pwned?: number;
  Chart: { getChart(canvas: PageCanvas): { data: { datasets: Array<{ label?: string; data: unknown[] }> } } | undefined };
  document: { querySelectorAll(selector: string): ArrayLike<PageCanvas> };
}
const HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

function harnessReport(): EvaluationReport {
  const createEnv = () => new ExecutionEnv(createScenario('regime-liquidity', {}), { side: 'sell' });
  const probe = createEnv().market;
  const policies = ['twap', 'vwap', 'almgren-chriss'].map((name) => policyFromName(name, probe));
  return evaluate({ createEnv, policies, episodes: 200 });
}

/** A synthetic DQN-like training run: IS falling towards a floor, loss decaying, NaN loss before the first update. */
function trainingCurves() {
  return {
    [`dqn ${HOSTILE}`]: Array.from({ length: 300 }, (_, episode) => ({
      episode,
      shortfallBps: 15 + 25 * Math.exp(-episode / 60) + 3 * Math.sin(episode / 7),
      loss: episode < 10 ? NaN : 0.5 * Math.exp(-episode / 120) + 0.02,
    })),
  };
}

/** A report whose policy name tries to break out of the page. */
function hostileReport(base: EvaluationReport): EvaluationReport {
  const rename = <V>(r: Record<string, V>): Record<string, V> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k === 'almgren-chriss' ? HOSTILE : k, v]));
  return { ...base, policies: rename(base.policies), shortfallBps: rename(base.shortfallBps), inventoryPaths: rename(base.inventoryPaths) };
}

const report = harnessReport();

t.test('escapes every interpolated text and embeds parseable data', async (t) => {
  const html = renderEvaluationReport(hostileReport(report), { title: `IS ${HOSTILE}`, trainingCurves: trainingCurves(), generatedAt: '2024-01-02T03:04:05Z' });
  t.notOk(html.includes('<script>window.__pwned'), 'no injected script element');
  t.notOk(html.includes('<img src=x'), 'no injected img element');
  t.match(html, /<title>IS &lt;\/script&gt;/, 'title escaped');
  const ownMarkup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
  t.notOk(/(src|href)="(?!data:)/.test(ownMarkup), 'nothing to load: no src/href but data: URLs');
  t.match(html, /Chart\.js v4/, 'Chart.js inlined');
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  t.ok(json, 'data element present');
  t.notOk(/[<>]/.test(json![1]), 'no "<" or ">" inside the JSON');
  const data = JSON.parse(json![1]) as { policies: string[]; shortfall: { series: Array<{ share: number[] }> }; diff: unknown; training: unknown[] };
  t.same(data.policies, ['twap', 'vwap', HOSTILE], 'names round-trip through the JSON');
  for (const s of data.shortfall.series) t.ok(Math.abs(s.share.reduce((a, b) => a + b, 0) - 100) < 1e-6, 'histogram shares sum to 100%');
  t.ok(data.diff, 'paired differences present');
  t.equal(data.training.length, 1, 'training curve present');
});

t.test('without per-episode TWAP costs the paired chart is replaced by a note', async (t) => {
  const { twap: _twap, ...others } = report.shortfallBps;
  const html = renderEvaluationReport({ ...report, shortfallBps: others }, { title: 'no twap' });
  t.match(html, /data-missing="diff"/);
  t.notOk(html.includes('data-chart="diff"'));
  t.notOk(html.includes('data-chart="training"'), 'no training chart without curves');
});

t.test('writes atomically, leaving no temp file', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'report.html');
  await writeEvaluationReport(out, report, { title: 'atomic' });
  t.match(await readFile(out, 'utf8'), /<title>atomic<\/title>/);
  const { readdir } = await import('node:fs/promises');
  t.same(await readdir(dir), ['report.html']);
});

t.test('renders in headless Chromium', { skip: browserSkip() }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(join(tmpdir(), 'report-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.html');
  await writeFile(file, renderEvaluationReport(hostileReport(report), { title: `Evaluation ${HOSTILE}`, trainingCurves: trainingCurves() }));
  const url = pathToFileURL(file).href;

  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    offline: true,
  });
  t.teardown(() => browser.close());
  const errors: string[] = [];
  const foreign: string[] = [];
  const failed: string[] = [];
  await browser.route('**/*', (route) => (route.request().url() === url ? route.continue() : (foreign.push(route.request().url()), route.abort())));
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('request', (req) => {
    if (req.url() !== url && !req.url().startsWith('data:')) foreign.push(req.url());
  });
  page.on('requestfailed', (req) => failed.push(`${req.url()}: ${req.failure()?.errorText}`));

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const w = globalThis as unknown as PageGlobals;
    return w.__reportReady === true || w.__reportError !== undefined;
  }, undefined, { timeout: 10_000 });
  const state = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return { ready: w.__reportReady ?? null, error: w.__reportError ?? null, pwned: w.__pwned ?? null };
  });
  t.same(state, { ready: true, error: null, pwned: null }, '__reportReady, no chart error, hostile names did not run');

  const charts = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return Array.from(w.document.querySelectorAll('canvas[data-chart]'), (canvas) => {
      const chart = w.Chart.getChart(canvas);
      return {
        key: canvas.dataset.chart,
        drawn: chart !== undefined && canvas.width > 0 && canvas.height > 0,
        datasets: chart ? chart.data.datasets.map((d) => ({ label: d.label ?? '', points: d.data.length })) : [],
      };
    });
  });
  t.same(charts.map((c) => c.key), ['inventory', 'shortfall', 'diff', 'training'], 'four charts');
  for (const c of charts) {
    t.ok(c.drawn, `${c.key}: Chart.js instance on a sized canvas`);
    t.ok(c.datasets.length > 0, `${c.key}: has datasets`);
    t.ok(c.datasets.every((d) => d.points > 0), `${c.key}: every dataset has data`);
  }
  const labels = (key: string) => charts.find((c) => c.key === key)!.datasets.map((d) => d.label);
  t.same(labels('shortfall'), ['twap', 'vwap', HOSTILE], 'one IS histogram per policy');
  // VWAP is TWAP on regime-liquidity's flat volume curve: named in the note, not drawn as a 100% spike.
  t.same(labels('diff'), [HOSTILE], 'one paired difference per non-TWAP policy that differs from TWAP');
  t.match(await page.locator('section:has(#chart-diff) .note').textContent(), /identical to TWAP on every episode: vwap\./);
  t.equal(await page.locator('#summary tbody tr').count(), 3, 'one table row per policy');

  if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
  t.same(errors, [], 'no console errors');
  t.same(foreign, [], 'no request but the file');
  t.same(failed, [], 'no failed request');
});

t.test('both sides: the side table, intervals, Holm p and sessions; names escaped there too', async (t) => {
  const createEnv = (side?: 'sell' | 'buy') => new ExecutionEnv(createScenario('almgren-chriss', { mu: -0.02 }), { side });
  const probe = createEnv().market;
  const both = evaluate({ createEnv, policies: ['twap', 'almgren-chriss:1e-4'].map((n) => policyFromName(n, probe)), episodes: 30, side: 'both' });
  const rename = <V>(r: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k === 'twap' ? k : HOSTILE, v]));
  const hostile: EvaluationReport = {
    ...both,
    policies: rename(both.policies),
    shortfallBps: rename(both.shortfallBps),
    inventoryPaths: rename(both.inventoryPaths),
    bySide: { sell: { policies: rename(both.bySide!.sell.policies), shortfallBps: {} }, buy: { policies: rename(both.bySide!.buy.policies), shortfallBps: {} } },
  };
  const html = renderEvaluationReport(hostile, { title: 'both', generatedAt: '2024-01-02T03:04:05Z' });
  t.notOk(html.includes(HOSTILE), 'the hostile name never appears raw');
  t.match(html, /<span>30 sessions<\/span><span>both sides \(drift-neutral\)<\/span>/);
  t.match(html, /<table id="sides">/);
  const ac = both.policies['almgren-chriss:1e-4'].vsTwap;
  const ci = `[${ac.ci95![0].toFixed(2)}, ${ac.ci95![1].toFixed(2)}]`;
  t.ok(html.includes(`<td>${ci}</td>`), `summary row shows the interval ${ci}`);
  t.ok(html.includes(`${ac.meanDiffBps.toFixed(3)} ${ci}</td></tr>`), 'the side table ends with the drift-neutral comparison');
  for (const side of ['sell', 'buy'] as const) {
    const s = both.bySide![side].policies['almgren-chriss:1e-4'].vsTwap;
    t.ok(html.includes(`${s.meanDiffBps.toFixed(3)} [${s.ci95![0].toFixed(2)}, ${s.ci95![1].toFixed(2)}]`), `${side} beside it`);
  }
  t.notMatch(renderEvaluationReport(report, { title: 'one side' }), /id="sides"/, 'one side: no side table');
});
