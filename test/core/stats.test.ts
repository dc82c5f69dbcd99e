import t from 'tap';
import { Rng } from '../../src/core/rng.js';
import { clusteredMean, clusteredTest, clusterIndex, holmAdjust, pairedComparison } from '../../src/core/stats.js';

t.test('cluster-robust interval by hand: two sessions, t with one degree of freedom', async (t) => {
  // Differences 1, 3 in session a and 5, 7 in session b: mean 4, session sums of deviations -4 and +4,
  // V = 2/1 x (16 + 16) / 16 = 4, se = 2; qt(0.975, 1) = 12.706204736174707 (SciPy).
  const c = pairedComparison([10, 10, 10, 10], [9, 7, 5, 3], clusterIndex(['a', 'a', 'b', 'b']));
  t.equal(c.meanDiffBps, 4);
  t.equal(c.tStat, 2);
  t.ok(Math.abs(c.ci95![0] - (4 - 2 * 12.706204736174707)) < 1e-6);
  t.ok(Math.abs(c.ci95![1] - (4 + 2 * 12.706204736174707)) < 1e-6);
  // Two-sided p of t = 2 on 1 dof: 1 - 2 atan(2) / pi.
  t.ok(Math.abs(c.pValue! - (1 - (2 * Math.atan(2)) / Math.PI)) < 1e-7);
  t.equal(c.pValueHolm, c.pValue, 'alone, Holm leaves p as it is');
});

t.test('one episode per session is the ordinary paired t; one session has no interval', async (t) => {
  const ref = [10, 12, 9, 14, 11];
  const cand = [8, 13, 7, 10, 11.5];
  const plain = pairedComparison(ref, cand);
  const own = pairedComparison(ref, cand, clusterIndex(['1', '2', '3', '4', '5']));
  t.same(own, plain);
  const d = ref.map((r, i) => r - cand[i]);
  const m = d.reduce((a, b) => a + b) / 5;
  const s = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / 4);
  t.ok(Math.abs(plain.tStat - m / (s / Math.sqrt(5))) < 1e-12);
  const single = pairedComparison(ref, cand, clusterIndex(['day', 'day', 'day', 'day', 'day']));
  t.equal(single.tStat, 0);
  t.equal(single.ci95, null);
  t.equal(single.pValue, null);
  t.same(clusteredTest(clusteredMean([1, 1, 1])), { tStat: 0, pValue: 1, ci95: [1, 1] }, 'no spread: the interval is the point');
});

t.test('Holm step-down by hand; nulls stay out of the family', async (t) => {
  // Sorted 0.01, 0.03, 0.04, 0.5 with m = 4: 0.04, max(0.04, 0.09), max(0.09, 0.08), max(0.09, 0.5).
  const adjusted = holmAdjust([0.01, 0.04, 0.03, null, 0.5]);
  t.same(adjusted.map((p) => (p === null ? null : Math.round(p * 1e12) / 1e12)), [0.04, 0.09, 0.09, null, 0.5]);
  t.same(holmAdjust([0.6, 0.7]), [1, 1], 'capped at 1');
  t.same(holmAdjust([]), []);
});

/**
 * Episodes share their session's effect (u_g), as windows cut from one trading day share its drift. The interval
 * must cover the true mean difference in ~95% of seeded replications; treating episodes as independent does not.
 */
function coverage(sizes: readonly number[], replications: number, clustered: boolean): number {
  const rng = new Rng(20_240_601);
  const effect = 1.5;
  const labels = sizes.flatMap((size, g) => new Array<string>(size).fill(`s${g}`));
  const clusters = clusterIndex(labels);
  const zeros = new Float64Array(labels.length);
  let covered = 0;
  for (let r = 0; r < replications; r++) {
    const cand = new Float64Array(labels.length);
    let i = 0;
    for (const size of sizes) {
      const session = 3 * rng.normal();
      for (let j = 0; j < size; j++) cand[i++] = -(effect + session + 2 * rng.normal()); // reference 0 - cand = d
    }
    const ci = pairedComparison(zeros, cand, clustered ? clusters : undefined).ci95!;
    if (ci[0] <= effect && effect <= ci[1]) covered++;
  }
  return covered / replications;
}

t.test('seeded Monte-Carlo: the 95% interval covers a known session-level effect ~95% of the time', async (t) => {
  // 2,000 replications: the binomial sd of a true 0.95 is 0.005, so +-0.02 is four of them (and the seed is fixed).
  const balanced = coverage(new Array(12).fill(8), 2000, true);
  t.ok(balanced > 0.93 && balanced < 0.97, `12 sessions x 8 episodes: ${balanced}`);
  const unbalanced = coverage([2, 3, 5, 8, 13, 4, 6, 9, 3, 7, 11, 5, 2, 10, 6], 2000, true);
  t.ok(unbalanced > 0.92 && unbalanced < 0.97, `15 sessions of 2-13 episodes: ${unbalanced}`);
  const naive = coverage(new Array(12).fill(8), 2000, false);
  t.ok(naive < 0.8, `episodes taken as independent cover only ${naive}`);
});
