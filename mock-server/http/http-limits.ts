// The mock server's bounds: every queue, wait and body has one (TigerBeetle's "a limit on
// everything"); hitting one is an error response with a code, never a silent stall.

export interface HttpLimits {
  /** Largest request body accepted (413 above). */
  readonly bodyLimitBytes: number
  /** API requests served at once per region listener. */
  readonly inFlightMax: number
  /** API requests waiting for a slot per region listener (503 above). */
  readonly queueMax: number
  /** A queued request that has no slot after this long is shed. */
  readonly queueWaitMsMax: number
  /** Bound on the modelled wait enacted before a reply. */
  readonly waitMsMax: number
  /** A request not fully received within this is answered 408 (Node's requestTimeout). */
  readonly requestTimeoutMs: number
  /** Wall ms per modelled ms when enacting a wait (a server on a scaled clock, e.g. mode http's --time-scale). */
  readonly waitScale: number
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyLimitBytes: 16_384,
  inFlightMax: 1024,
  queueMax: 1024,
  queueWaitMsMax: 1000,
  waitMsMax: 5000,
  requestTimeoutMs: 30_000,
  waitScale: 1,
}
