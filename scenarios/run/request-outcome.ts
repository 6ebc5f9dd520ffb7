// What an HTTP answer (or its absence) means for the history, shared by the HTTP driver and the
// k6 ingester so that both judge a request the same way:
//   2xx                          ok
//   429 / 503                    failed, definitely not applied (shed, rate-limited, no count to
//                                serve): retry after Retry-After
//   other 4xx                    failed, definitely not applied (bad input, unknown id, gone)
//   5xx other than 503           indeterminate: the server may have applied it; retry, same key
//   connection refused           failed, definitely not applied: fail over to another region
//   reset / timeout / no answer  indeterminate; retry with the same key
import { Outcome } from '../../sim/history.ts'

export const CLIENT_CODES = {
  LS_CLIENT_TIMEOUT: 'no answer within the client timeout: the request may or may not have been applied',
  LS_CLIENT_CONNECTION_REFUSED: 'the region refused the connection (it is down): nothing was applied',
  LS_CLIENT_CONNECTION_RESET: 'the connection broke after the request was sent: it may have been applied',
  LS_CLIENT_DROPPED: 'no free VU when the operation was due (dropped_iterations): it was never sent',
  LS_CLIENT_BAD_RESPONSE: 'the answer did not match the API schema: treated as possibly applied',
  LS_CLIENT_STATUS: 'an HTTP status without a LikeStorm error body',
} as const

export type ClientCode = keyof typeof CLIENT_CODES

export interface RequestOutcome {
  readonly outcome: Outcome
  /** The error code to record ('' for ok). */
  readonly code: string
  /** Worth another attempt with the same idempotency key. */
  readonly retryable: boolean
  /** The region is down: try another one now. */
  readonly failover: boolean
}

const OK: RequestOutcome = { outcome: Outcome.Ok, code: '', retryable: false, failover: false }

/** An HTTP status (and the error code of its body, when it had one). */
export function outcomeOfStatus(status: number, bodyCode: string | undefined): RequestOutcome {
  if (status >= 200 && status < 300) return OK
  const code = bodyCode ?? `LS_CLIENT_STATUS_${status}`
  if (status === 429 || status === 503) return { outcome: Outcome.Fail, code, retryable: true, failover: false }
  if (status >= 400 && status < 500) return { outcome: Outcome.Fail, code, retryable: false, failover: false }
  return { outcome: Outcome.Indeterminate, code, retryable: true, failover: false }
}

/** A request that got no HTTP answer. `sent` says whether its bytes left (after a connection was made). */
export function outcomeOfError(kind: 'refused' | 'reset' | 'timeout', sent: boolean): RequestOutcome {
  if (kind === 'refused' || (kind === 'reset' && !sent)) {
    return { outcome: Outcome.Fail, code: 'LS_CLIENT_CONNECTION_REFUSED', retryable: true, failover: true }
  }
  if (kind === 'timeout') return { outcome: Outcome.Indeterminate, code: 'LS_CLIENT_TIMEOUT', retryable: true, failover: false }
  return { outcome: Outcome.Indeterminate, code: 'LS_CLIENT_CONNECTION_RESET', retryable: true, failover: true }
}
