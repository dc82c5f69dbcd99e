import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyFill, newOrder, recordDecision } from '../../src/orders/lifecycle.js';
import { analyse } from '../../src/orders/tca.js';
import { normalizeTicket } from '../../src/orders/ticket.js';
import type { ParentOrder } from '../../src/orders/types.js';
import { renderTcaReport } from '../../src/reports/tca-report.js';
import { browserSkip, CHROMIUM } from '../environment.js';

const NOW = Date.parse('2026-12-07T14:00:00Z');
const HOSTILE = '</script><script>window.__pwned=1</script>';

function order(): ParentOrder {
  let o = newOrder(HOSTILE, normalizeTicket({ side: 'sell', quantity: 300, horizon: 3, arrivalPrice: 10 }, NOW), {}, NOW);
  for (let k = 0; k < 3; k++) {
    const market = { bid: 10 - k / 100, ask: 10.01 - k / 100, volume: 1000 };
    o = recordDecision(o, { step: k, at: '', market, policy: { type: 'twap' }, proposal: 100, quantity: 100, forced: false, capped: false, limited: false, iWould: false, unexecuted: 0, remaining: 300 - 100 * k, capInfeasible: false, capShortfall: 0 });
    o = applyFill(o, { fillId: `${HOSTILE}${k}`, quantity: 100, price: market.bid, time: new Date(NOW + k * 60000).toISOString() }, NOW).order;
  }
  return o;
}

t.test('the page escapes what callers named and carries its data', async (t) => {
  const html = renderTcaReport(analyse(order()), '2026-12-07T15:00:00Z');
  t.notOk(html.includes(HOSTILE), 'an id or fillId never closes a script element');
  t.match(html, /Schedule vs TWAP/);
  t.match(html, /Implementation shortfall/);
});

type PageGlobals = { __reportReady?: boolean; __reportError?: string; __pwned?: number; Chart: { getChart(c: unknown): { data: { datasets: Array<{ data: unknown[] }> } } | undefined }; document: { querySelectorAll(s: string): ArrayLike<unknown> } };

t.test('renders its two charts in headless Chromium, offline', { skip: browserSkip() }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(join(tmpdir(), 'tca-report-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'tca.html');
  await writeFile(file, renderTcaReport(analyse(order()), '2026-12-07T15:00:00Z'));
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    offline: true,
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const w = globalThis as unknown as PageGlobals;
    return w.__reportReady === true || w.__reportError !== undefined;
  }, undefined, { timeout: 10_000 });
  const state = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const charts = Array.from(w.document.querySelectorAll('canvas'), (c) => w.Chart.getChart(c)?.data.datasets.map((d) => d.data.length) ?? []);
    return { ready: w.__reportReady ?? null, error: w.__reportError ?? null, pwned: w.__pwned ?? null, charts };
  });
  t.same(state, { ready: true, error: null, pwned: null, charts: [[3, 3, 3], [3, 2]] }, 'schedule (decided, filled, TWAP per step) and fills (3 fills, the arrival line)');
});
