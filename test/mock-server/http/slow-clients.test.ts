// Slow and stalled clients over real loopback sockets: a request holds an in-flight slot only once
// its body is in, so connections that stall their bodies cannot deny a region; the header, request
// and keep-alive timeouts are the documented values, enforced, and each cut-off is answered
// (408 LS_HTTP_REQUEST_TIMEOUT, then close) and counted in /metrics.
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ServerBuildError, type EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock, MonotonicClock } from '../../../mock-server/http/clock.ts'
import { DEFAULT_LIMITS, limitProblems } from '../../../mock-server/http/http-limits.ts'
import { exchange, openSocket, requestBytes } from './raw-http.ts'
import { admin, like, makeServer, send, US } from './support.ts'

const servers: EngagementServer[] = []
const sockets: Socket[] = []

async function listening(options: Parameters<typeof makeServer>[0] = {}): Promise<{ server: EngagementServer; port: number; url: string }> {
  const server = await makeServer({ clock: new MonotonicClock(), ...options })
  servers.push(server)
  const [first] = await server.listen({ host: '127.0.0.1', port: 0 })
  if (first === undefined) throw new Error('no listener')
  return { server, port: first.port, url: first.url }
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

async function until(condition: () => boolean, { waitMsMax = 2000 }: { waitMsMax?: number } = {}): Promise<void> {
  const clock = new MonotonicClock()
  while (!condition() && clock.nowMs() < waitMsMax) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(condition()).toBe(true)
}

/** Headers of a like whose body never comes: Expect: 100-continue makes the server say when it has read them. */
const STALLED_LIKE = requestBytes({
  method: 'POST',
  target: '/v1/videos/v01/likes',
  headers: [['Host', 'x'], ['Content-Type', 'application/json'], ['Content-Length', '20'], ['Expect', '100-continue']],
})

/** Open a connection, send the headers of a like, wait for 100 Continue, send 5 of its 20 body bytes, stall. */
async function stall(port: number): Promise<Socket> {
  const socket = await openSocket(port)
  sockets.push(socket)
  socket.on('error', () => {})
  await new Promise<void>((resolve) => {
    let seen = ''
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1')
      if (!seen.includes('\r\n\r\n')) return
      socket.off('data', onData)
      resolve()
    }
    socket.on('data', onData)
    socket.write(STALLED_LIKE)
  })
  socket.write('{"use')
  return socket
}

