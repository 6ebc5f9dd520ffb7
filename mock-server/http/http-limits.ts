// The mock server's bounds: every queue, wait, body, header block and idle connection has one
// (TigerBeetle's "a limit on everything"); hitting one is an error response with a code, or for an
// idle keep-alive connection a close announced in advance (Keep-Alive: timeout=N), never a silent
// stall.
import type { ServerOptions as NodeServerOptions } from 'node:http'

export interface HttpLimits {
  /** Largest request body accepted (413 above). */
  readonly bodyLimitBytes: number
  /** Largest request line plus headers accepted (431 above; Node's maxHeaderSize). */
  readonly headerBytesMax: number
  /** API requests served at once per region listener. */
  readonly inFlightMax: number
  /** API requests waiting for a slot per region listener (503 above). */
  readonly queueMax: number
  /** A queued request that has no slot after this long is shed. */
  readonly queueWaitMsMax: number
  /** Bound on the modelled wait enacted before a reply. */
  readonly waitMsMax: number
  /** The request line and headers must arrive within this of the request's start (408 and close). */
  readonly headersTimeoutMs: number
  /** The whole request, headers and body, must arrive within this of its start (408 and close). */
  readonly requestTimeoutMs: number
  /** An idle keep-alive connection is closed after this (announced as Keep-Alive: timeout=N; Node closes 1 s later still). */
  readonly keepAliveTimeoutMs: number
  /** Wall ms per modelled ms when enacting a wait (a server on a scaled clock, e.g. mode http's --time-scale). */
  readonly waitScale: number
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyLimitBytes: 16_384,
  headerBytesMax: 16_384,
  inFlightMax: 1024,
  queueMax: 1024,
  queueWaitMsMax: 1000,
  waitMsMax: 5000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  waitScale: 1,
}

// Node checks its header and request timeouts on a timer (every 30 s by default), so a timeout
// fires up to one period late (left at Node's and fastify's defaults, headers were cut after 60 s and
// bodies after 90 s). A period of a tenth of the header timeout (10 ms to 1 s) keeps every timeout
// within 10% of its value.
const CHECK_FRACTION = 10
const CHECK_INTERVAL_MS_MIN = 10
const CHECK_INTERVAL_MS_MAX = 1000

/** How often Node looks for requests past their header or request timeout. */
export function timeoutCheckIntervalMs(limits: Pick<HttpLimits, 'headersTimeoutMs'>): number {
  return Math.min(CHECK_INTERVAL_MS_MAX, Math.max(CHECK_INTERVAL_MS_MIN, Math.floor(limits.headersTimeoutMs / CHECK_FRACTION)))
}

/** Beyond its queue wait and its modelled wait, how long a response under way may take. */
const RESPONSE_SLACK_MS = 1000

/** The longest an admitted request's response can take to go out. */
export function responseMsMax(limits: Pick<HttpLimits, 'queueWaitMsMax' | 'waitMsMax'>): number {
  return limits.queueWaitMsMax + limits.waitMsMax + RESPONSE_SLACK_MS
}

/** The options of each region's Node http.Server that enforce these limits. */
export function nodeServerOptions(limits: HttpLimits): NodeServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeoutCheckIntervalMs(limits),
    maxHeaderSize: limits.headerBytesMax,
    // A request without Host is refused by our own check (protocol-checks.ts) in the catalogue's
    // shape, instead of by Node with a bare 400.
    requireHostHeader: false,
  }
}

const POSITIVE_INTEGERS = ['bodyLimitBytes', 'headerBytesMax', 'inFlightMax', 'queueWaitMsMax', 'headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs'] as const

/** Every problem with a set of limits (empty when they are usable). */
export function limitProblems(limits: HttpLimits): string[] {
  const problems: string[] = []
  for (const name of POSITIVE_INTEGERS) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) problems.push(`${name} must be a whole number >= 1, got ${limits[name]}`)
  }
  if (!Number.isInteger(limits.queueMax) || limits.queueMax < 0) problems.push(`queueMax must be a whole number >= 0, got ${limits.queueMax}`)
  if (!(limits.waitMsMax >= 0)) problems.push(`waitMsMax must be >= 0, got ${limits.waitMsMax}`)
  if (!(limits.waitScale > 0)) problems.push(`waitScale must be > 0, got ${limits.waitScale}`)
  // Node swaps the two when the header timeout is the longer one, silently.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) problems.push(`headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`)
  return problems
}
