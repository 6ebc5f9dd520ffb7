// The adapter interface (`likestorm run --mode http --target URL --adapter ./my-api.adapter.ts`,
// docs/targets.md): a user's module that maps each LikeStorm operation to a request on their own
// API, and each answer back to an outcome, the way a k6 script does, so a service that does not
// speak /v1 is driven by the same client protocol and judged by the same checks. Versioned: a
// module declares the interface version it implements, and a harness refuses one it does not speak.

/** The adapter interface this harness speaks. */
export const ADAPTER_INTERFACE_VERSION = 1

/** One operation of the client protocol, as the adapter sees it (ids are the world's). */
export type AdapterOperation =
  /** A like; `key` is the operation's idempotency key, the same on every retry. */
  | { readonly op: 'like'; readonly userId: string; readonly videoId: string; readonly key: string }
  | { readonly op: 'unlike'; readonly userId: string; readonly videoId: string; readonly key: string }
  | { readonly op: 'view'; readonly userId: string; readonly videoId: string; readonly watchMs: number; readonly key: string }
  | { readonly op: 'read-counts'; readonly videoId: string }
  | { readonly op: 'read-like'; readonly userId: string; readonly videoId: string }
  /** A page of the videos a user likes; `cursor` is the previous page's nextCursor. */
  | { readonly op: 'liked-list'; readonly userId: string; readonly cursor: string | undefined; readonly limit: number }
  | { readonly op: 'notifications'; readonly userId: string; readonly limit: number }
  /** A liveness call that changes nothing (the warm-up before the clock starts). */
  | { readonly op: 'health' }

export type AdapterOperationName = AdapterOperation['op']

/** The request on the user's API: a path on the region's base URL; a body is sent as JSON. */
export interface AdapterRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

/** What came back: the HTTP status and the body parsed as JSON (undefined when it was not JSON). */
export interface AdapterResponse {
  readonly status: number
  readonly body: unknown
}

/** A time the answer claims (the service's epoch ms) and whether it is the live state; both optional. */
interface Claimed {
  readonly asOfMs?: number
  readonly stale?: boolean
}

/** What each operation's success returns (the values the checks judge). */
export interface AdapterValues {
  readonly like: { readonly likeCount: number } & Claimed
  readonly unlike: { readonly likeCount: number } & Claimed
  readonly view: { readonly viewCount: number; readonly uniqueViewers: number }
  readonly 'read-counts': { readonly likeCount: number; readonly viewCount: number; readonly uniqueViewers: number } & Claimed
  readonly 'read-like': { readonly liked: boolean } & Claimed
  readonly 'liked-list': { readonly videoIds: readonly string[]; readonly nextCursor?: string | null }
  readonly notifications: { readonly notifications: ReadonlyArray<{ readonly videoId: string; readonly fromUserId: string; readonly likedAtMs: number; readonly deliveredAtMs: number }> }
  readonly health: Record<string, never>
}

/**
 * Why an operation did not succeed, in the client protocol's words (scenarios/protocol/answer-kind.ts):
 * shed, rate-limited and unavailable are retried (nothing was applied); server-error is retried
 * with the same key (it may have been applied); the rest are final.
 */
export const ADAPTER_FAILURES = ['shed', 'rate-limited', 'unavailable', 'server-error', 'unknown-id', 'bad-request', 'taken-down', 'account-deleted'] as const
export type AdapterFailure = (typeof ADAPTER_FAILURES)[number]

export type AdapterOutcome<V = unknown> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly failure: AdapterFailure; /** The service's own words, recorded as the error code's detail. */ readonly detail?: string; readonly retryAfterS?: number }

export interface Adapter {
  readonly interfaceVersion: typeof ADAPTER_INTERFACE_VERSION
  /** 1 to 64 characters from a-z 0-9 . _ - : named in result.json and the summary. */
  readonly name: string
  /** What the service offers (a capabilities document, docs/targets.md), used instead of fetching one. */
  readonly capabilities?: Readonly<Record<string, unknown>>
  /** The request for an operation; undefined when the service has no such operation (it is then answered "not supported" without a request). */
  request(operation: AdapterOperation): AdapterRequest | undefined
  /** The outcome of an operation from its answer (a network failure never reaches here: it is the client protocol's). */
  response(operation: AdapterOperation, response: AdapterResponse): AdapterOutcome
}

/** Typed help for a module's default export: `export default defineAdapter({ … })`. */
export function defineAdapter(adapter: Adapter): Adapter {
  return adapter
}
