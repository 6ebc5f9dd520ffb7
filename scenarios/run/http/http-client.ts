// HTTP over undici: one keep-alive pool per region with a fixed number of connections and no
// pipelining. A request waits in its region's queue here while every connection is busy, and goes
// to the pool when one frees up: so the deadline it carries (x-likestorm-deadline-ms, the time
// left of the client's timeout) is computed when it really leaves, not when it was queued. The
// moment it is written to a socket (undici's onConnect) is recorded: the service time runs from
// then, while the open-model latency runs from when it was due. A sweeper times out requests that
// outlive the client timeout, queued or on the wire, so no request waits forever.
import { Pool } from 'undici'
import { DEADLINE_HEADER } from '../../protocol/client-protocol.ts'

export interface Answer {
  /** HTTP status, 0 when no answer came. */
  readonly status: number
  /** Parsed JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown
  readonly retryAfterS: number | undefined
  /** performance.now() when the request went onto a socket (NaN if it never did). */
  readonly sentAt: number
  /** performance.now() when the answer (or the failure) arrived. */
  readonly doneAt: number
  /** Why no answer came. */
  readonly failure: 'refused' | 'reset' | 'timeout' | undefined
  /** The answer's Date header, when it had one (the target's clock to the second: server-clock.ts). */
  readonly date?: string
}

export interface SendRequest {
  readonly region: string
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  readonly body: string | undefined
  readonly headers: Readonly<Record<string, string>>
}

// Milliseconds left of the client's timeout when the request leaves: a server that sees it run
// out knows the client has given up and the work is wasted (and a retry may be on its way).
export { DEADLINE_HEADER }

const TIMEOUT = new Error('client timeout')
const RETRY_AFTER = 'retry-after'
const DATE = 'date'

/** A region's pool and the requests waiting for one of its connections, in arrival order. */
interface RegionLane {
  readonly pool: Pool
  busy: number
  readonly waiting: Exchange[]
  /** Index of the first request still waiting (the array is compacted as it drains). */
  head: number
}

export class HttpClient {
  private readonly lanes = new Map<string, RegionLane>()
  private readonly pending = new Set<Exchange>()
  private readonly timeoutMs: number
  private readonly connections: number
  private readonly sweeper: NodeJS.Timeout
  /** How often timed-out requests are looked for, ms. */
  private readonly sweepMs: number

  constructor({ urls, connections, timeoutMs }: { urls: Readonly<Record<string, string>>; connections: number; timeoutMs: number }) {
    for (const [region, url] of Object.entries(urls)) {
      const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 10_000, connect: { timeout: Math.min(timeoutMs, 10_000) } })
      this.lanes.set(region, { pool, busy: 0, waiting: [], head: 0 })
    }
    this.timeoutMs = timeoutMs
    this.connections = connections
    this.sweepMs = Math.max(10, Math.min(100, timeoutMs / 10))
    this.sweeper = setInterval(() => this.sweep(), this.sweepMs)
    this.sweeper.unref()
  }

  send(request: SendRequest): Promise<Answer> {
    const lane = this.lanes.get(request.region)
    if (lane === undefined) throw new Error(`http client: no pool for region ${request.region}`)
    return new Promise<Answer>((resolve) => {
      const exchange = new Exchange(performance.now(), request, this.pending, resolve, () => this.release(lane))
      this.pending.add(exchange)
      // The queue is bounded by the callers: each VU has at most one request out.
      if (lane.busy < this.connections) this.dispatch(lane, exchange)
      else lane.waiting.push(exchange)
    })
  }

  /**
   * Before the clock starts: open `connectionsPerRegion` connections to every region and send
   * `requestsPerRegion` requests over them, so the first seconds of the schedule do not pay for
   * connection set-up and cold code (k6 initializes its preAllocatedVUs before a test for the same
   * reason). `path` must be one that changes nothing on the target (a liveness route). A region
   * that gives no answer ends its warm-up at once (any HTTP answer, a 404 included, warms the path).
   */
  async warmUp({ path, connectionsPerRegion, requestsPerRegion }: { path: string; connectionsPerRegion: number; requestsPerRegion: number }): Promise<void> {
    const workers: Promise<void>[] = []
    for (const region of this.lanes.keys()) {
      let left = requestsPerRegion
      for (let i = 0; i < Math.max(1, Math.min(connectionsPerRegion, this.connections)); i++) {
        workers.push(
          (async () => {
            while (left-- > 0) {
              const answer = await this.send({ region, method: 'GET', path, body: undefined, headers: {} })
              // A region that does not answer is not waited for request after request: its warm-up ends.
              if (answer.status === 0) left = 0
            }
          })(),
        )
      }
    }
    await Promise.all(workers)
  }

  /** Requests still waiting for an answer. */
  get inFlight(): number {
    return this.pending.size
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    for (const lane of this.lanes.values()) {
      for (let i = lane.head; i < lane.waiting.length; i++) (lane.waiting[i] as Exchange).onError(TIMEOUT)
      lane.waiting.length = 0
      lane.head = 0
    }
    await Promise.all(Array.from(this.lanes.values(), (lane) => lane.pool.destroy().catch(() => undefined)))
  }

  private dispatch(lane: RegionLane, exchange: Exchange): void {
    const leftMs = Math.floor(this.timeoutMs - (performance.now() - exchange.startedAt))
    // Less than a sweep's period left: the sweep that times it out is due before an answer could
    // be judged in time, so it times out here, never sent. (Else a request whose connection frees
    // when an earlier one times out, a hair before its own deadline, leaves with 1 ms to live.)
    if (leftMs < this.sweepMs) {
      exchange.timedOut = true
      exchange.onError(TIMEOUT)
      return
    }
    lane.busy++
    exchange.dispatched = true
    const { request } = exchange
    const headers = { ...request.headers, [DEADLINE_HEADER]: String(leftMs) }
    lane.pool.dispatch({ path: request.path, method: request.method, headers, body: request.body ?? null, headersTimeout: 0, bodyTimeout: 0 }, exchange as never)
  }

  /** A dispatched request settled: its connection takes the next one still in time. */
  private release(lane: RegionLane): void {
    lane.busy--
    while (lane.head < lane.waiting.length && lane.busy < this.connections) {
      const next = lane.waiting[lane.head] as Exchange
      lane.waiting[lane.head++] = undefined as never
      if (!next.settled) this.dispatch(lane, next)
    }
    if (lane.head === lane.waiting.length || lane.head > 1024) {
      lane.waiting.splice(0, lane.head)
      lane.head = 0
    }
  }

  private sweep(): void {
    const deadline = performance.now() - this.timeoutMs
    // The set keeps insertion order, which is start order: the first one still in time ends the scan.
    for (const pending of this.pending) {
      if (pending.startedAt > deadline) break
      if (pending.timedOut) continue
      pending.timedOut = true
      // Still queued here: it never leaves. On a connection, not yet written: onConnect aborts it.
      if (!pending.dispatched) pending.onError(TIMEOUT)
      else pending.abort?.(TIMEOUT)
    }
  }
}

