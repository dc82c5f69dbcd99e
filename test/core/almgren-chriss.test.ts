import t from 'tap';
import { almgrenChrissHoldings, almgrenChrissKappa, createBaseline } from '../../src/core/policies/index.js';

t.test('lambda = 0 reproduces TWAP at every step', async (t) => {
  const ac = createBaseline({ type: 'almgren-chriss', riskAversion: 0, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 });
  const twap = createBaseline({ type: 'twap' });
  const m = { bid: 99.95, ask: 99.97 };
  for (const [step, remaining] of [[0, 100000], [5, 70000], [18, 3333]]) {
    const o = { side: 'sell' as const, quantity: 100000, horizon: 20, step, remaining };
    t.equal(ac.propose(o, m), twap.propose(o, m));
  }
});

t.test('discrete trajectory matches an independent computation', async (t) => {
  // X = 1e6, N = 5, eta = 2.5e-6, gamma = 2.5e-7, sigma = 0.95, lambda = 2e-6 (AC's own example scale).
  const p = { riskAversion: 2e-6, eta: 2.5e-6, gamma: 2.5e-7, sigma: 0.95 };
  const etaTilde = p.eta - p.gamma / 2;
  const kt2 = (p.riskAversion * p.sigma ** 2) / etaTilde;
  // kappa solves 2 (cosh kappa - 1) = kt2: solve by bisection here, not acosh.
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (2 * (Math.cosh(mid) - 1) < kt2) lo = mid;
    else hi = mid;
  }
  const kappa = almgrenChrissKappa(p);
  t.ok(Math.abs(kappa - lo) < 1e-12, `kappa ${kappa} vs bisection ${lo}`);
  const x = almgrenChrissHoldings(1e6, 5, kappa);
  const expected = [0, 1, 2, 3, 4, 5].map((j) => (1e6 * (Math.exp(lo * (5 - j)) - Math.exp(-lo * (5 - j)))) / (Math.exp(lo * 5) - Math.exp(-lo * 5)));
  x.forEach((v, j) => t.ok(Math.abs(v - expected[j]) < 1e-6, `x_${j} = ${v}, expected ${expected[j]}`));
  t.equal(x[0], 1e6);
  t.equal(x[5], 0);
  // Risk aversion front-loads: the first slice is above TWAP's 200000.
  t.ok(1e6 - x[1] > 200000);
});

t.test('small-tau limit: the discrete kappa tends to the continuous sqrt(lambda sigma^2 / eta)', async (t) => {
  // With tau -> 0, kappa_discrete / tau -> kappa_continuous. Scale tau by using many steps per unit time:
  // per-step sigma^2 = sigma_c^2 tau, per-step eta = eta_c / tau (gamma = 0).
  const sigmaC = 0.3;
  const etaC = 1e-4;
  const lambda = 1e-3;
  const kappaC = Math.sqrt((lambda * sigmaC ** 2) / etaC);
  const tau = 1e-4;
  const kappa = almgrenChrissKappa({ riskAversion: lambda, eta: etaC / tau, gamma: 0, sigma: sigmaC * Math.sqrt(tau) });
  t.ok(Math.abs(kappa / tau - kappaC) / kappaC < 1e-4, `kappa/tau ${kappa / tau} vs ${kappaC}`);
  // The trajectory at mid-horizon equals the continuous sinh(kappa (T - t)) / sinh(kappa T) X.
  const T = 1;
  const N = Math.round(T / tau);
  const x = almgrenChrissHoldings(1, N, kappa);
  const cont = Math.sinh(kappaC * (T - 0.5)) / Math.sinh(kappaC * T);
  t.ok(Math.abs(x[N / 2] - cont) < 1e-5, `x(T/2) ${x[N / 2]} vs continuous ${cont}`);
});

t.test('eta_tilde <= 0 is rejected with a clear error', async (t) => {
  t.throws(() => createBaseline({ type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-7, gamma: 2.5e-7, sigma: 0.05 }), {
    message: /policy.eta: eta - gamma\/2 must be > 0/,
  });
});

t.test('huge kappa stays finite: everything at once', async (t) => {
  const ac = createBaseline({ type: 'almgren-chriss', riskAversion: 1e6, eta: 1e-9, gamma: 0, sigma: 10 });
  const n = ac.propose({ side: 'sell', quantity: 1000, horizon: 100, step: 0, remaining: 1000 }, { bid: 1, ask: 1 });
  t.ok(Number.isFinite(n) && Math.abs(n - 1000) < 1e-6, `slice ${n}`);
});
