/**
 * Domain rules on an order and a market state that a JSON schema cannot say (relations between fields).
 * Returns every broken rule with its field path, so a caller can fix them all at once.
 */
import type { FieldIssue } from './errors.js';
import type { MarketState, Order } from './types.js';

/** Every non-finite number of `fields` as an issue under `at` (JSON's 1e999 parses to Infinity). The paths are
 * built only for a failure: this runs on every decision. */
function nonFinite(issues: FieldIssue[], at: string, fields: object): void {
  for (const k in fields) {
    const v = (fields as Record<string, unknown>)[k];
    if (typeof v === 'number' && !Number.isFinite(v)) issues.push({ path: `${at}.${k}`, reason: 'must be a finite number' });
  }
}

function add(issues: FieldIssue[], path: string, reason: string): void {
  issues.push({ path, reason });
}

export function orderIssues(order: Order, market: MarketState): FieldIssue[] {
  const issues: FieldIssue[] = [];
  nonFinite(issues, 'order', order);
  nonFinite(issues, 'market', market);

  if (order.remaining > order.quantity) add(issues, 'order.remaining', `must be <= order.quantity (${order.quantity})`);
  if (order.step >= order.horizon) add(issues, 'order.step', `must be < order.horizon (${order.horizon}); steps are 0-based`);
  if (order.lotSize !== undefined && order.lotSize > order.quantity) add(issues, 'order.lotSize', `must be <= order.quantity (${order.quantity})`);
  if (order.executedNotional !== undefined && order.remaining === order.quantity && order.executedNotional !== 0) {
    add(issues, 'order.executedNotional', 'must be 0 while nothing is executed (remaining = quantity)');
  }
  if (market.bid > market.ask) add(issues, 'market.bid', `must be <= market.ask (${market.ask})`);
  if (order.maxParticipation !== undefined && market.volume === undefined) {
    add(issues, 'market.volume', 'is required when order.maxParticipation is set (the cap is a share of it)');
  }
  market.levels?.forEach((level, i) => {
    const at = `market.levels.${i}`;
    nonFinite(issues, at, level);
    if (level.bidPrice > level.askPrice) add(issues, `${at}.bidPrice`, `must be <= ${at}.askPrice`);
    const prev = i > 0 ? market.levels![i - 1] : undefined;
    if (i === 0 && (level.bidPrice !== market.bid || level.askPrice !== market.ask)) {
      add(issues, at, 'level 1 must equal market.bid / market.ask (levels start at the touch)');
    }
    if (prev && level.bidPrice > prev.bidPrice) add(issues, `${at}.bidPrice`, 'bid levels must not rise with depth');
    if (prev && level.askPrice < prev.askPrice) add(issues, `${at}.askPrice`, 'ask levels must not fall with depth');
  });
  return issues;
}
