import t from 'tap';
import { createBaseline, uShapedProfile } from '../../src/core/policies/index.js';
import { stateWithVolumeArb } from './arbitraries.js';
import { policyContract } from './policy-contract.js';

policyContract(t, 'twap', () => createBaseline({ type: 'twap' }));
policyContract(t, 'vwap (U-shaped)', () => createBaseline({ type: 'vwap' }));
policyContract(t, 'vwap (caller profile)', (order) =>
  createBaseline({ type: 'vwap', volumeProfile: Array.from({ length: order.horizon }, (_, k) => 1 + ((k * 7919) % 13)) }),
);
policyContract(t, 'pov', () => createBaseline({ type: 'pov', rate: 0.1 }), stateWithVolumeArb);
policyContract(t, 'almgren-chriss', (_order, market) =>
  createBaseline({ type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: market.volatility ?? 0.05 }),
);
policyContract(t, 'almgren-chriss (very risk-averse)', () =>
  createBaseline({ type: 'almgren-chriss', riskAversion: 1, eta: 1e-6, gamma: 0, sigma: 1 }),
);

t.test('TWAP re-plans from what is left', async (t) => {
  const twap = createBaseline({ type: 'twap' });
  const m = { bid: 10, ask: 10.01 };
  t.equal(twap.propose({ side: 'sell', quantity: 1000, horizon: 10, step: 0, remaining: 1000 }, m), 100);
  // after an under-fill, 900 + 100 left over 8 steps
  t.equal(twap.propose({ side: 'sell', quantity: 1000, horizon: 10, step: 2, remaining: 1000 }, m), 125);
});

t.test('VWAP slices follow the profile and re-plan', async (t) => {
  const vwap = createBaseline({ type: 'vwap', volumeProfile: [1, 2, 3, 4] });
  const m = { bid: 10, ask: 10.01 };
  t.equal(vwap.propose({ side: 'buy', quantity: 1000, horizon: 4, step: 0, remaining: 1000 }, m), 100);
  t.equal(vwap.propose({ side: 'buy', quantity: 1000, horizon: 4, step: 2, remaining: 700 }, m), 300);
  const u = uShapedProfile(13);
  t.ok(u[0] > u[6] && u[12] > u[6] && u[12] > u[0], 'U shape: both ends above the middle, close highest');
});

t.test('POV trades a share of volume and rejects a rate out of range', async (t) => {
  const pov = createBaseline({ type: 'pov', rate: 0.25 });
  t.equal(pov.propose({ side: 'sell', quantity: 1e5, horizon: 10, step: 0, remaining: 1e5 }, { bid: 1, ask: 1.01, volume: 4000 }), 1000);
  t.throws(() => createBaseline({ type: 'pov', rate: 0 }), /policy.rate/);
  t.throws(() => createBaseline({ type: 'pov', rate: 1.5 }), /policy.rate/);
});
