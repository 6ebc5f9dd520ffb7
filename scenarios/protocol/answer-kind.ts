// Every answer classified once, where it is received: a core reply's code (mode sim), an HTTP
// status with the catalogue code of its body (mode http, the k6 script), or a request that got no
// answer. The result is a FailureKind (sim/failure-kind.ts); what each kind means for the history
// (definitely not applied, or maybe applied) and for the client (retry, fail over, give up) is the
// table below. This is the only place that reads status codes or error-code strings.
//
//   kind              outcome        the client
//   shed              fail           retries after backoff or the server's Retry-After
//   rate-limited      fail           retries after backoff or the server's Retry-After
//   unavailable       fail           retries after backoff or the server's Retry-After
//   refused           fail           fails over to the next region at once, else retries
//   connection-reset  indeterminate  fails over to the next region at once, else retries (same key)
//   timeout           indeterminate  retries with the same key
//   deadline-exceeded indeterminate  retries with the same key
//   server-error      indeterminate  retries with the same key (the server may have applied it)
//   bad-response      indeterminate  retries with the same key
//   unknown-id, bad-request, taken-down, account-deleted, not-sent, other: fail, gives up
import { FailureKind } from '../../sim/failure-kind.ts'
import { Outcome } from '../../sim/history.ts'

/** Codes of the client side (no server said them), recorded with their kind. */
export const CLIENT_CODES = {
  LS_CLIENT_TIMEOUT: 'no answer within the client timeout: the request may or may not have been applied',
  LS_CLIENT_CONNECTION_REFUSED: 'the region refused the connection (it is down): nothing was applied',
  LS_CLIENT_CONNECTION_RESET: 'the connection broke after the request was sent: it may have been applied',
  LS_CLIENT_DROPPED: 'no free VU when the operation was due (dropped_iterations): it was never sent',
  LS_CLIENT_BAD_RESPONSE: 'the answer did not match the API schema: treated as possibly applied',
  LS_CLIENT_STATUS: 'an HTTP status without a LikeStorm error body',
} as const

export type ClientCode = keyof typeof CLIENT_CODES

/** A classified answer: its kind and the code to record with it ('' for ok). */
export interface Classified {
  readonly kind: FailureKind
  readonly code: string
}

const OK: Classified = { kind: FailureKind.None, code: '' }

/** The catalogue codes (the core's LS_CORE_*, the HTTP layer's LS_HTTP_*, the client's) whose kind is not their status's. */
const KIND_OF_CODE: Readonly<Record<string, FailureKind>> = {
  LS_CLIENT_TIMEOUT: FailureKind.Timeout,
  LS_CLIENT_CONNECTION_REFUSED: FailureKind.Refused,
  LS_CLIENT_CONNECTION_RESET: FailureKind.ConnectionReset,
  LS_CLIENT_DROPPED: FailureKind.NotSent,
  LS_CLIENT_BAD_RESPONSE: FailureKind.BadResponse,
  LS_CORE_REGION_DOWN: FailureKind.Refused,
  LS_CORE_OVERLOADED: FailureKind.Shed,
  LS_HTTP_OVERLOADED: FailureKind.Shed,
  LS_CORE_RATE_LIMITED: FailureKind.RateLimited,
  LS_CORE_COUNT_UNAVAILABLE: FailureKind.Unavailable,
  LS_CORE_IDEMPOTENCY_STORE_FULL: FailureKind.Unavailable,
  LS_HTTP_SHUTTING_DOWN: FailureKind.Unavailable,
  LS_CORE_UNKNOWN_USER: FailureKind.UnknownId,
  LS_CORE_UNKNOWN_VIDEO: FailureKind.UnknownId,
  LS_CORE_ACCOUNT_DELETED: FailureKind.AccountDeleted,
  LS_CORE_VIDEO_UNAVAILABLE: FailureKind.TakenDown,
  LS_HTTP_DEADLINE_EXCEEDED: FailureKind.DeadlineExceeded,
  // A user's system threw or answered malformed (mock-server/systems/guard.ts): a 500, maybe applied.
  LS_CORE_SYSTEM_FAULT: FailureKind.ServerError,
  LS_HTTP_NOT_FOUND: FailureKind.BadRequest,
  // A user's --adapter (scenarios/run/http/adapter-client.ts): its request() failed, so nothing was
  // sent; its response() failed on an answer, so the operation may have been applied.
  LS_ADAPTER_REQUEST_FAILED: FailureKind.NotSent,
  LS_ADAPTER_BAD_OUTCOME: FailureKind.BadResponse,
  LS_ADAPTER_UNSUPPORTED: FailureKind.BadRequest,
}

