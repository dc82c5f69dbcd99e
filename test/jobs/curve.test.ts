/** The learning curve kept in a job record: thinned evenly from the first point, the newest always kept. */
import t from 'tap';
import { appendCurve } from '../../src/jobs/executor.js';
import type { CurvePoint } from '../../src/jobs/types.js';

t.test('thinning keeps the earliest episodes, spaces points evenly and keeps the newest', async (t) => {
  for (const episodes of [499, 500, 501, 1234, 20_000]) {
    let curve: CurvePoint[] = [];
    for (let e = 1; e <= episodes; e++) curve = appendCurve(curve, { episode: e, movingShortfallBps: e });
    t.ok(curve.length <= 501, `${episodes}: ${curve.length} points`);
    t.equal(curve[0].episode, 1, `${episodes}: the first episode is kept`);
    t.equal(curve.at(-1)!.episode, episodes, `${episodes}: the newest is kept`);
    const gaps = new Set(curve.slice(0, -1).map((p, i) => curve[i + 1].episode - p.episode).slice(0, -1));
    t.equal(gaps.size, 1, `${episodes}: one spacing before the newest point (${[...gaps]})`);
    if (episodes > 1000) t.ok(curve.length >= 250, `${episodes}: at least half the budget used`);
    const firstTenth = curve.filter((p) => p.episode <= episodes / 10).length;
    t.ok(firstTenth >= curve.length / 10 - 2, `${episodes}: the first tenth of the run has its share of points (${firstTenth})`);
  }
});
