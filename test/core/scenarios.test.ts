import t from 'tap';
import { Rng } from '../../src/core/rng.js';
import { checkParamNames, createScenario, SCENARIO_PARAM_NAMES, SCENARIOS } from '../../src/core/scenarios/index.js';
import { parseScenarioParams } from '../../src/cli/params.js';
import { INTRADAY_DEFAULTS, IntradayMarket, intradayVolumeShape } from '../../src/core/scenarios/intraday.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';

t.test('rng: uniform and normal moments; consecutive seeds start independent', async (t) => {
  const r = new Rng(123);
  let s = 0;
  let s2 = 0;
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  t.ok(Math.abs(s / n) < 0.01 && Math.abs(s2 / n - 1) < 0.02, 'N(0,1)');
  let below = 0;
  for (let seed = 0; seed < 4000; seed++) if (new Rng(seed).uniform() < 0.5) below++;
  t.ok(Math.abs(below / 4000 - 0.5) < 0.04, `first draws of neighbouring seeds: ${below / 4000} below 0.5`);
});

t.test('regime-liquidity: stay probability ~ rho, 50/50 regimes, the agent sees v_{k-1}', async (t) => {
  for (const rho of [0.9, 0.6]) {
    const m = new RegimeLiquidityMarket({ rho });
    let stays = 0;
    let moves = 0;
    let high = 0;
    let mismatches = 0;
    for (let e = 0; e < 2000; e++) {
      m.reset(e);
      for (let k = 0; k < m.horizon; k++) {
        const seen = m.state().volume;
        if ((seen === 90_000 ? 1 : 0) !== m.regimeBefore(k)) mismatches++;
        const v = m.execute('sell', 0).volume;
        if (v === 90_000) high++;
        if ((v === 90_000 ? 1 : 0) === m.regimeBefore(k)) stays++;
        moves++;
      }
    }
    t.equal(mismatches, 0, 'the state shows v_{k-1}');
    t.ok(Math.abs(stays / moves - rho) < 0.01, `stay ${(stays / moves).toFixed(4)} ~ ${rho}`);
    t.ok(Math.abs(high / moves - 0.5) < 0.02, `high share ${(high / moves).toFixed(3)}`);
  }
});

t.test('intraday: U-shaped mean volume, spread mean, imbalance predicts the next mid move', async (t) => {
  const m = new IntradayMarket();
  const T = m.horizon;
  const episodes = 3000;
  const volume = new Float64Array(T);
  let spread = 0;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let e = 0; e < episodes; e++) {
    m.reset(e);
    for (let k = 0; k < T; k++) {
      const s = m.state();
      const mid = (s.bid + s.ask) / 2;
      const imb = ((s.bidSize ?? 0) - (s.askSize ?? 0)) / ((s.bidSize ?? 0) + (s.askSize ?? 0));
      spread += s.ask - s.bid;
      const sigma = m.path(k).sigma;
      volume[k] += m.execute('sell', 0).volume / episodes;
      const next = m.state();
      const move = ((next.bid + next.ask) / 2 - mid) / sigma;
      sxy += imb * move;
      sxx += imb * imb;
      syy += move * move;
    }
  }
  const expected = intradayVolumeShape(INTRADAY_DEFAULTS).map((x) => (x * INTRADAY_DEFAULTS.adv) / T);
  for (let k = 0; k < T; k++) t.ok(Math.abs(volume[k] / expected[k] - 1) < 0.05, `step ${k}: mean volume ${volume[k].toFixed(0)} vs ${expected[k].toFixed(0)}`);
  t.ok(volume[0] > 1.5 * volume[T >> 1] && volume[T - 1] > 1.5 * volume[T >> 1], 'U shape');
  const meanSpread = spread / (episodes * T);
  // Long-run mean 0.02 plus the opening widening, floored at the tick: between 0.02 and 0.025.
  t.ok(meanSpread > 0.019 && meanSpread < 0.026, `mean spread ${meanSpread.toFixed(4)}`);
  const corr = sxy / Math.sqrt(sxx * syy);
  // corr = alpha sd(I) / sqrt(alpha^2 var(I) + 1) with no trading (mean of I ~ 0).
  const sdI = Math.sqrt(sxx / (episodes * T));
  const theory = (0.3 * sdI) / Math.sqrt(0.09 * sdI * sdI + 1);
  t.ok(Math.abs(corr - theory) < 0.03, `imbalance/next-move correlation ${corr.toFixed(3)} ~ ${theory.toFixed(3)}`);
});

