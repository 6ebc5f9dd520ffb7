// The HTTP layer's error catalogue: every error response of the mock server is `{ code, message }`
// with a code from here (LS_HTTP_*) or from the core's catalogue (LS_CORE_*), and the status the
// code carries. fastify's own errors (bad JSON, body too large, schema failures…) are mapped onto
// these codes in error-handler.ts, so a client never sees a bare FST_ERR_* or an HTML page.
// A test checks that every code is documented in the README.
import { CORE_ERRORS, type CoreErrorCode } from '../core/errors.ts'

export const HTTP_ERRORS = {
  LS_HTTP_BAD_JSON: { status: 400, message: 'request body is not valid JSON' },
  LS_HTTP_BAD_BODY: { status: 400, message: 'request body does not match the schema of this route (see /openapi.json)' },
  LS_HTTP_BAD_VIDEO_ID: { status: 400, message: 'videoId must be 1 to 128 characters from A-Z a-z 0-9 _ - .' },
  LS_HTTP_BAD_USER_ID: { status: 400, message: 'userId must be 1 to 128 characters from A-Z a-z 0-9 _ - .' },
  LS_HTTP_BAD_QUERY: { status: 400, message: 'query string does not match the schema of this route (see /openapi.json)' },
  LS_HTTP_BAD_IDEMPOTENCY_KEY: { status: 400, message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
  LS_HTTP_BAD_URL: { status: 400, message: 'the URL is not valid: bad percent-encoding or a path segment that is far too long' },
  LS_HTTP_BAD_REQUEST: { status: 400, message: 'malformed HTTP request' },
  LS_HTTP_BAD_HOST: { status: 400, message: 'an HTTP/1.1 request needs exactly one Host header, a host name or address with an optional port' },
  LS_HTTP_BAD_FAULT: { status: 400, message: 'fault must be { kind, action: start | stop, … } with the fields its kind needs (see /openapi.json)' },
  LS_HTTP_BAD_RESET: { status: 400, message: 'no world can be built from this reset request' },
  LS_HTTP_BAD_DEADLINE: { status: 400, message: 'X-LikeStorm-Deadline-Ms must be a whole number of milliseconds from 0 to 86400000' },
  LS_HTTP_UNAUTHORIZED: { status: 401, message: 'the admin API needs an Authorization: Bearer <token> header' },
  LS_HTTP_FORBIDDEN: { status: 403, message: 'wrong admin token' },
  LS_HTTP_NOT_FOUND: { status: 404, message: 'no route for this method and path (see /openapi.json)' },
  LS_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request was not received in time' },
  LS_HTTP_LAST_REGION: { status: 409, message: 'cannot take down the last region that is up: nothing would serve the admin API' },
  LS_HTTP_BODY_TOO_LARGE: { status: 413, message: 'request body is larger than the limit' },
  LS_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type must be application/json' },
  LS_HTTP_UNSUPPORTED_ENCODING: { status: 415, message: 'Content-Encoding must be identity: send the body uncompressed' },
  LS_HTTP_EXPECTATION_FAILED: { status: 417, message: 'the only expectation supported is Expect: 100-continue' },
  LS_HTTP_HEADERS_TOO_LARGE: { status: 431, message: 'request headers are larger than the limit' },
  LS_HTTP_INTERNAL: { status: 500, message: 'internal error (a bug in the mock server): see its log' },
  LS_HTTP_LISTEN_FAILED: { status: 500, message: 'could not reopen the region listener on its port' },
  LS_HTTP_OVERLOADED: { status: 503, message: 'too many requests in flight at this region: request shed, retry after the given delay' },
  LS_HTTP_SHUTTING_DOWN: { status: 503, message: 'the server is shutting down' },
  LS_HTTP_DEADLINE_EXCEEDED: { status: 504, message: "the client's deadline passed before the request could be served: it was not applied" },
} as const

export type HttpErrorCode = keyof typeof HTTP_ERRORS
export type ErrorCode = HttpErrorCode | CoreErrorCode

/** Both catalogues: the HTTP layer's and the core's, each code with its status and message. */
export const ERRORS: Readonly<Record<ErrorCode, { readonly status: number; readonly message: string }>> = { ...HTTP_ERRORS, ...CORE_ERRORS }

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[]

export interface ErrorBody {
  readonly code: string
  readonly message: string
}

/** The body of an error response: the catalogue message, with a detail when one helps. */
export function errorBody(code: ErrorCode, detail?: string): ErrorBody {
  const message = ERRORS[code].message
  return { code, message: detail === undefined || detail === '' ? message : `${message}: ${detail}` }
}

/** An expected error raised inside a hook or handler; the error handler sends it as `{ code, message }`. */
export class HttpError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly detail: string | undefined
  readonly retryAfterS: number | undefined

  constructor(code: ErrorCode, detail?: string, { retryAfterS }: { retryAfterS?: number } = {}) {
    super(errorBody(code, detail).message)
    this.name = 'HttpError'
    this.code = code
    this.statusCode = ERRORS[code].status
    this.detail = detail
    this.retryAfterS = retryAfterS
  }
}

/** Retry-After in whole seconds, rounded up, at least 1. */
export function retryAfterS(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000))
}
