// The HTTP client of a run with --adapter: every request the run makes in /v1's words (the client
// protocol's shapes, request-shape.ts) is read back into its operation, handed to the user's
// adapter for the request on their own API, and the adapter's outcome turned into the /v1 answer
// it stands for. So the client protocol, the final reads, the freshness check and the clock's
// calibration all run unchanged, and an answer is still classified once (answer-kind.ts).
// An adapter that throws or returns something that is not an outcome is the adapter's fault,
// never a crash: the attempt records LS_ADAPTER_REQUEST_FAILED (nothing was sent: it fails) or
// LS_ADAPTER_BAD_OUTCOME (the service answered: maybe applied, retried with the same key), and a
// line naming the operation is kept (the first few of each; result.json's target notes).
import { ADAPTER_FAILURES, type Adapter, type AdapterOperation, type AdapterOutcome, type AdapterRequest } from './adapter.ts'
import type { Answer, HttpClient, SendRequest } from './http-client.ts'

/** Lines kept about an adapter's faults (each names the operation); the rest are counted. */
const FAULT_LINES_MAX = 10

/** What each failure stands for in /v1: its status and catalogue code (answer-kind.ts reads them as that kind). */
const FAILURE_ANSWERS: Readonly<Record<(typeof ADAPTER_FAILURES)[number], { status: number; code: string }>> = {
  shed: { status: 503, code: 'LS_HTTP_OVERLOADED' },
  'rate-limited': { status: 429, code: 'LS_CORE_RATE_LIMITED' },
  unavailable: { status: 503, code: 'LS_CORE_COUNT_UNAVAILABLE' },
  'server-error': { status: 500, code: 'LS_ADAPTER_SERVER_ERROR' },
  'unknown-id': { status: 404, code: 'LS_ADAPTER_UNKNOWN_ID' },
  'bad-request': { status: 400, code: 'LS_ADAPTER_BAD_REQUEST' },
  'taken-down': { status: 410, code: 'LS_CORE_VIDEO_UNAVAILABLE' },
  'account-deleted': { status: 403, code: 'LS_CORE_ACCOUNT_DELETED' },
}

/** The fields each operation's value must carry, with their types. */
const REQUIRED: Readonly<Record<AdapterOperation['op'], ReadonlyArray<readonly [string, 'number' | 'boolean' | 'array']>>> = {
  like: [['likeCount', 'number']],
  unlike: [['likeCount', 'number']],
  view: [['viewCount', 'number'], ['uniqueViewers', 'number']],
  'read-counts': [['likeCount', 'number'], ['viewCount', 'number'], ['uniqueViewers', 'number']],
  'read-like': [['liked', 'boolean']],
  'liked-list': [['videoIds', 'array']],
  notifications: [['notifications', 'array']],
  health: [],
}

export class AdapterClient implements Pick<HttpClient, 'send'> {
  /** One line per fault, naming the operation (at most FAULT_LINES_MAX), and how many there were. */
  readonly faultLines: string[] = []
  faults = 0
  private readonly adapter: Adapter
  private readonly inner: Pick<HttpClient, 'send'>

  constructor({ adapter, inner }: { adapter: Adapter; inner: Pick<HttpClient, 'send'> }) {
    this.adapter = adapter
    this.inner = inner
  }

  async send(request: SendRequest): Promise<Answer> {
    const startedAt = performance.now()
    const operation = operationOf(request)
    if (operation === undefined) return local(startedAt, 404, { code: 'LS_ADAPTER_UNSUPPORTED', message: `${request.method} ${request.path} is no LikeStorm operation` })
    let mapped: AdapterRequest | undefined
    try {
      mapped = this.adapter.request(operation)
    } catch (error) {
      return this.fault(startedAt, 'LS_ADAPTER_REQUEST_FAILED', operation, `request() threw ${describe(error)}`)
    }
    if (mapped === undefined) return local(startedAt, 404, { code: 'LS_ADAPTER_UNSUPPORTED', message: `the adapter maps no ${operation.op}` })
    const problem = requestProblem(mapped)
    if (problem !== undefined) return this.fault(startedAt, 'LS_ADAPTER_REQUEST_FAILED', operation, `request() returned ${problem}`)
    const headers: Record<string, string> = { ...mapped.headers }
    if (mapped.body !== undefined) headers['content-type'] ??= 'application/json'
    const answer = await this.inner.send({ region: request.region, method: mapped.method as SendRequest['method'], path: mapped.path, body: mapped.body === undefined ? undefined : JSON.stringify(mapped.body), headers })
    // No answer (refused, reset, timeout): the client protocol's to judge, as for any target.
    if (answer.status === 0) return answer
    let outcome: AdapterOutcome
    try {
      outcome = this.adapter.response(operation, { status: answer.status, body: answer.body })
    } catch (error) {
      return { ...this.fault(startedAt, 'LS_ADAPTER_BAD_OUTCOME', operation, `response() threw ${describe(error)} on a ${answer.status}`), sentAt: answer.sentAt, doneAt: answer.doneAt }
    }
    const bad = outcomeProblem(operation, outcome)
    if (bad !== undefined) return { ...this.fault(startedAt, 'LS_ADAPTER_BAD_OUTCOME', operation, `response() returned ${bad} on a ${answer.status}`), sentAt: answer.sentAt, doneAt: answer.doneAt }
    if (outcome.ok) return { ...answer, status: 200, body: outcome.value }
    const failure = FAILURE_ANSWERS[outcome.failure]
    return { ...answer, status: failure.status, body: { code: failure.code, ...(outcome.detail === undefined ? {} : { message: String(outcome.detail).slice(0, 200) }) }, retryAfterS: outcome.retryAfterS ?? answer.retryAfterS }
  }