/** A code the tables above do not name, by its HTTP status (a foreign target's answer, say). */
function kindOfStatus(status: number): FailureKind {
  if (status === 429) return FailureKind.RateLimited
  if (status === 503) return FailureKind.Shed
  if (status === 504) return FailureKind.DeadlineExceeded
  if (status === 404) return FailureKind.UnknownId
  if (status === 410) return FailureKind.TakenDown
  if (status >= 400 && status < 500) return FailureKind.BadRequest
  if (status >= 500) return FailureKind.ServerError
  return FailureKind.Other
}

/** A catalogue code on its own: a core reply's (mode sim: every core error is raised before any state changes) or the client's. */
export function kindOfCode(code: string): FailureKind {
  return KIND_OF_CODE[code] ?? (code.startsWith('LS_CORE_') ? FailureKind.BadRequest : FailureKind.Other)
}

/** An HTTP answer: its status and the error code of its body, when it had one. */
export function classifyStatus(status: number, bodyCode: string | undefined): Classified {
  if (status >= 200 && status < 300) return OK
  const code = bodyCode ?? `LS_CLIENT_STATUS_${status}`
  return { kind: (bodyCode === undefined ? undefined : KIND_OF_CODE[bodyCode]) ?? kindOfStatus(status), code }
}

/** How a request that got no answer ended. */
export type NetworkFailure = 'refused' | 'reset' | 'timeout'

/** A request that got no HTTP answer. `sent` says whether its bytes left (after a connection was made). */
export function classifyNetworkError(failure: NetworkFailure, sent: boolean): Classified {
  if (failure === 'refused' || (failure === 'reset' && !sent)) return { kind: FailureKind.Refused, code: 'LS_CLIENT_CONNECTION_REFUSED' }
  if (failure === 'timeout') return { kind: FailureKind.Timeout, code: 'LS_CLIENT_TIMEOUT' }
  return { kind: FailureKind.ConnectionReset, code: 'LS_CLIENT_CONNECTION_RESET' }
}

export const TIMED_OUT: Classified = { kind: FailureKind.Timeout, code: 'LS_CLIENT_TIMEOUT' }
export const BAD_RESPONSE: Classified = { kind: FailureKind.BadResponse, code: 'LS_CLIENT_BAD_RESPONSE' }
export const NOT_SENT: Classified = { kind: FailureKind.NotSent, code: 'LS_CLIENT_DROPPED' }

/** What the client does after an answer of each kind. */
const Reaction = { Done: 0, GiveUp: 1, Retry: 2, FailOver: 3 } as const
type Reaction = (typeof Reaction)[keyof typeof Reaction]

interface Meaning {
  readonly outcome: Outcome
  readonly reaction: Reaction
}

const MEANING: readonly Meaning[] = [
  { outcome: Outcome.Ok, reaction: Reaction.Done }, // none
  { outcome: Outcome.Fail, reaction: Reaction.Retry }, // shed
  { outcome: Outcome.Fail, reaction: Reaction.Retry }, // rate-limited
  { outcome: Outcome.Fail, reaction: Reaction.Retry }, // unavailable
  { outcome: Outcome.Indeterminate, reaction: Reaction.Retry }, // timeout
  { outcome: Outcome.Fail, reaction: Reaction.FailOver }, // refused
  { outcome: Outcome.Indeterminate, reaction: Reaction.FailOver }, // connection-reset
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // unknown-id
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // bad-request
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // taken-down
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // account-deleted
  { outcome: Outcome.Indeterminate, reaction: Reaction.Retry }, // deadline-exceeded
  { outcome: Outcome.Indeterminate, reaction: Reaction.Retry }, // server-error
  { outcome: Outcome.Indeterminate, reaction: Reaction.Retry }, // bad-response
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // not-sent
  { outcome: Outcome.Fail, reaction: Reaction.GiveUp }, // other
]

function meaningOf(kind: FailureKind): Meaning {
  return MEANING[kind] as Meaning
}

/** What an answer of this kind tells the history: ok, definitely not applied, or maybe applied. */
export function outcomeOf(kind: FailureKind): Outcome {
  return meaningOf(kind).outcome
}

/** Worth another attempt with the same idempotency key. */
export function isRetryable(kind: FailureKind): boolean {
  const reaction = meaningOf(kind).reaction
  return reaction === Reaction.Retry || reaction === Reaction.FailOver
}

/** The region cannot be reached: mark it and try the next region at once. */
export function failsOver(kind: FailureKind): boolean {
  return meaningOf(kind).reaction === Reaction.FailOver
}

/** A definite refusal of the request itself: asking again, anywhere, gets the same answer. */
export function isFinalRefusal(kind: FailureKind): boolean {
  return meaningOf(kind).reaction === Reaction.GiveUp
}
