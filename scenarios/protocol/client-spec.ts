// What a scenario says about its clients: how long they wait, how often and how soon they retry,
// how long they avoid a region that refused them. The protocol (client-protocol.ts) acts on it.

export interface ClientSpec {
  /** The client gives up on a request after this long: the outcome is indeterminate. */
  readonly timeoutMs: number
  /** Attempts per logical request, first included (Google SRE: at most 3). */
  readonly maxAttempts: number
  /** Retries allowed as a share of first attempts (retry budget, ~10-20%). */
  readonly retryBudgetRatio: number
  /** Base of the exponential backoff between attempts (jittered). */
  readonly backoffBaseMs: number
  /** After a refused connection, clients avoid that region for this long. */
  readonly failoverStickyMs: number
}