  /** The adapter's fault: an answer the protocol classifies by its code, and a line naming the operation. */
  private fault(startedAt: number, code: 'LS_ADAPTER_REQUEST_FAILED' | 'LS_ADAPTER_BAD_OUTCOME', operation: AdapterOperation, what: string): Answer {
    this.faults++
    if (this.faultLines.length < FAULT_LINES_MAX) this.faultLines.push(`${code} ${operation.op}: the adapter's ${what}`)
    return local(startedAt, code === 'LS_ADAPTER_REQUEST_FAILED' ? 400 : 502, { code, message: `${operation.op}: ${what}` })
  }
}

/** An answer made here, without a request (nothing went onto a socket). */
function local(startedAt: number, status: number, body: { code: string; message: string }): Answer {
  return { status, body, retryAfterS: undefined, sentAt: startedAt, doneAt: performance.now(), failure: undefined }
}

const VIDEO = /^\/v1\/videos\/([^/?]+)$/
const VIDEO_WRITE = /^\/v1\/videos\/([^/?]+)\/(likes|views)$/
const UNLIKE = /^\/v1\/videos\/([^/?]+)\/likes\/([^/?]+)$/
const READ_LIKE = /^\/v1\/users\/([^/?]+)\/likes\/([^/?]+)$/
const USER_LIST = /^\/v1\/users\/([^/?]+)\/(likes|notifications)$/

/** The operation a /v1 request (request-shape.ts's) stands for; undefined for any other path. */
export function operationOf(request: Pick<SendRequest, 'method' | 'path' | 'body' | 'headers'>): AdapterOperation | undefined {
  const [pathname = '', query = ''] = request.path.split('?', 2)
  const params = new URLSearchParams(query)
  const key = request.headers['idempotency-key'] ?? ''
  const id = decodeURIComponent
  let m: RegExpExecArray | null
  if (pathname === '/healthz') return { op: 'health' }
  if (request.method === 'GET' && (m = VIDEO.exec(pathname)) !== null) return { op: 'read-counts', videoId: id(m[1] as string) }
  if (request.method === 'POST' && (m = VIDEO_WRITE.exec(pathname)) !== null) {
    const body = JSON.parse(request.body ?? '{}') as { userId: string; watchMs?: number }
    const videoId = id(m[1] as string)
    return m[2] === 'likes' ? { op: 'like', userId: body.userId, videoId, key } : { op: 'view', userId: body.userId, videoId, watchMs: body.watchMs ?? 0, key }
  }
  if (request.method === 'DELETE' && (m = UNLIKE.exec(pathname)) !== null) return { op: 'unlike', userId: id(m[2] as string), videoId: id(m[1] as string), key }
  if (request.method === 'GET' && (m = READ_LIKE.exec(pathname)) !== null) return { op: 'read-like', userId: id(m[1] as string), videoId: id(m[2] as string) }
  if (request.method === 'GET' && (m = USER_LIST.exec(pathname)) !== null) {
    const limit = Number(params.get('limit') ?? 100)
    if (m[2] === 'notifications') return { op: 'notifications', userId: id(m[1] as string), limit }
    return { op: 'liked-list', userId: id(m[1] as string), cursor: params.get('cursor') ?? undefined, limit }
  }
  return undefined
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

function requestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `${value === null ? 'null' : typeof value}, not a request { method, path }`
  const { method, path, headers } = value as Record<string, unknown>
  if (typeof method !== 'string' || !METHODS.has(method)) return `method ${JSON.stringify(method)}, not one of GET POST PUT PATCH DELETE`
  if (typeof path !== 'string' || !path.startsWith('/')) return `path ${JSON.stringify(path)}, not a path starting with /`
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))) return 'headers that are not an object of strings'
  return undefined
}

function outcomeProblem(operation: AdapterOperation, outcome: unknown): string | undefined {
  if (typeof outcome !== 'object' || outcome === null) return `${outcome === null ? 'null' : typeof outcome}, not an outcome { ok, value } | { ok: false, failure }`
  const o = outcome as Record<string, unknown>
  if (o['ok'] === false) return (ADAPTER_FAILURES as readonly unknown[]).includes(o['failure']) ? undefined : `failure ${JSON.stringify(o['failure'])}, not one of ${ADAPTER_FAILURES.join(', ')}`
  if (o['ok'] !== true) return `ok ${JSON.stringify(o['ok'])}, not true or false`
  const value = o['value']
  if (typeof value !== 'object' || value === null) return `value ${JSON.stringify(value)}, not an object`
  for (const [field, type] of REQUIRED[operation.op]) {
    const v = (value as Record<string, unknown>)[field]
    const fits = type === 'array' ? Array.isArray(v) : type === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'boolean'
    if (!fits) return `value.${field} ${JSON.stringify(v)?.slice(0, 40)}, not a ${type}`
  }
  return undefined
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error)
}
