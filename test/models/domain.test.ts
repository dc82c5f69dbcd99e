/** The domain format: what a fit records, how it is validated at load, and an ensemble's union. */
import t from 'tap';
import { OBSERVATION_FEATURES_V1, observeV1 } from '../../src/core/observation.js';
import type { MarketState, Order } from '../../src/core/types.js';
import { ArtifactError } from '../../src/models/artifact/artifact-error.js';
import { DomainFit, domainIssues, parameterValues, unionDomain, validateDomain } from '../../src/models/artifact/domain.js';

const order: Order = { side: 'sell', quantity: 10000, horizon: 10, step: 0, remaining: 10000 };
const market = (volume: number): MarketState => ({ bid: 99.99, ask: 100.01, volume, averageVolume: 5000, volatility: 0.05 });
const derivedFrom = { scenario: 'test', episodes: 1, seed: 1, margin: 0.05 };

function fit(volumes: number[], o: Order = order) {
  const f = new DomainFit(OBSERVATION_FEATURES_V1);
  for (const v of volumes) f.add(o, market(v), observeV1(o, market(v)));
  return f.result(derivedFrom);
}

t.test('a fit records sides, required fields, exact parameter ranges and widened feature ranges', async (t) => {
  const d = fit([2500, 7500]);
  t.same(d.sides, ['sell']);
  t.same(d.required, ['volume', 'averageVolume', 'volatility'], 'sizes never sent: not required');
  t.same(d.parameters.horizon, { min: 10, max: 10 });
  t.same(d.parameters.lotFraction, { min: 0, max: 0 }, 'single shares');
  t.equal(d.parameters.maxParticipation.max, 1, 'no cap counts as 1');
  t.ok(Math.abs(d.parameters.orderSizeVsVolume.min - 0.2) < 1e-8);
  t.same(d.features.relativeVolume, { min: 0.5 - 0.05, max: 1.5 + 0.05 }, '5% of the width on each side');
  t.ok(d.features.inventory.min > 1 - 1e-8 && d.features.inventory.max === 1, 'a constant keeps only a rounding tolerance, within its natural range');
  t.same(d.features.imbalance, { min: 0, max: 0 });
  t.same(parameterValues({ ...order, lotSize: 1 }, market(1)).lotFraction, 0, 'a lot of one share is no lot');
});

t.test('domainIssues names the field, the value and the range; NaN is outside', async (t) => {
  const d = fit([2500, 7500]);
  t.same(domainIssues(d, OBSERVATION_FEATURES_V1, order, market(5000), observeV1(order, market(5000))), []);
  const issues = domainIssues(d, OBSERVATION_FEATURES_V1, order, market(20000), observeV1(order, market(20000)));
  t.match(issues, [{ subject: 'market', field: 'volume', reason: 'observation relativeVolume = 4 is outside the trained range [0.45, 1.55]' }]);
  const nan = observeV1(order, market(5000)).map(() => NaN);
  t.equal(domainIssues(d, OBSERVATION_FEATURES_V1, order, market(5000), nan).length, OBSERVATION_FEATURES_V1.length);
});

t.test('validateDomain refuses a malformed domain, naming the field', async (t) => {
  const d = fit([5000]);
  t.same(validateDomain(JSON.parse(JSON.stringify(d)), OBSERVATION_FEATURES_V1), d);
  const bad = (change: (x: Record<string, any>) => void, field: RegExp) => {
    const x = JSON.parse(JSON.stringify(d));
    change(x);
    let error: unknown;
    try {
      validateDomain(x, OBSERVATION_FEATURES_V1);
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ArtifactError && field.test(error.message), `${field}: ${String(error)}`);
  };
  bad((x) => (x.format = 'v0'), /metadata\.domain\.format/);
  bad((x) => (x.sides = []), /metadata\.domain\.sides/);
  bad((x) => (x.required = ['bid']), /metadata\.domain\.required/);
  bad((x) => (x.parameters.horizon = { min: 5, max: 1 }), /metadata\.domain\.parameters\.horizon/);
  bad((x) => delete x.features.spreadBps, /metadata\.domain\.features\.spreadBps/);
  bad((x) => (x.features.imbalance.max = 'x'), /metadata\.domain\.features\.imbalance/);
});

t.test("an ensemble's domain unites its members'; one member without a domain leaves it unknown", async (t) => {
  const a = fit([2500]);
  const b = fit([7500], { ...order, side: 'buy' });
  const u = unionDomain([a, b])!;
  t.same(u.sides, ['sell', 'buy']);
  t.equal(u.features.relativeVolume.min, a.features.relativeVolume.min);
  t.equal(u.features.relativeVolume.max, b.features.relativeVolume.max);
  t.equal(u.derivedFrom.episodes, 2);
  t.equal(unionDomain([a, undefined]), undefined);
});
