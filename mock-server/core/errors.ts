// The core's error catalogue: every expected failure of the engagement service, with a stable
// code and the HTTP status the http layer maps it to. Expected faults are values, not throws.

export const CORE_ERRORS = {
  LS_CORE_REGION_DOWN: { status: 503, message: 'region is down: connection refused' },
  LS_CORE_OVERLOADED: { status: 503, message: 'region over capacity: request shed, retry after the given delay' },
  LS_CORE_RATE_LIMITED: { status: 429, message: 'too many requests from this client network: retry after the given delay' },
  LS_CORE_COUNT_UNAVAILABLE: { status: 503, message: 'counter cache unavailable and no last-known-good count to serve' },
  LS_CORE_UNKNOWN_USER: { status: 404, message: 'unknown user id' },
  LS_CORE_UNKNOWN_VIDEO: { status: 404, message: 'unknown video id' },
  LS_CORE_UNKNOWN_REGION: { status: 400, message: 'unknown region' },
  LS_CORE_ACCOUNT_DELETED: { status: 410, message: 'account was deleted by a purge' },
  LS_CORE_VIDEO_UNAVAILABLE: { status: 410, message: 'video is taken down' },
  LS_CORE_IDEMPOTENCY_MISMATCH: { status: 422, message: 'idempotency key was already used with a different request' },
  LS_CORE_IDEMPOTENCY_STORE_FULL: { status: 503, message: 'the idempotency store is full (its keys are kept for their whole TTL): write not applied, retry after the given delay' },
  LS_CORE_BAD_WATCH_MS: { status: 400, message: 'watchMs must be a whole number of milliseconds from 0 to 86400000' },
  LS_CORE_SYSTEM_FAULT: { status: 500, message: "the system under test threw or wrote a malformed reply (the user's --system module; see docs/systems.md): it may have been applied" },
} as const

export type CoreErrorCode = keyof typeof CORE_ERRORS

export const CORE_ERROR_CODES = Object.keys(CORE_ERRORS) as CoreErrorCode[]

/** Codes whose failure proves the operation was not applied (the client may treat them as definite). */
export function isDefiniteFailure(code: CoreErrorCode): boolean {
  // Every core error is raised before any state changes, so all are definite, but one: a system
  // that threw or answered malformed (the guard's LS_CORE_SYSTEM_FAULT) may have changed its state
  // first. The function exists so that callers state the assumption where they rely on it.
  return CORE_ERRORS[code] !== undefined && code !== 'LS_CORE_SYSTEM_FAULT'
}

/** Thrown only for programmer errors (bad config, broken invariants of the core itself). */
export class CoreConfigError extends Error {
  readonly code = 'LS_CORE_BAD_CONFIG'
  constructor(message: string) {
    super(message)
    this.name = 'CoreConfigError'
  }
}
