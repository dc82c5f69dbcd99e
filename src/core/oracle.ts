/**
 * The risk-neutral optimal adaptive policy of `regime-liquidity`, by dynamic programming over (remaining
 * inventory on a grid, step, previous regime). At decision k the agent knows L_{k-1} (it sees v_{k-1}); L_k
 * follows the Markov chain. Expected IS of selling n at step k with q_k left:
 *   eta n^2 E[1/v_k | L_{k-1}] + gamma n (Q - q_k) - sign mu k n
 * (the spread cancels against P_arr = the touch at the start, and sigma xi has mean zero). The permanent term
 * is not split-neutral: summed over the episode it equals gamma (Q^2 - sum n_k^2) / 2, i.e. it lowers the
 * effective temporary coefficient by gamma/2 as AC's eta_tilde = eta - gamma/2 does; the DP keeps it exactly.
 */
import type { RegimeLiquidityParams } from './scenarios/regime-liquidity.js';
import type { MarketState, Order, Policy } from './types.js';

export interface OracleTable {
  readonly quantity: number;
  readonly horizon: number;
  readonly buckets: number;
  /** value[(k * 2 + l) * (M + 1) + i]: expected IS (currency) from step k with q = i Q / M left, L_{k-1} = l. */
  readonly value: Float64Array;
  /** Optimal remainder index j (q_{k+1} = j Q / M) for the same key. */
  readonly next: Int32Array;
}

type OracleParams = Pick<RegimeLiquidityParams, 'eta' | 'gamma' | 'mu' | 'rho' | 'volumeLow' | 'volumeHigh'>;

/** Backward induction on an (M + 1)-point inventory grid; O(T M^2). */
export function solveRegimeOracle(
  params: OracleParams,
  quantity: number,
  horizon: number,
  side: 'buy' | 'sell' = 'sell',
  buckets = 1000,
): OracleTable {
  const M = buckets;
  const W = M + 1;
  const h = quantity / M;
  const sign = side === 'sell' ? 1 : -1;
  const { eta, gamma, mu, rho } = params;
  const invV = [1 / params.volumeLow, 1 / params.volumeHigh];
  // E[1/v_k | L_{k-1} = l] and P(L_k = l' | L_{k-1} = l).
  const expInvV = [rho * invV[0] + (1 - rho) * invV[1], rho * invV[1] + (1 - rho) * invV[0]];
  const value = new Float64Array(horizon * 2 * W);
  const next = new Int32Array(horizon * 2 * W);
  const cont = new Float64Array(W);

  for (let k = horizon - 1; k >= 0; k--) {
    for (let l = 0; l < 2; l++) {
      const base = (k * 2 + l) * W;
      const a = eta * expInvV[l];
      if (k === horizon - 1) {
        for (let i = 0; i < W; i++) {
          const q = i * h;
          value[base + i] = a * q * q + gamma * q * (quantity - q) - sign * mu * k * q;
          next[base + i] = 0;
        }
        continue;
      }
      // Continuation E[V_{k+1}(j, L_k) | L_{k-1} = l].
      const stayRow = ((k + 1) * 2 + l) * W;
      const switchRow = ((k + 1) * 2 + (1 - l)) * W;
      for (let j = 0; j < W; j++) cont[j] = rho * value[stayRow + j] + (1 - rho) * value[switchRow + j];
      for (let i = 0; i < W; i++) {
        const q = i * h;
        const sold = quantity - q;
        let best = Infinity;
        let bestJ = i;
        for (let j = 0; j <= i; j++) {
          const n = (i - j) * h;
          const c = a * n * n + gamma * n * sold - sign * mu * k * n + cont[j];
          if (c < best) {
            best = c;
            bestJ = j;
          }
        }
        value[base + i] = best;
        next[base + i] = bestJ;
      }
    }
  }
  return { quantity, horizon, buckets: M, value, next };
}

/** Expected IS (currency) at the start when L_{-1} is high with probability pHigh. */
export function oracleExpectedShortfall(table: OracleTable, pHigh: number): number {
  const W = table.buckets + 1;
  return (1 - pHigh) * table.value[W - 1] + pHigh * table.value[W + W - 1];
}

/** The slice the table prescribes for q left at step k, linearly interpolated between grid points. */
export function oracleSlice(table: OracleTable, step: number, regime: number, remaining: number): number {
  const W = table.buckets + 1;
  const h = table.quantity / table.buckets;
  if (step >= table.horizon - 1) return remaining;
  const x = Math.min(Math.max(remaining / h, 0), table.buckets);
  const i0 = Math.floor(x);
  const i1 = Math.min(i0 + 1, table.buckets);
  const w = x - i0;
  const base = (step * 2 + regime) * W;
  const n0 = (i0 - table.next[base + i0]) * h;
  const n1 = (i1 - table.next[base + i1]) * h;
  return (1 - w) * n0 + w * n1;
}

/**
 * The oracle as a policy: it reads L_{k-1} from the observed volume v_{k-1} (nearer to volumeHigh = high) and
 * knows the scenario's parameters. Tables are solved lazily per (Q, T, side).
 */
export function regimeOracle(params: OracleParams, buckets = 1000): Policy {
  const tables = new Map<string, OracleTable>();
  const threshold = (params.volumeLow + params.volumeHigh) / 2;
  return {
    type: 'oracle',
    propose(order: Order, market: MarketState) {
      const key = `${order.quantity}/${order.horizon}/${order.side}`;
      let table = tables.get(key);
      if (!table) {
        table = solveRegimeOracle(params, order.quantity, order.horizon, order.side, buckets);
        tables.set(key, table);
      }
      const regime = (market.volume ?? 0) > threshold ? 1 : 0;
      return oracleSlice(table, order.step, regime, order.remaining);
    },
  };
}
