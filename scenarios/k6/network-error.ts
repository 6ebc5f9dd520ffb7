// What a k6 request that got no HTTP answer means, from its `error_code` (k6 reports status 0 and
// a code: https://grafana.com/docs/k6/latest/javascript-api/error-codes/). Shared by the k6
// script (to decide failover and retries) and the ingester (to classify the attempt), so both read
// a code the same way; scenarios/protocol/answer-kind.ts then classifies it (classifyK6Answer).
//   1050          the request timed out                         timeout (it may have landed)
//   1020, 11xx,   bad URL, DNS, dial errors (1210 general,      refused: nothing was sent, fail
//   1210-1213,    1211 dial timeout, 1212 refused, 1213          over to the next region
//   13xx          unknown), TLS handshake errors
//   1201, 1220    broken pipe, reset by peer                    reset after sending: indeterminate
//   anything else (1000, 1200, 1202, 16xx, …)                   reset after sending (the cautious reading)

import { classifyNetworkError, classifyStatus, type Classified } from '../protocol/answer-kind.ts'
import type { Answer } from './points.ts'

export interface NetworkError {
  readonly kind: 'refused' | 'reset' | 'timeout'
  /** Whether the request's bytes may have reached the server. */
  readonly sent: boolean
}

export const K6_REQUEST_TIMEOUT = 1050

export function networkErrorOf(errorCode: number): NetworkError {
  if (errorCode === K6_REQUEST_TIMEOUT) return { kind: 'timeout', sent: true }
  const dial = errorCode >= 1210 && errorCode <= 1213
  const dns = errorCode >= 1100 && errorCode < 1200
  const tls = errorCode >= 1300 && errorCode < 1400
  if (errorCode === 1020 || dial || dns || tls) return { kind: 'refused', sent: false }
  return { kind: 'reset', sent: true }
}

/** A k6 answer classified: by its status and error body's code, or by k6's error code when none came. */
export function classifyK6Answer(answer: Answer): Classified {
  if (answer.status > 0) return classifyStatus(answer.status, answer.code === '' ? undefined : answer.code)
  const error = networkErrorOf(answer.k6err)
  return classifyNetworkError(error.kind, error.sent)
}
