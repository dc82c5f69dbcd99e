/**
 * A parent order as a resource: the ticket a desk sends once, the decisions the service gave it step by step and
 * the fills the desk reported, as plain immutable values (no HTTP, no storage). lifecycle.ts moves it between
 * states; tca.ts analyses it.
 */
import type { MarketState, Side } from '../core/types.js';
import type { ImpactParams } from '../core/schedule.js';

export type OrderStatus = 'working' | 'filled' | 'cancelled' | 'expired';
export const ORDER_STATUSES: readonly OrderStatus[] = ['working', 'filled', 'cancelled', 'expired'];

export type Urgency = 'low' | 'medium' | 'high';

/** The policy of a ticket: any policy of the stateless decisions, as sent (resolved per decision). */
export type TicketPolicy = { readonly type: string; readonly [key: string]: unknown };

/** The algo ticket with every default filled in (ticket.ts). Times are epoch milliseconds. */
export interface Ticket {
  readonly side: Side;
  readonly quantity: number;
  readonly horizon: number;
  readonly stepSeconds: number;
  readonly startTime: number;
  /** startTime + horizon x stepSeconds: past it the order expires. */
  readonly endTime: number;
  /** P_arr when the desk set it; otherwise the touch at the first decision. */
  readonly arrivalPrice?: number;
  readonly policy: TicketPolicy;
  readonly limitPrice?: number;
  readonly iWouldPrice?: number;
  readonly maxParticipation?: number;
  readonly minParticipation?: number;
  readonly urgency?: Urgency;
  readonly forceCompletion: boolean;
  readonly lotSize: number;
  readonly clientOrderId?: string;
  /** Impact parameters for the TCA's TWAP estimate (AC units); default: the AC policy's, else spread only. */
  readonly impact?: ImpactParams;
}

/** What the service answered for one step, kept in the audit trail. */
export interface DecisionRecord {
  readonly step: number;
  /** ISO time the decision was made. */
  readonly at: string;
  readonly market: MarketState;
  /** The market's VWAP over the previous step, when the desk sent it (the TCA's interval VWAP). */
  readonly marketVwap?: number;
  readonly policy: { readonly type: string; readonly model?: string; readonly version?: string };
  readonly fallbackReason?: string;
  readonly action?: number;
  readonly proposal: number;
  readonly quantity: number;
  readonly forced: boolean;
  readonly capped: boolean;
  readonly limited: boolean;
  readonly iWould: boolean;
  readonly unexecuted: number;
  /** Remaining before this slice. */
  readonly remaining: number;
  /** The coming step's volume the participation cap was applied to. */
  readonly volumeEstimate?: number;
  readonly capInfeasible: boolean;
  /** Shares the cap leaves undone over the rest of the horizon at the estimated volume (0 when feasible). */
  readonly capShortfall: number;
  /** IS of the fills booked before this decision, currency and bps (fees included). */
  readonly cumulativeShortfall?: number;
  readonly cumulativeShortfallBps?: number;
  /** With ?explain=true on a dqn decision: the observation, Q-values and mask. */
  readonly explain?: { readonly observation: Record<string, number>; readonly qValues: number[]; readonly mask: boolean[] };
}

export interface FillRecord {
  readonly fillId: string;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  /** ISO execution time as reported (the receipt time when not sent). */
  readonly time: string;
  readonly receivedAt: string;
  /** The step of the latest decision when the fill arrived (0 before any). */
  readonly step: number;
}

export interface ParentOrder {
  readonly id: string;
  readonly createdAt: string;
  readonly ticket: Ticket;
  /** The create request as sent: a repeated clientOrderId must carry the same ticket. */
  readonly request: unknown;
  readonly status: OrderStatus;
  /** P_arr in use: the ticket's, or the touch at the first decision. */
  readonly arrivalPrice?: number;
  readonly executedQuantity: number;
  /** Sum of price x shares of the fills. */
  readonly executedNotional: number;
  readonly fees: number;
  readonly decisions: readonly DecisionRecord[];
  readonly fills: readonly FillRecord[];
  /** When it left `working`, and the shares it left unexecuted. */
  readonly closedAt?: string;
  readonly unexecuted?: number;
}
