/** How long a client may take to send a request, and how long a quiet connection is kept (config.ts reads them). */
export interface HttpTimeouts {
  /** The whole request (headers and body) must arrive within this; else 408 and the connection closed. */
  readonly requestMs: number;
  /** The headers must arrive within this (<= requestMs); else 408 and the connection closed. */
  readonly headersMs: number;
  /** A connection with no traffic in either direction for this long is closed (also while a request is served). */
  readonly idleMs: number;
  /** A keep-alive connection waits this long for its next request. */
  readonly keepAliveMs: number;
}

/** Defaults: a slow client is cut within seconds; a keep-alive outlasts a load balancer's usual 60 s. */
export const DEFAULT_TIMEOUTS: HttpTimeouts = { requestMs: 30_000, headersMs: 10_000, idleMs: 120_000, keepAliveMs: 72_000 };