/**
 * One request's answer as undici delivers it. A class rather than closures per request: the
 * callbacks are shared methods, and the request's state is one object (also the sweeper's entry).
 */
class Exchange {
  abort: ((reason?: Error) => void) | undefined = undefined
  timedOut = false
  dispatched = false
  settled = false
  private sentAt = Number.NaN
  private status = 0
  private retryAfterS: number | undefined = undefined
  private date: string | undefined = undefined
  private chunk: Buffer | undefined = undefined
  private chunks: Buffer[] | undefined = undefined

  constructor(
    readonly startedAt: number,
    readonly request: SendRequest,
    private readonly pending: Set<Exchange>,
    private readonly resolve: (answer: Answer) => void,
    private readonly onSettled: () => void,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    this.sentAt = performance.now()
    this.abort = abort
    if (this.timedOut) abort(TIMEOUT)
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode
    // Only a header name as long as "retry-after" or "date" is decoded: most answers have few.
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i] as Buffer
      if (name.length === RETRY_AFTER.length && name.toString('latin1').toLowerCase() === RETRY_AFTER) this.retryAfterS = Number((rawHeaders[i + 1] as Buffer).toString('latin1'))
      else if (name.length === DATE.length && name.toString('latin1').toLowerCase() === DATE) this.date = (rawHeaders[i + 1] as Buffer).toString('latin1')
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.chunk === undefined) this.chunk = chunk
    else (this.chunks ??= [this.chunk]).push(chunk)
    return true
  }

  onComplete(): void {
    let body: unknown
    const bytes = this.chunks === undefined ? this.chunk : Buffer.concat(this.chunks)
    if (bytes !== undefined) {
      try {
        body = JSON.parse(bytes.toString('utf8'))
      } catch {
        body = undefined
      }
    }
    this.finish(this.status, body, this.retryAfterS, undefined)
  }

  onError(error: Error): void {
    this.finish(0, undefined, undefined, this.timedOut ? 'timeout' : classify(error))
  }

  private finish(status: number, body: unknown, retryAfterS: number | undefined, failure: Answer['failure']): void {
    if (this.settled) return
    this.settled = true
    this.pending.delete(this)
    this.resolve({ status, body, retryAfterS, sentAt: this.sentAt, doneAt: performance.now(), failure, ...(this.date === undefined ? {} : { date: this.date }) })
    if (this.dispatched) this.onSettled()
  }
}

function classify(error: Error): 'refused' | 'reset' {
  const withCode = error as Error & { code?: string; cause?: { code?: string } | undefined }
  const code = withCode.code ?? withCode.cause?.code
  return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENOTFOUND' ? 'refused' : 'reset'
}
