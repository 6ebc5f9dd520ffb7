// `--faults proxy`: LikeStorm's own loopback proxy in front of each region of a --target, where the
// scenario's faults are enacted when the target has no fault routes of its own. One listener per
// region on 127.0.0.1 (only), forwarding to that region's URL of the target the driver already
// accepted (and nowhere else). A region outage closes its listener and resets its connections
// (region-listeners.ts, as the mock server does); a slow region holds requests; a lossy one resets
// a share of connections, before or after forwarding, chosen from a seeded stream; an overloaded
// one forwards a bounded number at once with a bounded queue and sheds the rest with a 503. What
// the proxy cannot enact is said (proxy-fault-state.ts). Bounded: connections per listener,
// queue, request and answer sizes, the wait for the target.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'
import type { FaultSpec } from '../../../sim/faults.ts'
import type { RandomStream } from '../../../sim/random-stream.ts'
import { RegionListeners } from '../../../mock-server/http/region-listeners.ts'
import { ProxyFaultState, type RequestFate } from './proxy-fault-state.ts'

/** The proxy's own answers, each with the status the client classifies (scenarios/protocol/answer-kind.ts). */
export const PROXY_ERRORS = {
  LS_PROXY_OVERLOADED: { status: 503, message: 'the fault proxy enacts an overload of this region: request shed before it reached the target, retry after the given delay' },
  LS_PROXY_BODY_TOO_LARGE: { status: 413, message: 'request body larger than the fault proxy forwards' },
  LS_PROXY_UPSTREAM_FAILED: { status: 502, message: 'the target did not answer the fault proxy: the request may or may not have been applied' },
} as const

export interface FaultProxyOptions {
  /** Each region of the scenario and the target's URL for it (two may share one: a front door). */
  readonly upstreams: Readonly<Record<string, string>>
  /** Draws for lossy regions: a named stream of the run's seed (never Math.random). */
  readonly random: RandomStream
  /** Client connections each listener accepts, and connections to each upstream. */
  readonly connectionsMax: number
  /** How long the proxy waits for the target's answer before a 502. */
  readonly upstreamTimeoutMs: number
  /** How long a request queued behind an overload's limit waits before it is shed (default 1 s, as the mock server's queue). */
  readonly queueWaitMsMax?: number
}

