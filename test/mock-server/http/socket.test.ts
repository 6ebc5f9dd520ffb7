// Over real loopback sockets: one port per region; a region outage is a closed listener (the
// client sees connection refused, not an error body) and recovery listens on the same port again;
// malformed HTTP gets a catalogue error from the parser's handler; shutdown drains in-flight
// requests. Codes only a socket can provoke are covered here.
import { connect, createServer, type Server } from 'node:net'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock, MonotonicClock } from '../../../mock-server/http/clock.ts'
import { ERRORS } from '../../../mock-server/http/errors.ts'
import type { ListenerAddress } from '../../../mock-server/http/region-listeners.ts'
import { ResponseReader } from './raw-http.ts'
import { AUTH, AP, EU, makeServer, US } from './support.ts'

const servers: EngagementServer[] = []

async function listening(options: Parameters<typeof makeServer>[0] = {}): Promise<{ server: EngagementServer; urls: Record<string, string>; addresses: ListenerAddress[] }> {
  const server = await makeServer({ clock: new MonotonicClock(), ...options })
  servers.push(server)
  const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
  return { server, urls: Object.fromEntries(addresses.map((a) => [a.region, a.url])), addresses }
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

/** One request on a connection of its own (so a closed listener shows as a refused connection). */
async function call(url: string, { method = 'GET', body, headers = {} }: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }> {
  const agent = new Agent({ connect: { timeout: 2000 } })
  try {
    const response = await request(url, {
      method: method as 'GET',
      dispatcher: agent,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.body.text()
    return { status: response.statusCode, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: response.headers }
  } finally {
    await agent.close()
  }
}

async function connectionError(url: string): Promise<string | undefined> {
  try {
    await call(url)
    return undefined
  } catch (error) {
    const cause = (error as { cause?: { code?: string }; code?: string }).cause
    return cause?.code ?? (error as { code?: string }).code
  }
}

/** Raw bytes in, raw response out. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    let out = ''
    socket.on('data', (chunk) => (out += chunk.toString()))
    socket.on('close', () => resolve(out))
    socket.on('error', (error) => (out === '' ? reject(error) : resolve(out)))
    socket.write(bytes)
  })
}

describe('one listener per region', () => {
  it('each region answers on its own port with its own region', async () => {
    const { urls, addresses } = await listening()
    expect(addresses.map((a) => a.region)).toEqual([US, EU, AP])
    expect(new Set(addresses.map((a) => a.port)).size).toBe(3)
    for (const region of [US, EU, AP]) expect((await call(`${urls[region]}/healthz`)).json).toEqual({ status: 'ok', region })
    const liked = await call(`${urls[US]}/v1/videos/v01/likes`, { method: 'POST', body: { userId: 'u01' } })
    expect(liked).toMatchObject({ status: 200, json: { videoId: 'v01', userId: 'u01', liked: true, likeCount: 1 } })
  })

  it('a region outage closes its listener (connection refused) and recovery reopens the same port', async () => {
    const { server, urls } = await listening()
    const usUrl = urls[US] as string
    // Asked through the region that goes down: the admin reply still arrives, then the port closes.
    const outage = await call(`${usUrl}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'start', region: US } })
    expect(outage.status).toBe(200)
    expect(await connectionError(`${usUrl}/healthz`)).toBe('ECONNREFUSED')
    // The other regions and their admin API carry on.
    expect((await call(`${urls[EU]}/v1/videos/v01/likes`, { method: 'POST', body: { userId: 'u02' } })).status).toBe(200)
    const state = await call(`${urls[EU]}/admin/v1/state`, { headers: AUTH })
    expect((state.json['regions'] as Array<Record<string, unknown>>)[0]).toMatchObject({ region: US, up: false, listening: false, url: null })
    const recovered = await call(`${urls[EU]}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'stop', region: US } })
    expect(recovered.status).toBe(200)
    expect((await call(`${usUrl}/healthz`)).status).toBe(200)
    expect(server.addresses().find((a) => a.region === US)?.url).toBe(usUrl)
  })

  it('an outage resets connections that are open on the region', async () => {
    const { urls } = await listening()
    const agent = new Agent({ keepAliveTimeout: 10_000 })
    try {
      const first = await request(`${urls[AP]}/healthz`, { dispatcher: agent })
      await first.body.text()
      await call(`${urls[US]}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'start', region: AP } })
      const error = await request(`${urls[AP]}/healthz`, { dispatcher: agent }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; cause?: { code?: string } },
      )
      expect(error).toBeDefined()
      expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(error?.cause?.code ?? error?.code)
    } finally {
      await agent.close()
    }
  })

  it('LS_HTTP_LISTEN_FAILED: recovery on a port taken meanwhile is a 500 with a code, and the region stays down', async () => {
    const { urls, addresses } = await listening()
    const port = (addresses.find((a) => a.region === EU) as ListenerAddress).port
    await call(`${urls[US]}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'start', region: EU } })
    const squatter: Server = createServer()
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve))
    try {
      const failed = await call(`${urls[US]}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'stop', region: EU } })
      expect(failed.status).toBe(ERRORS.LS_HTTP_LISTEN_FAILED.status)
      expect(failed.json['code']).toBe('LS_HTTP_LISTEN_FAILED')
      const state = await call(`${urls[US]}/admin/v1/state`, { headers: AUTH })
      expect((state.json['regions'] as Array<Record<string, unknown>>)[1]).toMatchObject({ region: EU, up: false, listening: false })
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
    expect((await call(`${urls[US]}/admin/v1/faults`, { method: 'POST', headers: AUTH, body: { kind: 'region-outage', action: 'stop', region: EU } })).status).toBe(200)
    expect((await call(`${urls[EU]}/readyz`)).status).toBe(200)
  })
})

describe('malformed HTTP', () => {
  it('LS_HTTP_BAD_REQUEST: garbage instead of a request line', async () => {
    const { addresses } = await listening()
    const response = await raw((addresses[0] as ListenerAddress).port, 'HELLO THERE\r\n\r\n')
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['code', 'message'])
    expect(body['code']).toBe('LS_HTTP_BAD_REQUEST')
    expect(body['message']).toMatch(/^malformed HTTP request: .*HPE_INVALID_METHOD/)
  })

  it.each([
    ['LS_HTTP_BAD_HOST', 'an HTTP/1.1 request without Host', 'GET /v1/videos/v01 HTTP/1.1\r\nConnection: close\r\n\r\n'],
    ['LS_HTTP_BAD_HOST', 'two Host headers', 'GET /v1/videos/v01 HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n'],
    ['LS_HTTP_EXPECTATION_FAILED', 'Expect: garbage (Node’s own answer is a bare 417)', 'POST /v1/videos/v01/likes HTTP/1.1\r\nHost: x\r\nExpect: garbage\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{"userId":"u01"}'],
    ['LS_HTTP_NOT_FOUND', 'CONNECT (Node’s own answer is to close without a word)', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
  ])('%s: %s, in the catalogue’s shape', async (code, _what, bytes) => {
    const { addresses } = await listening()
    const response = await raw((addresses[0] as ListenerAddress).port, bytes)
    expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${ERRORS[code as keyof typeof ERRORS].status} `))
    const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['code', 'message'])
    expect(body['code']).toBe(code)
  })

  it.each([
    ['garbage', 'GARBAGE\r\n\r\n', 'LS_HTTP_BAD_REQUEST'],
    ['a broken chunk', 'POST /v1/videos/v01/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'LS_HTTP_BAD_REQUEST'],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 'LS_HTTP_NOT_FOUND'],
  ])('a pipeline is answered in order: %s after two requests gets its answer after theirs, then the connection closes', async (_what, broken, code) => {
    const { addresses } = await listening()
    const pipeline = [
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
      // Its body is read asynchronously: its answer is still to come when the broken request is parsed.
      'POST /v1/videos/v99/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"userId":"u01"}',
      broken,
    ].join('')
    const reader = new ResponseReader(['GET', 'POST', 'GET'])
    reader.push(Buffer.from(await raw((addresses[0] as ListenerAddress).port, pipeline), 'latin1'))
    reader.end()
    expect(reader.responses.map((r) => [r.status, (JSON.parse(r.body) as Record<string, unknown>)['code'] ?? 'ok'])).toEqual([
      [200, 'ok'],
      [404, 'LS_CORE_UNKNOWN_VIDEO'],
      [ERRORS[code as keyof typeof ERRORS].status, code],
    ])
  })

  it('an HTTP/1.0 request needs no Host', async () => {
    const { addresses } = await listening()
    expect(await raw((addresses[0] as ListenerAddress).port, 'GET /healthz HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /)
  })

  it('LS_HTTP_HEADERS_TOO_LARGE: headers over Node’s limit', async () => {
    const { addresses } = await listening()
    const response = await raw((addresses[0] as ListenerAddress).port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(response).toMatch(/^HTTP\/1\.1 431 /)
    expect(response).toContain('"code":"LS_HTTP_HEADERS_TOO_LARGE"')
  })

  it('a body longer than announced: the request gets the answer to what it announced, then the connection closes', async () => {
    const { addresses, urls } = await listening()
    const response = await raw((addresses[0] as ListenerAddress).port, 'POST /v1/videos/v01/likes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"userId":"u01"}')
    expect(response).toMatch(/^HTTP\/1\.1 400 /)
    expect(response).toContain('"code":"LS_HTTP_BAD_JSON"')
    expect((await call(`${urls[US]}/healthz`)).status).toBe(200)
  })
})

describe('shutdown', () => {
  it('drains in-flight requests, then refuses connections', async () => {
    // 20 requests/s of capacity: the second request queues 50 ms in the model, enacted for real.
    // The clock stands still, so how long the first request took does not shorten that wait.
    const { server, urls } = await listening({ capacityRps: 20, clock: new ManualClock(1000) })
    const usUrl = urls[US] as string
    expect((await call(`${usUrl}/v1/videos/v01/likes`, { method: 'POST', body: { userId: 'u01' } })).status).toBe(200)
    const startedAt = performance.now()
    const inFlight = call(`${usUrl}/v1/videos/v01/likes`, { method: 'POST', body: { userId: 'u02' } })
    for (let i = 0; i < 100 && server.limiter(US).inFlight === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2))
    expect(server.limiter(US).inFlight).toBe(1)
    await server.close({ drainMsMax: 2000 })
    expect((await inFlight).status).toBe(200)
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(30)
    expect(await connectionError(`${usUrl}/healthz`)).toBe('ECONNREFUSED')
  })
})
