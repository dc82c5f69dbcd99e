/** The baseline policies by their API type. */
import { almgrenChriss } from './almgren-chriss.js';
import { pov } from './pov.js';
import { twap } from './twap.js';
import { vwap } from './vwap.js';
import type { FieldIssue } from '../errors.js';
import type { MarketState, Order, Policy } from '../types.js';

export type BaselineSpec =
  | { readonly type: 'twap' }
  | { readonly type: 'vwap'; readonly volumeProfile?: readonly number[] }
  | { readonly type: 'pov'; readonly rate: number }
  | {
      readonly type: 'almgren-chriss';
      readonly riskAversion: number;
      readonly eta: number;
      readonly gamma: number;
      readonly sigma: number;
    };

export const BASELINE_TYPES = ['twap', 'vwap', 'pov', 'almgren-chriss'] as const;
export type BaselineType = (typeof BASELINE_TYPES)[number];

/** @throws DomainError on parameters out of range (the HTTP layer answers 400). */
export function createBaseline(spec: BaselineSpec): Policy {
  switch (spec.type) {
    case 'twap':
      return twap();
    case 'vwap':
      return vwap(spec.volumeProfile);
    case 'pov':
      return pov(spec.rate);
    case 'almgren-chriss':
      return almgrenChriss(spec);
  }
}

/**
 * The rules that tie a baseline to the order it trades, which its parameters alone cannot break: a VWAP profile
 * has one entry per step and volume still to come; POV trades a share of the market's volume.
 */
export function baselineIssues(spec: BaselineSpec, order: Order, market: MarketState): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (spec.type === 'vwap' && spec.volumeProfile) {
    if (spec.volumeProfile.length !== order.horizon) {
      issues.push({ subject: 'policy', field: 'volumeProfile', reason: `must have ${order.horizon} entries (one per step of the horizon), got ${spec.volumeProfile.length}` });
    } else if (!spec.volumeProfile.slice(order.step).some((v) => v > 0)) {
      issues.push({ subject: 'policy', field: 'volumeProfile', reason: 'must have a positive entry at or after the current step' });
    }
  }
  if (spec.type === 'pov' && market.volume === undefined) {
    issues.push({ subject: 'market', field: 'volume', reason: 'is required by the pov policy (slice = rate x volume)' });
  }
  return issues;
}

export { almgrenChriss, almgrenChrissHoldings, almgrenChrissKappa } from './almgren-chriss.js';
export { uShapedProfile } from './vwap.js';
