/** The generalist scenario: its sampler covers every documented range, is deterministic per seed, and the
 * environment plays the order it draws (side, size, horizon, cap, lot) episode by episode. */
import t from 'tap';
import { ExecutionEnv, runEpisode } from '../../src/core/environment.js';
import { Rng } from '../../src/core/rng.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { GeneralistMarket, generalistVolumeShape } from '../../src/core/scenarios/generalist.js';
import { GENERALIST_RANGES, generalistRanges, sampleGeneralistEpisode, type GeneralistEpisode } from '../../src/core/scenarios/generalist-sampler.js';

const draws = (n: number, seed = 5): GeneralistEpisode[] => {
  const rng = new Rng(seed);
  const r = generalistRanges();
  return Array.from({ length: n }, () => sampleGeneralistEpisode(rng, r));
};

t.test('the sampler covers each range to both edges and stays inside it', async (t) => {
  const eps = draws(20_000);
  const R = GENERALIST_RANGES;
  const span = (key: keyof GeneralistEpisode, lo: number, hi: number, log: boolean) => {
    const xs = eps.map((e) => e[key] as number);
    const min = Math.min(...xs);
    const max = Math.max(...xs);
    t.ok(min >= lo && max <= hi, `${key} in [${lo}, ${hi}]: [${min}, ${max}]`);
    // Both edges reached within 2% of the range (on the log scale for scale parameters).
    const f = (x: number) => (log ? Math.log(x) : x);
    const width = f(hi) - f(lo);
    t.ok(f(min) - f(lo) <= 0.02 * width && f(hi) - f(max) <= 0.02 * width, `${key} reaches both edges`);
  };
  span('horizon', R.horizonMin, R.horizonMax, true);
  span('size', R.sizeMin, R.sizeMax, true);
  span('price', R.priceMin, R.priceMax, true);
  span('volatilityBps', R.volatilityBpsMin, R.volatilityBpsMax, true);
  span('spreadBps', R.spreadBpsMin, R.spreadBpsMax, true);
  span('rho', R.rhoMin, R.rhoMax, false);
  span('volumeNoise', R.volumeNoiseMin, R.volumeNoiseMax, false);
  span('etaBps', R.etaBpsMin, R.etaBpsMax, true);
  span('gammaBps', R.gammaBpsMin, R.gammaBpsMax, true);
  span('closeBoost', R.closeBoostMin, R.closeBoostMax, false);

  const buys = eps.filter((e) => e.side === 'buy').length / eps.length;
  t.ok(buys > 0.48 && buys < 0.52, `both sides, about half buys (${buys})`);
  const caps = eps.filter((e) => e.maxParticipation !== undefined);
  t.ok(caps.length > 0.45 * eps.length && caps.length < 0.55 * eps.length, 'about half with a participation cap');
  span2(t, caps.map((e) => e.maxParticipation!), R.capMin, R.capMax);
  const predictive = eps.filter((e) => e.imbalanceAlpha !== 0);
  t.ok(predictive.length > 0.45 * eps.length && predictive.length < 0.55 * eps.length, 'with and without a predictive imbalance');
  span2(t, predictive.map((e) => e.imbalanceAlpha), R.imbalanceAlphaMin, R.imbalanceAlphaMax);
  t.ok(eps.every((e) => Number.isInteger(e.lotSize) && e.lotSize >= 1 && e.lotSize <= Math.max(1, 0.01 * e.quantity)), 'lots from 1 to 1% of Q');
  t.ok(eps.some((e) => e.lotSize === 1) && eps.some((e) => e.lotSize > 100), 'single shares and large lots both occur');
  t.ok(eps.every((e) => Math.abs(e.quantity - e.size * e.volume * e.horizon) <= 0.5 || e.quantity === 1), 'Q = size x expected horizon volume');
});

function span2(t: { ok: (v: boolean, m: string) => unknown }, xs: number[], lo: number, hi: number) {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  t.ok(min >= lo && max <= hi && min - lo < 0.02 * (hi - lo) && hi - max < 0.02 * (hi - lo), `[${min}, ${max}] covers [${lo}, ${hi}]`);
}

t.test('deterministic per seed: same seed, same episode and path; another seed, another', async (t) => {
  t.same(draws(50, 9), draws(50, 9));
  t.notSame(draws(5, 9), draws(5, 10));
  const path = (seed: number) => {
    const m = new GeneralistMarket();
    m.reset(seed);
    const states = [m.state()];
    while (m.step < m.horizon) {
      m.execute('sell', 0);
      states.push(m.state());
    }
    return { params: m.params, states };
  };
  t.same(path(123), path(123));
  t.notSame(path(123).params, path(124).params);
});

t.test('volume is U-shaped with the close several times midday, mean 1', async (t) => {
  const s = generalistVolumeShape(100, 2, 4);
  t.ok(Math.abs(s.reduce((a, b) => a + b, 0) / 100 - 1) < 1e-12);
  t.ok(s[99] / s[50] > 3 && s[0] / s[50] > 1.7, `close ${s[99] / s[50]}x, open ${s[0] / s[50]}x midday`);
});

t.test('the environment plays the drawn order: side, Q, T, cap and lot change per episode', async (t) => {
  const env = new ExecutionEnv(createScenario('generalist'), {});
  const seen = new Set<string>();
  for (let seed = 0; seed < 40; seed++) {
    const market = env.market as GeneralistMarket;
    const view = env.reset(seed);
    const e = market.params;
    t.equal(view.order.side, e.side);
    t.equal(view.order.quantity, e.quantity);
    t.equal(view.order.horizon, e.horizon);
    t.equal(view.order.maxParticipation, e.maxParticipation);
    t.equal(view.order.lotSize, e.lotSize);
    seen.add(e.side);
    const r = runEpisode(env, seed, (v) => v.order.remaining / (v.order.horizon - v.order.step));
    t.equal(r.inventory.length, e.horizon + 1, 'one inventory point per step');
    t.equal(r.inventory.at(-1), 0, 'TWAP finishes the order');
    t.ok(Number.isFinite(r.shortfallBps));
  }
  t.same([...seen].sort(), ['buy', 'sell']);
  const pinned = new ExecutionEnv(createScenario('generalist'), { side: 'sell' });
  for (let seed = 0; seed < 10; seed++) t.equal(pinned.reset(seed).order.side, 'sell', 'an explicit side wins');
});

t.test('a bad range names the parameter and its bounds', async (t) => {
  t.throws(() => createScenario('generalist', { horizonMin: 0 }), /horizonMin must be in \[1, 10000\]/);
  t.throws(() => createScenario('generalist', { sizeMin: 0.2, sizeMax: 0.1 }), /sizeMax must be in \[0.2/);
  t.doesNotThrow(() => createScenario('generalist', { horizonMin: 20, horizonMax: 20 }), 'min = max pins a parameter');
});