/** /v1 bodies are a few hundred bytes; liked-list pages and inboxes a few KB. */
const REQUEST_BYTES_MAX = 64 * 1024
const ANSWER_BYTES_MAX = 4 * 1024 * 1024
const QUEUE_WAIT_MS_MAX = 1000
const RETRY_AFTER_S = 1
/** Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the proxy sets itself. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length'])

export class FaultProxy {
  readonly state: ProxyFaultState
  private readonly listeners: RegionListeners
  private readonly pools: Map<string, Pool>
  private readonly upstreams: Readonly<Record<string, string>>
  private readonly timeoutMs: number
  private readonly queueWaitMsMax: number
  /** Each request under way: aborted (its timers, its upstream request) when the proxy closes. */
  private readonly underWay = new Set<AbortController>()
  private listenUrls: Readonly<Record<string, string>> = {}

  private constructor(options: FaultProxyOptions, servers: ReadonlyArray<{ region: string; server: Server }>, pools: Map<string, Pool>) {
    this.upstreams = options.upstreams
    this.timeoutMs = options.upstreamTimeoutMs
    this.queueWaitMsMax = options.queueWaitMsMax ?? QUEUE_WAIT_MS_MAX
    this.state = new ProxyFaultState({ random: options.random })
    this.listeners = new RegionListeners(servers)
    this.pools = pools
  }

  /** Each region's proxy URL: where the driver sends that region's traffic. */
  get urls(): Readonly<Record<string, string>> {
    return this.listenUrls
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const pools = new Map<string, Pool>()
    for (const origin of new Set(Object.values(options.upstreams))) pools.set(origin, new Pool(origin, { connections: options.connectionsMax, pipelining: 1 }))
    const servers = Object.keys(options.upstreams).map((region) => {
      const server = createServer({ keepAliveTimeout: 5000, requestTimeout: options.upstreamTimeoutMs + (options.queueWaitMsMax ?? QUEUE_WAIT_MS_MAX) })
      server.maxConnections = options.connectionsMax
      return { region, server }
    })
    const proxy = new FaultProxy(options, servers, pools)
    for (const { region, server } of servers) server.on('request', (req: IncomingMessage, res: ServerResponse) => void proxy.handle(region, req, res))
    // Loopback only: the proxy is the run's, never a service for others.
    const addresses = await proxy.listeners.listen({ host: '127.0.0.1', port: 0 })
    proxy.listenUrls = Object.fromEntries(addresses.map((address) => [address.region, address.url]))
    return proxy
  }

  /** Start or stop a scenario fault here; why not, when the proxy cannot enact it (or its region could not listen again). */
  async enact(spec: FaultSpec, start: boolean): Promise<{ outcome: 'applied' } | { outcome: 'not-enactable' | 'failed'; reason: string }> {
    const enacted = this.state.enact(spec, start)
    if (!enacted.applied) return { outcome: 'not-enactable', reason: enacted.reason }
    const { region } = enacted
    if (this.state.isDown(region)) this.listeners.stop(region)
    else if (!this.listeners.isListening(region)) {
      try {
        await this.listeners.start(region)
      } catch (error) {
        return { outcome: 'failed', reason: `the fault proxy could not listen again for ${region} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the region stayed down` }
      }
    }
    return { outcome: 'applied' }
  }

  async close(): Promise<void> {
    for (const request of this.underWay) request.abort()
    this.listeners.destroyAll()
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()))
  }

  private async handle(region: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fate = this.state.fate(region)
    if (fate.kind === 'lose-request') return void req.socket.resetAndDestroy()
    // Everything held for this request ends when its client goes (or the proxy closes).
    const gone = new AbortController()
    res.once('close', () => gone.abort())
    this.underWay.add(gone)
    let release: (() => void) | undefined
    try {
      const body = await readBounded(req, REQUEST_BYTES_MAX)
      if (body === undefined) return reply(res, 'LS_PROXY_BODY_TOO_LARGE')
      const admitted = await this.admit(region, gone.signal)
      if (admitted === 'shed') return reply(res, 'LS_PROXY_OVERLOADED')
      release = admitted
      await this.forward(region, { req, res, body, fate, signal: gone.signal })
    } catch (error) {
      if (!gone.signal.aborted) reply(res, 'LS_PROXY_UPSTREAM_FAILED', (error as { code?: string }).code ?? (error as Error).message)
    } finally {
      release?.()
      this.underWay.delete(gone)
    }
  }

  /** A slot behind the region's limit (a no-op release when it has none), or 'shed'. */
  private async admit(region: string, signal: AbortSignal): Promise<(() => void) | 'shed'> {
    const limit = this.state.limitOf(region)
    if (limit === undefined) return () => {}
    const once = (): (() => void) => {
      let released = false
      return () => {
        if (!released) limit.release()
        released = true
      }
    }
    if (limit.tryAcquire()) return once()
    let grant: () => void = () => {}
    const granted = new Promise<void>((resolve) => (grant = resolve))
    const waiter = limit.enqueue(grant)
    if (waiter === undefined) return 'shed'
    const timeout = new AbortController()
    const waited = await Promise.race([granted.then(() => 'granted' as const), sleep(this.queueWaitMsMax, 'shed' as const, { signal: AbortSignal.any([signal, timeout.signal]) }).catch(() => 'shed' as const)])
    timeout.abort()
    if (waited === 'granted') return once()
    limit.cancel(waiter)
    // Granted in the same tick as it gave up: the slot is ours and must be handed on.
    if (waiter.state === 'granted') limit.release()
    return 'shed'
  }

  private async forward(region: string, { req, res, body, fate, signal }: { req: IncomingMessage; res: ServerResponse; body: Buffer; fate: RequestFate; signal: AbortSignal }): Promise<void> {
    if (fate.kind !== 'lose-request' && fate.delayMs > 0) await sleep(fate.delayMs, undefined, { signal })
    const origin = this.upstreams[region] as string
    const answer = await (this.pools.get(origin) as Pool).request({
      path: req.url ?? '/',
      method: req.method as 'GET',
      headers: forwardedHeaders(req.headers),
      body: body.length === 0 ? null : body,
      signal,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    })
    const text = await readBounded(answer.body, ANSWER_BYTES_MAX)
    if (text === undefined) throw Object.assign(new Error(`answer larger than ${ANSWER_BYTES_MAX} bytes`), { code: 'LS_PROXY_ANSWER_TOO_LARGE' })
    // The target applied it; its answer is lost on the way back.
    if (fate.kind === 'lose-answer') return void req.socket.resetAndDestroy()
    res.writeHead(answer.statusCode, { ...forwardedHeaders(answer.headers as IncomingHttpHeaders), 'content-length': String(text.length) })
    res.end(text)
  }
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !NOT_FORWARDED.has(name.toLowerCase())) kept[name] = value
  return kept
}

/** The whole stream, or undefined past `bytesMax` (the rest is not read). */
async function readBounded(stream: AsyncIterable<Buffer | string>, bytesMax: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    bytes += buffer.length
    if (bytes > bytesMax) return undefined
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

function reply(res: ServerResponse, code: keyof typeof PROXY_ERRORS, detail?: string): void {
  if (res.headersSent || res.destroyed) return
  const { status, message } = PROXY_ERRORS[code]
  const text = JSON.stringify({ code, message: detail === undefined ? message : `${message} (${detail})` })
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...(status === 503 ? { 'retry-after': String(RETRY_AFTER_S) } : {}) })
  res.end(text)
}
