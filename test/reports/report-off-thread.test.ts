/**
 * The HTML report of a large evaluation renders off the event loop: decisions keep being answered while it
 * renders (they interleave with it), and what the page embeds stays bounded whatever the evaluation kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { Rng } from '../../src/core/rng.js';
import { MAX_REPORT_PATHS, MAX_REPORT_STEPS } from '../../src/reports/evaluation-report.js';

const TOKEN = 'test-admin-token-0123456789';
const EPISODES = 100_000;
const STEPS = 2_000;
const decision = { policy: { type: 'twap' }, order: { side: 'sell', quantity: 1000, horizon: 10, step: 0, remaining: 1000 }, market: { bid: 10, ask: 10.01 } };

/** A stored evaluation result of EPISODES episodes and long kept paths, seeded. */
function largeResult() {
  const rng = new Rng(24);
  const policies = ['twap', 'vwap', 'pov', 'almgren-chriss'];
  const stats = { meanBps: 1, medianBps: 1, stdBps: 1, var95Bps: 2, vsTwap: { meanBps: 0, tStat: 0, winRate: 0.5, gainLossRatio: 1, n: EPISODES } };
  const path = Array.from({ length: STEPS + 1 }, (_, k) => 1 - k / STEPS);
  return {
    scenario: 'almgren-chriss',
    episodes: EPISODES,
    seed: 1,
    policies: Object.fromEntries(policies.map((p) => [p, stats])),
    shortfallBps: Object.fromEntries(policies.map((p) => [p, Array.from({ length: EPISODES }, () => 10 + 5 * rng.normal())])),
    inventoryPaths: Object.fromEntries(policies.map((p) => [p, Array.from({ length: 300 }, () => path)])),
    schedules: {},
  };
}

t.test('decisions keep answering while a 100k-episode report renders; the page embeds a bounded inventory', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'report-off-thread-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const app = await buildApp({ dataDir, admin: { token: TOKEN }, metrics: false });
  t.teardown(() => app.close());
  const now = new Date().toISOString();
  await app.jobs!.store.create({
    id: 'large-evaluation', kind: 'evaluation', status: 'succeeded', createdAt: now, finishedAt: now,
    request: {}, progress: { done: EPISODES, total: EPISODES, percent: 100 }, curve: [], result: largeResult(),
  });

  let rendering = true;
  const answeredAt: number[] = [];
  const started = performance.now();
  const report = app.inject({ method: 'GET', url: '/admin/evaluations/large-evaluation/report', headers: { authorization: `Bearer ${TOKEN}` } })
    .finally(() => (rendering = false));
  // A decision every ~5 ms for as long as the report renders: each answer's time is kept.
  while (rendering) {
    const res = await app.inject({ method: 'POST', url: '/v1/decisions', payload: decision });
    if (res.statusCode !== 200) throw new Error(`decision ${res.statusCode}`);
    answeredAt.push(performance.now());
    await new Promise((r) => setTimeout(r, 5));
  }
  const page = await report;
  const total = performance.now() - started;
  t.equal(page.statusCode, 200, page.statusCode === 200 ? 'rendered' : page.body);
  const gaps = answeredAt.map((at, i) => at - (answeredAt[i - 1] ?? started));
  const longest = Math.max(...gaps);
  t.comment(`report in ${Math.round(total)} ms; ${answeredAt.length} decisions meanwhile; longest gap ${Math.round(longest)} ms`);
  t.ok(answeredAt.length >= 10, `${answeredAt.length} decisions answered while the report rendered`);
  // Rendered on the event loop, the page is one gap as long as the whole render; off it, decisions interleave.
  t.ok(longest < total / 2, `no gap near the render's length (longest ${Math.round(longest)} of ${Math.round(total)} ms)`);

  const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page.body)![1]!.replace(/\\u003c/g, '<'));
  t.ok(data.inventory.steps.length <= MAX_REPORT_STEPS + 1, `${data.inventory.steps.length} inventory steps drawn of ${STEPS + 1}`);
  t.equal(data.inventory.steps.at(-1), STEPS, 'the last step is drawn');
  t.ok(data.inventory.series.every((s: { paths: number }) => s.paths === MAX_REPORT_PATHS), `at most ${MAX_REPORT_PATHS} paths read per policy`);
  t.ok(page.rawPayload.length < 2_000_000, `the page is ${(page.rawPayload.length / 1e6).toFixed(2)} MB`);
});
