/**
 * Domain rules on an order and a market state that a JSON schema cannot say (relations between fields).
 * Returns every broken rule, each naming its field within the order or the market, so a caller can fix them all at once.
 */
import type { FieldIssue, Subject } from './errors.js';
import type { MarketState, Order } from './types.js';

/** Every non-finite number of `fields` (under `at` within `subject`) as an issue (JSON's 1e999 parses to Infinity).
 * The names are built only for a failure: this runs on every decision. */
function nonFinite(issues: FieldIssue[], subject: Subject, at: string, fields: object): void {
  for (const k in fields) {
    const v = (fields as Record<string, unknown>)[k];
    if (typeof v === 'number' && !Number.isFinite(v)) issues.push({ subject, field: at ? `${at}.${k}` : k, reason: 'must be a finite number' });
  }
}

export function orderIssues(order: Order, market: MarketState): FieldIssue[] {
  const issues: FieldIssue[] = [];
  nonFinite(issues, 'order', '', order);
  nonFinite(issues, 'market', '', market);

  if (order.remaining > order.quantity) issues.push({ subject: 'order', field: 'remaining', reason: `must be <= order.quantity (${order.quantity})` });
  if (order.step >= order.horizon) issues.push({ subject: 'order', field: 'step', reason: `must be < order.horizon (${order.horizon}); steps are 0-based` });
  if (order.lotSize !== undefined && order.lotSize > order.quantity) issues.push({ subject: 'order', field: 'lotSize', reason: `must be <= order.quantity (${order.quantity})` });
  if (order.executedNotional !== undefined && order.remaining === order.quantity && order.executedNotional !== 0) {
    issues.push({ subject: 'order', field: 'executedNotional', reason: 'must be 0 while nothing is executed (remaining = quantity)' });
  }
  if (market.bid > market.ask) issues.push({ subject: 'market', field: 'bid', reason: `must be <= market.ask (${market.ask})` });
  if (order.maxParticipation !== undefined && market.volume === undefined) {
    issues.push({ subject: 'market', field: 'volume', reason: 'is required when order.maxParticipation is set (the cap is a share of it)' });
  }
  market.levels?.forEach((level, i) => {
    const at = `levels.${i}`;
    nonFinite(issues, 'market', at, level);
    // The reasons name fields as the domain does: market.levels.<i>.<field>.
    if (level.bidPrice > level.askPrice) issues.push({ subject: 'market', field: `${at}.bidPrice`, reason: `must be <= market.${at}.askPrice` });
    const prev = i > 0 ? market.levels![i - 1] : undefined;
    if (i === 0 && (level.bidPrice !== market.bid || level.askPrice !== market.ask)) {
      issues.push({ subject: 'market', field: at, reason: 'level 1 must equal market.bid / market.ask (levels start at the touch)' });
    }
    if (prev && level.bidPrice > prev.bidPrice) issues.push({ subject: 'market', field: `${at}.bidPrice`, reason: 'bid levels must not rise with depth' });
    if (prev && level.askPrice < prev.askPrice) issues.push({ subject: 'market', field: `${at}.askPrice`, reason: 'ask levels must not fall with depth' });
  });
  return issues;
}
