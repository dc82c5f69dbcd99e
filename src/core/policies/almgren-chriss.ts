/**
 * Almgren-Chriss (2000) optimal execution in discrete time with the step as the time unit (tau = 1), in AC's
 * notation: eta temporary impact per share traded within one step, gamma permanent impact per share, sigma the
 * mid's standard deviation per step, lambda the risk aversion per unit of currency (docs/DESIGN.md 2).
 */
import { DomainError } from '../errors.js';
import type { MarketState, Order, Policy } from '../types.js';

export interface AlmgrenChrissParams {
  readonly riskAversion: number; // lambda
  readonly eta: number;
  readonly gamma: number;
  readonly sigma: number;
}

/**
 * kappa of AC eq. (18) for tau = 1: 2 (cosh kappa - 1) = kappa_tilde^2 = lambda sigma^2 / eta_tilde,
 * with eta_tilde = eta - gamma / 2 (eq. 16).
 * @throws DomainError when eta_tilde <= 0 (the problem has no minimum).
 */
export function almgrenChrissKappa(p: AlmgrenChrissParams): number {
  const etaTilde = p.eta - p.gamma / 2;
  if (!(etaTilde > 0)) {
    throw new DomainError([{ subject: 'policy', field: 'eta', reason: `eta - gamma/2 must be > 0 (eta_tilde = ${etaTilde}); raise eta or lower gamma` }]);
  }
  const kappaTilde2 = (p.riskAversion * p.sigma * p.sigma) / etaTilde;
  return Math.acosh(1 + kappaTilde2 / 2);
}

/**
 * sinh(kappa m) / sinh(kappa n), the share of X still held with m of n steps left, without overflow; the
 * kappa -> 0 limit is m / n (TWAP).
 */
function heldFraction(kappa: number, m: number, n: number): number {
  // kappa overflows to Infinity when lambda sigma^2 / eta_tilde does (a tiny eta): the limit sells everything now.
  if (kappa === Infinity) return m === n ? 1 : 0;
  const a = kappa * m;
  const b = kappa * n;
  if (b < 1e-8) return m / n;
  if (b > 20) return Math.exp(a - b) * ((1 - Math.exp(-2 * a)) / (1 - Math.exp(-2 * b)));
  return Math.sinh(a) / Math.sinh(b);
}

/** Holdings x_j = sinh(kappa (N - j)) / sinh(kappa N) X for j = 0..N (AC eq. 19 with tau = 1). */
export function almgrenChrissHoldings(inventory: number, steps: number, kappa: number): number[] {
  const x = new Array<number>(steps + 1);
  for (let j = 0; j <= steps; j++) x[j] = inventory * heldFraction(kappa, steps - j, steps);
  return x;
}

/** The AC policy re-planned from (q_k, T - k): the slice now is X - x_1. */
export function almgrenChriss(params: AlmgrenChrissParams): Policy {
  if (!(params.riskAversion >= 0)) throw new DomainError([{ subject: 'policy', field: 'riskAversion', reason: `must be >= 0, got ${params.riskAversion}` }]);
  const kappa = almgrenChrissKappa(params);
  return {
    type: 'almgren-chriss',
    propose(order: Order, _market: MarketState) {
      const steps = order.horizon - order.step;
      // kappa -> 0 is TWAP exactly (1 - (N-1)/N would differ from 1/N in the last bits).
      if (kappa * steps < 1e-8) return order.remaining / steps;
      return order.remaining * (1 - heldFraction(kappa, steps - 1, steps));
    },
  };
}