async function call(url: string, { method = 'GET', body }: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<number> {
  const agent = new Agent({ connect: { timeout: 2000 } })
  try {
    const response = await request(url, { method, dispatcher: agent, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
    await response.body.text()
    return response.statusCode
  } finally {
    await agent.close()
  }
}

describe('a stalled body holds a connection, never an in-flight slot', () => {
  it('1,100 connections stalled after their headers do not deny the region: reads and likes are served, /readyz is 200', async () => {
    // 8 slots and 8 places in the queue, a queued request shed after 200 ms: were a stalled request
    // to take a slot, the legitimate requests below would all be shed.
    const { server, port, url } = await listening({ limits: { inFlightMax: 8, queueMax: 8, queueWaitMsMax: 200 } })
    const stalled: Socket[] = []
    for (let batch = 0; batch < 11; batch++) stalled.push(...(await Promise.all(Array.from({ length: 100 }, () => stall(port)))))
    let closed = 0
    for (const socket of stalled) socket.once('close', () => closed++)
    expect(server.limiter(US).inFlight).toBe(0)

    const reads = await Promise.all(Array.from({ length: 20 }, () => call(`${url}/v1/videos/v02`)))
    const likes = await Promise.all(['u01', 'u02', 'u03', 'u04', 'u05'].map((userId) => call(`${url}/v1/videos/v03/likes`, { method: 'POST', body: { userId } })))
    expect([...reads, ...likes]).toEqual(Array(25).fill(200))
    expect(await call(`${url}/readyz`)).toBe(200)
    // Not rescued by a timeout: every stalled connection is still open.
    expect(closed).toBe(0)
    expect([server.limiter(US).inFlight, server.limiter(US).queued]).toEqual([0, 0])
  })

  it('a pipelined response queued behind a slower one frees its slot when the client goes', async () => {
    // A slow counter cache: the count read first in the pipeline waits for it (enacted); the
    // liked? read behind it does not, and is answered at once, but its response must wait for the
    // count read's. Node never closes such a queued response when the client goes.
    const { server, port } = await listening({ clock: new ManualClock(1000), limits: { waitMsMax: 2000 } })
    expect((await admin(server, 'POST', '/admin/v1/faults', { kind: 'slow-cache', action: 'start', region: US, latencyMs: 1000 })).status).toBe(200)
    const socket = await openSocket(port)
    socket.on('error', () => {})
    socket.write(
      Buffer.concat([
        requestBytes({ method: 'GET', target: '/v1/videos/v01', headers: [['Host', 'x']] }),
        requestBytes({ method: 'GET', target: '/v1/users/u01/likes/v01', headers: [['Host', 'x']] }),
      ]),
    )
    await until(() => server.limiter(US).inFlight === 2)
    socket.destroy()
    await until(() => server.limiter(US).inFlight === 0)
  })
})

describe('timeouts', () => {
  it('defaults: headers 10 s, the whole request 30 s, keep-alive idle 10 s, checked every second; 16 KiB of headers', async () => {
    const server = await makeServer()
    servers.push(server)
    const node = server.app(US).server as Server & Record<string, unknown>
    expect({
      headersTimeout: node.headersTimeout,
      requestTimeout: node.requestTimeout,
      keepAliveTimeout: node.keepAliveTimeout,
      connectionsCheckingInterval: node['connectionsCheckingInterval'],
      maxHeaderSize: node['maxHeaderSize'],
    }).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 10_000, connectionsCheckingInterval: 1000, maxHeaderSize: 16_384 })
    expect(DEFAULT_LIMITS).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 10_000, headerBytesMax: 16_384 })
  })

  it('a client too slow with its headers, one too slow with its body, and one that sends nothing are each answered 408 and closed at their bound', async () => {
    const { port, url } = await listening({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 900 } })
    const [headers, body, silent] = await Promise.all([
      trickle(port, 'GET /v1/videos/v01 HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'),
      trickle(port, 'POST /v1/videos/v01/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n', ' '),
      exchange(port, '', { waitMsMax: 3000 }),
    ])
    for (const outcome of [headers, body, silent]) {
      expect(outcome.closedByServer).toBe(true)
      expect(outcome.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[^]*\r\nConnection: close\r\n/)
      const answer = JSON.parse(outcome.text.slice(outcome.text.indexOf('\r\n\r\n') + 4)) as Record<string, string>
      expect(answer).toEqual({ code: 'LS_HTTP_REQUEST_TIMEOUT', message: 'the request was not received in time: headers are due within 300 ms and the whole request within 900 ms' })
    }
    // Trickling does not extend a bound: headers are cut at the header bound, well before the
    // request bound; a body at the request bound, well before the trickle would end (50 s).
    expect(headers.elapsedMs).toBeGreaterThanOrEqual(300)
    expect(headers.elapsedMs).toBeLessThan(900)
    expect(silent.elapsedMs).toBeGreaterThanOrEqual(300)
    expect(silent.elapsedMs).toBeLessThan(900)
    expect(body.elapsedMs).toBeGreaterThanOrEqual(900)
    expect(body.elapsedMs).toBeLessThan(2500)
    const metrics = await (await fetch(`${url}/metrics`)).text()
    expect(metrics).toContain('likestorm_http_refused_connections_total{region="us-east",code="LS_HTTP_REQUEST_TIMEOUT"} 3')
  })

  it('an idle keep-alive connection is closed after the keep-alive timeout each response announces', async () => {
    const { port } = await listening({ limits: { keepAliveTimeoutMs: 1000 } })
    const socket = await openSocket(port)
    socket.on('error', () => {})
    let text = ''
    let answeredAtMs = 0
    const clock = new MonotonicClock()
    const closedAtMs = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 5000)
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1')
        answeredAtMs = clock.nowMs()
      })
      socket.on('close', () => {
        clearTimeout(timer)
        resolve(clock.nowMs())
      })
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    })
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\nKeep-Alive: timeout=1\r\n/)
    // Node closes one second past the announced value, so a client never reuses a closing connection.
    expect(closedAtMs - answeredAtMs).toBeGreaterThanOrEqual(1000)
    expect(closedAtMs - answeredAtMs).toBeLessThan(4000)
  })

  it('limits Node would not enforce as given are refused, every problem at once', async () => {
    expect(limitProblems({ ...DEFAULT_LIMITS, headersTimeoutMs: 5000, requestTimeoutMs: 1000, keepAliveTimeoutMs: 0 })).toEqual([
      'keepAliveTimeoutMs must be a whole number >= 1, got 0',
      'headersTimeoutMs (5000) must not exceed requestTimeoutMs (1000)',
    ])
    await expect(makeServer({ limits: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 } })).rejects.toThrow(ServerBuildError)
  })
})

/** Send `head`, then `piece` every 50 ms (for up to 3 s) until the server closes the connection. */
async function trickle(port: number, head: string, piece: string): Promise<{ text: string; closedByServer: boolean; elapsedMs: number }> {
  const socket = await openSocket(port)
  const clock = new MonotonicClock()
  return new Promise((resolve) => {
    let text = ''
    let closedByServer = true
    const timer = setInterval(() => {
      if (clock.nowMs() > 3000) {
        closedByServer = false
        socket.destroy()
      } else if (socket.writable) socket.write(piece)
    }, 50)
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      resolve({ text, closedByServer, elapsedMs: clock.nowMs() })
    })
    socket.write(head)
  })
}

describe('readiness', () => {
  it('/healthz stays 200 (the process answers) while /readyz says whether the region can take a request', async () => {
    const server = await makeServer({ capacityRps: 10, clock: new ManualClock(1000), limits: { inFlightMax: 1, queueMax: 0, waitMsMax: 300 } })
    servers.push(server)
    expect((await send(server, { url: '/readyz' })).status).toBe(200)
    await like(server, 'v01', 'u01')
    const holding = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    const ready = await send(server, { url: '/readyz' })
    expect(ready).toMatchObject({ status: 503, body: { code: 'LS_HTTP_OVERLOADED' } })
    expect(ready.headers['retry-after']).toBe('1')
    expect((await send(server, { url: '/healthz' })).status).toBe(200)
    expect((await holding).status).toBe(200)
    expect((await send(server, { url: '/readyz' })).status).toBe(200)
  })
})