t.test('intraday: transient impact decays, selling lowers the quotes', async (t) => {
  const a = new IntradayMarket();
  const b = new IntradayMarket();
  a.reset(9);
  b.reset(9);
  a.execute('sell', 0);
  b.execute('sell', 200_000);
  const gap = (k: number) => {
    const d = b.state().bid - a.state().bid;
    a.execute('sell', 0);
    b.execute('sell', 0);
    return { k, d };
  };
  const gaps = [gap(1), gap(2), gap(3), gap(4)].map((g) => g.d);
  t.ok(gaps[0] < 0, 'our sale pushed the quotes down');
  const permanent = -INTRADAY_DEFAULTS.gamma * 200_000;
  for (let i = 1; i < gaps.length; i++) t.ok(gaps[i] - permanent > gaps[i - 1] - permanent, 'the transient part shrinks step by step');
});

t.test('registry: unknown scenario and bad parameter name the accepted values', async (t) => {
  t.throws(() => createScenario('nope'), /use one of almgren-chriss, regime-liquidity, intraday, lob-replay/);
  t.throws(() => createScenario('regime-liquidity', { rho: 1.5 }), /rho must be in \[0, 1\]/);
});

t.test('parameter names: every scenario lists its defaults; an unknown name fails listing the valid ones', async (t) => {
  for (const scenario of SCENARIOS) {
    // generalist draws the horizon per episode from [horizonMin, horizonMax].
    const names = scenario === 'generalist' ? ['horizonMin', 'horizonMax'] : ['horizon'];
    t.ok(names.every((n) => SCENARIO_PARAM_NAMES[scenario].includes(n)), `${scenario} has ${names.join(', ')}`);
  }
  t.same(SCENARIO_PARAM_NAMES.intraday, Object.keys(INTRADAY_DEFAULTS), 'derived from the defaults object');
  t.ok(SCENARIO_PARAM_NAMES['lob-replay'].includes('starts') && !SCENARIO_PARAM_NAMES['lob-replay'].includes('days'), 'starts yes, days (from --data) no');
  t.throws(() => checkParamNames('intraday', ['T']), /intraday: unknown parameter "T"; valid: quantity, horizon, s0/);
  t.throws(() => checkParamNames('regime-liquidity', ['rho', 'T', 'x']), /unknown parameters "T", "x"/);
  t.doesNotThrow(() => checkParamNames('regime-liquidity', ['rho', 'horizon']));
  // The CLIs' --param: numbers, comma lists, text; then the names.
  t.same(parseScenarioParams('lob-replay', ['horizon=30', 'starts=34200,36000', 'split=test']), { horizon: 30, starts: [34200, 36000], split: 'test' });
  t.throws(() => parseScenarioParams('almgren-chriss', ['T=390']), /--param: almgren-chriss: unknown parameter "T"; valid: .*horizon/);
  t.throws(() => parseScenarioParams('almgren-chriss', ['horizon']), /--param expects name=value/);
});

t.test('a scenario horizon is at most MAX_HORIZON (10,000 steps), like an order horizon', async (t) => {
  const { MAX_HORIZON } = await import('../../src/core/limits.js');
  for (const name of ['almgren-chriss', 'regime-liquidity', 'intraday']) {
    t.doesNotThrow(() => createScenario(name, { horizon: MAX_HORIZON }), `${name} takes ${MAX_HORIZON}`);
    t.throws(() => createScenario(name, { horizon: MAX_HORIZON + 1 }), /horizon/, `${name} refuses ${MAX_HORIZON + 1}`);
  }
});
