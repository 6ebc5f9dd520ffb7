// Why an attempt did not succeed, as one small number: every answer is classified once, where it
// is received (scenarios/protocol/answer-kind.ts decides it from a core reply code, an HTTP status
// and catalogue code, or a network error), and the history stores the kind next to the error
// code. Checkers, metrics, reports and the k6 ingest read the kind; the code string stays only
// for examples a reader sees.
export const FailureKind = {
  /** Succeeded (no failure). */
  None: 0,
  /** The region was over capacity and shed the request (retry after the given delay). */
  Shed: 1,
  /** Too many requests from the client's network (retry after the given delay). */
  RateLimited: 2,
  /** A dependency or the service itself could not serve it now (no count to serve, store full, shutting down). */
  Unavailable: 3,
  /** No answer within the client's timeout: it may have been applied. */
  Timeout: 4,
  /** The region refused the connection (it is down): nothing was applied. */
  Refused: 5,
  /** The connection broke after the request was sent: it may have been applied. */
  ConnectionReset: 6,
  /** The user or video is unknown to the system. */
  UnknownId: 7,
  /** The request itself was refused as malformed or not allowed. */
  BadRequest: 8,
  /** The video is taken down. */
  TakenDown: 9,
  /** The account was deleted by a purge. */
  AccountDeleted: 10,
  /** The request's deadline passed before the server served it. */
  DeadlineExceeded: 11,
  /** The server failed (a 5xx that names no load or dependency): it may have been applied. */
  ServerError: 12,
  /** A 2xx whose body did not match the API: treated as possibly applied. */
  BadResponse: 13,
  /** Never sent: no free VU when it was due (k6's dropped_iterations). */
  NotSent: 14,
  /** Anything else. */
  Other: 15,
} as const
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind]

/** Names as results and reports print them, indexed by kind. */
export const FAILURE_KIND_NAMES = [
  'none',
  'shed',
  'rate-limited',
  'unavailable',
  'timeout',
  'refused',
  'connection-reset',
  'unknown-id',
  'bad-request',
  'taken-down',
  'account-deleted',
  'deadline-exceeded',
  'server-error',
  'bad-response',
  'not-sent',
  'other',
] as const
export type FailureKindName = (typeof FAILURE_KIND_NAMES)[number]

export const FAILURE_KIND_COUNT = FAILURE_KIND_NAMES.length

/** The kind a name stands for (Other for a name no kind has). */
export function failureKindNamed(name: string): FailureKind {
  const index = (FAILURE_KIND_NAMES as readonly string[]).indexOf(name)
  return (index < 0 ? FailureKind.Other : index) as FailureKind
}
