/** The /v1/decisions bodies the HTTP benches send (bench:http, bench:http-instructions): one order, one market. */
const order = {
  side: 'sell', quantity: 100000, horizon: 20, step: 3, remaining: 85000, arrivalPrice: 99.99,
  executedNotional: 1499850, lotSize: 100, maxParticipation: 0.2,
};
const market = { bid: 99.95, ask: 99.97, bidSize: 1200, askSize: 800, volume: 40000, averageVolume: 50000, volatility: 0.05 };

export const POLICY: Record<string, object> = {
  twap: { type: 'twap' },
  'almgren-chriss': { type: 'almgren-chriss', riskAversion: 1e-6, eta: 1e-5, gamma: 2.5e-7, sigma: 0.05 },
  vwap: { type: 'vwap' },
  pov: { type: 'pov', rate: 0.1 },
  dqn: { type: 'dqn', model: 'default' }, // no fallback: a 404 would show as non-2xx, never as a fast twap
};

/**
 * The dqn body is inside the shipped default model's domain (its training market: no cap, no lots, no book sizes;
 * docs/MODEL.md "Domain"), so the bench times the network's answer, not a 422.
 */
const { lotSize: _lot, maxParticipation: _cap, ...dqnOrder } = order;
const { bidSize: _bid, askSize: _ask, ...dqnMarket } = market;

/** The JSON body asking `policy` (a key of POLICY) for the next slice of the order. */
export const bodyOf = (policy: string): string =>
  JSON.stringify(policy === 'dqn' ? { policy: POLICY[policy], order: dqnOrder, market: dqnMarket } : { policy: POLICY[policy], order, market });
