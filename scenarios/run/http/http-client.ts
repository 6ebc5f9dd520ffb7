// HTTP over undici: one keep-alive pool per region with a fixed number of connections and no
// pipelining. A request queues inside its pool while every connection is busy, and the moment it
// is written to a socket (undici's onConnect) is recorded: the service time runs from then, while
// the open-model latency runs from when it was due. A sweeper aborts requests that outlive the
// client timeout, so no request waits forever.
import { Pool } from 'undici'

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
}

export interface SendRequest {
  readonly region: string
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  readonly body: string | undefined
  readonly headers: Readonly<Record<string, string>>
}

const TIMEOUT = new Error('client timeout')
const RETRY_AFTER = 'retry-after'

export class HttpClient {
  private readonly pools = new Map<string, Pool>()
  private readonly pending = new Set<Exchange>()
  private readonly timeoutMs: number
  private readonly sweeper: NodeJS.Timeout

  constructor({ urls, connections, timeoutMs }: { urls: Readonly<Record<string, string>>; connections: number; timeoutMs: number }) {
    for (const [region, url] of Object.entries(urls)) {
      this.pools.set(region, new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 10_000, connect: { timeout: Math.min(timeoutMs, 10_000) } }))
    }
    this.timeoutMs = timeoutMs
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(100, timeoutMs / 10)))
    this.sweeper.unref()
  }

  send(request: SendRequest): Promise<Answer> {
    const pool = this.pools.get(request.region)
    if (pool === undefined) throw new Error(`http client: no pool for region ${request.region}`)
    return new Promise<Answer>((resolve) => {
      const exchange = new Exchange(performance.now(), this.pending, resolve)
      this.pending.add(exchange)
      pool.dispatch({ path: request.path, method: request.method, headers: request.headers, body: request.body ?? null, headersTimeout: 0, bodyTimeout: 0 }, exchange as never)
    })
  }

  /** Requests still waiting for an answer. */
  get inFlight(): number {
    return this.pending.size
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    await Promise.all(Array.from(this.pools.values(), (pool) => pool.destroy().catch(() => undefined)))
  }

  private sweep(): void {
    const deadline = performance.now() - this.timeoutMs
    // The set keeps insertion order, which is start order: the first one still in time ends the scan.
    for (const pending of this.pending) {
      if (pending.startedAt > deadline) break
      if (pending.timedOut) continue
      pending.timedOut = true
      // Not yet on a socket: onConnect aborts it as soon as it gets one.
      pending.abort?.(TIMEOUT)
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
  private sentAt = Number.NaN
  private status = 0
  private retryAfterS: number | undefined = undefined
  private chunk: Buffer | undefined = undefined
  private chunks: Buffer[] | undefined = undefined

  constructor(
    readonly startedAt: number,
    private readonly pending: Set<Exchange>,
    private readonly resolve: (answer: Answer) => void,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    this.sentAt = performance.now()
    this.abort = abort
    if (this.timedOut) abort(TIMEOUT)
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode
    // Only a header name as long as "retry-after" is decoded: most answers have none.
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i] as Buffer
      if (name.length === RETRY_AFTER.length && name.toString('latin1').toLowerCase() === RETRY_AFTER) this.retryAfterS = Number((rawHeaders[i + 1] as Buffer).toString('latin1'))
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
    this.pending.delete(this)
    this.resolve({ status, body, retryAfterS, sentAt: this.sentAt, doneAt: performance.now(), failure })
  }
}

function classify(error: Error): 'refused' | 'reset' {
  const withCode = error as Error & { code?: string; cause?: { code?: string } | undefined }
  const code = withCode.code ?? withCode.cause?.code
  return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENOTFOUND' ? 'refused' : 'reset'
}
