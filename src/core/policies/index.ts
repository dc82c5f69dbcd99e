/** The baseline policies by their API type. */
import { almgrenChriss } from './almgren-chriss.js';
import { pov } from './pov.js';
import { twap } from './twap.js';
import { vwap } from './vwap.js';
import type { Policy } from '../types.js';

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

export { almgrenChriss, almgrenChrissHoldings, almgrenChrissKappa } from './almgren-chriss.js';
export { uShapedProfile } from './vwap.js';
