/**
 * The load shedding as src/app.ts registers it (src/http/load-shedding.ts): a saturated event loop gets 503 with Retry-After and the one
 * error body. The plugin samples the loop delay every second (the default; a short interval leaves the high
 * reading up for only that long, too short to hit reliably on a busy machine), so the test blocks the loop longer
 * than one interval with a busy wait, then polls until the sample is taken.
 */
import t from 'tap';
import { build, market, sellOrder } from '../helper.js';
import { eventLoopDelaySampler } from '../../src/http/load-shedding.js';
import type { IntervalHistogram } from 'node:perf_hooks';

const decision = { policy: { type: 'twap' }, order: sellOrder, market };
const post = (app: Awaited<ReturnType<typeof build>>) => app.inject({ method: 'POST', url: '/v1/decisions', payload: decision });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Saturate the event loop: no timer, no I/O callback runs until this returns.
  }
}

t.test('a saturated event loop gets 503 with Retry-After; without the check the same request is served', async (t) => {
  const guarded = await build(t, { maxEventLoopDelayMs: 300, metrics: false });
  const unguarded = await build(t, { maxEventLoopDelayMs: 0, metrics: false });
  // Building the app itself delays the loop; on a busy machine wait for a calm sample first.
  let healthy = await post(guarded);
  for (let i = 0; healthy.statusCode !== 200 && i < 100; i++) {
    await sleep(20);
    healthy = await post(guarded);
  }
  t.equal(healthy.statusCode, 200, 'a healthy loop is served');

  busyWait(1200); // longer than one sampling interval: the next sample sees a delay far above 300 ms

  // The sample is taken by an overdue timer right after the block; poll briefly in case it lands one tick later.
  let res = await post(guarded);
  for (let i = 0; res.statusCode !== 503 && i < 150; i++) {
    await sleep(20);
    res = await post(guarded);
  }
  t.equal(res.statusCode, 503, 'under pressure');
  t.equal(res.headers['retry-after'], '1');
  const body = res.json();
  t.equal(body.statusCode, 503);
  t.equal(body.error, 'Service Unavailable');
  t.match(body.message, /eventLoopDelay/);
  t.same(body.details, []);
  t.ok(res.headers['x-request-id'], 'a shed request still carries its id');
  // The same sample holds for every route until the next one is taken.
  const health = await guarded.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 503, 'every route is shed while the sample is high');
  t.equal(health.headers['retry-after'], '1');

  t.equal((await post(unguarded)).statusCode, 200, 'maxEventLoopDelayMs 0 disables the check');

  // A calm loop is served again from the next sample on.
  let again = await post(guarded);
  for (let i = 0; again.statusCode !== 200 && i < 150; i++) {
    await sleep(20);
    again = await post(guarded);
  }
  t.equal(again.statusCode, 200, 'served again once the loop is calm');
});

t.test('a sample that throws (EMFILE, say) is logged and skipped, never thrown out of the timer', async (t) => {
  let fail = false;
  const histogram = {
    enable: () => true,
    disable: () => true,
    reset: () => undefined,
    get mean() {
      if (fail) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      return 20e6 + 10e6;
    },
  } as unknown as IntervalHistogram;
  const warnings: string[] = [];
  const log = { warn: (_o: object, msg: string) => warnings.push(msg) } as never;
  const sampler = eventLoopDelaySampler(log, histogram);
  sampler.sample();
  t.equal(sampler.delayMs, 20);
  fail = true;
  t.doesNotThrow(() => sampler.sample());
  t.equal(sampler.delayMs, 20, 'the last good sample holds');
  t.match(warnings, [/sample failed/]);
});
