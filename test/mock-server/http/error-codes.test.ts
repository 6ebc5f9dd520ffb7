// Every error code of the catalogue, provoked through inject(): its status, a `{ code, message }`
// body and nothing else. Codes that only a socket can provoke (malformed HTTP, oversize headers,
// a port taken on recovery) are covered in socket.test.ts; the last test checks the coverage.
import { afterEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { ERROR_CODES, ERRORS, type ErrorCode } from '../../../mock-server/http/errors.ts'
import { guardModule } from '../../../mock-server/systems/guard.ts'
import { robust } from '../../../mock-server/systems/robust.ts'
import { admin, AUTH, EU, JSON_HEADERS, like, likeCountInCore, makeServer, send, SOCKET_ONLY_CODES, US, type Sent } from './support.ts'

const covered = new Set<ErrorCode>()
const servers: EngagementServer[] = []

async function fresh(options: Parameters<typeof makeServer>[0] = {}): Promise<EngagementServer> {
  const server = await makeServer(options)
  servers.push(server)
  return server
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

function expectError(response: Sent, code: ErrorCode): void {
  expect({ status: response.status, code: response.body['code'] }).toEqual({ status: ERRORS[code].status, code })
  expect(Object.keys(response.body).sort()).toEqual(['code', 'message'])
  expect(response.body['message']).toMatch(new RegExp(`^${escapeRegExp(ERRORS[code].message)}`))
  covered.add(code)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('bad input is a 4xx with a code', () => {
  it.each<[ErrorCode, string, Parameters<typeof send>[1]]>([
    ['LS_HTTP_BAD_JSON', 'a body that is not JSON', { method: 'POST', url: '/v1/videos/v01/likes', headers: JSON_HEADERS, payload: '{"userId": "u01"' }],
    ['LS_HTTP_BAD_JSON', 'an empty JSON body', { method: 'POST', url: '/v1/videos/v01/likes', headers: JSON_HEADERS, payload: '' }],
    ['LS_HTTP_BAD_BODY', 'an unknown property', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01', extra: true } }],
    ['LS_HTTP_BAD_BODY', 'a JSON array instead of an object', { method: 'POST', url: '/v1/videos/v01/likes', headers: JSON_HEADERS, payload: '["u01"]' }],
    ['LS_HTTP_BAD_VIDEO_ID', 'a unicode video id', { method: 'POST', url: '/v1/videos/v%C3%A9d%C3%A9o/likes', payload: { userId: 'u01' } }],
    ['LS_HTTP_BAD_VIDEO_ID', 'a 129-character video id', { url: `/v1/videos/${'v'.repeat(129)}` }],
    ['LS_HTTP_BAD_USER_ID', 'a number for userId', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 17 } }],
    ['LS_HTTP_BAD_USER_ID', 'no userId', { method: 'POST', url: '/v1/videos/v01/likes', payload: {} }],
    ['LS_HTTP_BAD_USER_ID', 'a path-unsafe user id', { method: 'DELETE', url: '/v1/videos/v01/likes/u%2F..%2Fadmin' }],
    ['LS_CORE_BAD_WATCH_MS', 'a negative watchMs', { method: 'POST', url: '/v1/videos/v01/views', payload: { userId: 'u01', watchMs: -1 } }],
    ['LS_CORE_BAD_WATCH_MS', 'an absurd watchMs', { method: 'POST', url: '/v1/videos/v01/views', payload: { userId: 'u01', watchMs: 1e300 } }],
    ['LS_CORE_BAD_WATCH_MS', 'a fractional watchMs', { method: 'POST', url: '/v1/videos/v01/views', payload: { userId: 'u01', watchMs: 1.5 } }],
    ['LS_CORE_BAD_WATCH_MS', 'a string watchMs', { method: 'POST', url: '/v1/videos/v01/views', payload: { userId: 'u01', watchMs: '100' } }],
    ['LS_HTTP_BAD_QUERY', 'a limit that is not a number', { url: '/v1/users/u01/likes?limit=ten' }],
    ['LS_HTTP_BAD_QUERY', 'a limit out of range', { url: '/v1/users/u01/likes?limit=100000' }],
    ['LS_HTTP_BAD_QUERY', 'an unknown query parameter', { url: '/v1/users/u01/notifications?since=0' }],
    ['LS_HTTP_BAD_QUERY', 'a query parameter on a read that takes none', { url: '/v1/videos/v01?fields=all' }],
    ['LS_HTTP_BAD_QUERY', 'a query parameter on a write that takes none', { method: 'POST', url: '/v1/videos/v01/likes?dryRun=1', payload: { userId: 'u01' } }],
    ['LS_HTTP_BAD_QUERY', 'a query parameter on an operations route', { url: '/healthz?verbose=1' }],
    ['LS_HTTP_BAD_QUERY', 'a query parameter on an admin route that takes none', { url: '/admin/v1/state?x=1', headers: AUTH }],
    ['LS_HTTP_BAD_HOST', 'a Host that is not host[:port]', { url: '/v1/videos/v01', headers: { host: 'two words' } }],
    ['LS_HTTP_BAD_HOST', 'a Host with a path', { url: '/v1/videos/v01', headers: { host: 'example.com/admin' } }],
    ['LS_HTTP_EXPECTATION_FAILED', 'an expectation other than 100-continue', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { expect: 'garbage' } }],
    ['LS_HTTP_UNSUPPORTED_ENCODING', 'a gzip Content-Encoding', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { 'content-encoding': 'gzip' } }],
    ['LS_HTTP_BAD_IDEMPOTENCY_KEY', 'an Idempotency-Key with spaces', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { 'idempotency-key': 'two words' } }],
    ['LS_HTTP_BAD_IDEMPOTENCY_KEY', 'an oversize Idempotency-Key', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { 'idempotency-key': 'k'.repeat(256) } }],
    ['LS_HTTP_BAD_DEADLINE', 'a deadline that is not a number', { url: '/v1/videos/v01', headers: { 'x-likestorm-deadline-ms': 'soon' } }],
    ['LS_HTTP_BAD_DEADLINE', 'a negative deadline on a write', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { 'x-likestorm-deadline-ms': '-5' } }],
    ['LS_HTTP_BAD_URL', 'bad percent-encoding', { url: '/v1/videos/v%zz' }],
    ['LS_HTTP_BAD_URL', 'a path segment over the router’s limit', { url: `/v1/videos/${'v'.repeat(5000)}` }],
    ['LS_HTTP_NOT_FOUND', 'an unknown path', { url: '/v2/videos/v01' }],
    ['LS_HTTP_NOT_FOUND', 'an unknown method', { method: 'PUT', url: '/v1/videos/v01' }],
    ['LS_HTTP_BODY_TOO_LARGE', 'a body over 16 KiB', { method: 'POST', url: '/v1/videos/v01/likes', headers: JSON_HEADERS, payload: JSON.stringify({ userId: 'u'.repeat(20_000) }) }],
    ['LS_HTTP_UNSUPPORTED_MEDIA_TYPE', 'a text/plain body', { method: 'POST', url: '/v1/videos/v01/likes', headers: { 'content-type': 'text/plain' }, payload: 'u01' }],
    ['LS_HTTP_UNSUPPORTED_MEDIA_TYPE', 'a form body', { method: 'POST', url: '/v1/videos/v01/likes', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'userId=u01' }],
    ['LS_CORE_UNKNOWN_VIDEO', 'a well-formed unknown video', { method: 'POST', url: '/v1/videos/v99/likes', payload: { userId: 'u01' } }],
    ['LS_CORE_UNKNOWN_VIDEO', 'reading an unknown video', { url: '/v1/videos/v99' }],
    ['LS_CORE_UNKNOWN_USER', 'a well-formed unknown user', { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u99' } }],
    ['LS_CORE_UNKNOWN_USER', 'the likes page of an unknown user', { url: '/v1/users/u99/likes' }],
    ['LS_CORE_UNKNOWN_USER', 'the notifications of an unknown user', { url: '/v1/users/u99/notifications' }],
    ['LS_CORE_UNKNOWN_REGION', 'an unknown region in X-LikeStorm-Region', { url: '/v1/videos/v01', headers: { 'x-likestorm-region': 'mars-north' } }],
    ['LS_CORE_UNKNOWN_REGION', 'an absurd region header', { url: '/v1/videos/v01', headers: { 'x-likestorm-region': 'r'.repeat(100) } }],
    ['LS_HTTP_UNAUTHORIZED', 'an admin route without a token', { url: '/admin/v1/state' }],
    ['LS_HTTP_UNAUTHORIZED', 'an admin route with a Basic header', { url: '/admin/v1/state', headers: { authorization: 'Basic dXNlcjpwYXNz' } }],
    ['LS_HTTP_FORBIDDEN', 'an admin route with a wrong token', { url: '/admin/v1/state', headers: { authorization: 'Bearer not-the-token' } }],
    ['LS_HTTP_BAD_FAULT', 'an unknown fault kind', { method: 'POST', url: '/admin/v1/faults', headers: AUTH, payload: { kind: 'meteor', action: 'start' } }],
    ['LS_HTTP_BAD_FAULT', 'a fault without its fields', { method: 'POST', url: '/admin/v1/faults', headers: AUTH, payload: { kind: 'slow-cache', action: 'start', region: US } }],
    ['LS_HTTP_BAD_FAULT', 'a partition of a region with itself', { method: 'POST', url: '/admin/v1/faults', headers: AUTH, payload: { kind: 'partition', action: 'start', a: US, b: US } }],
    ['LS_CORE_UNKNOWN_REGION', 'a fault in an unknown region', { method: 'POST', url: '/admin/v1/faults', headers: AUTH, payload: { kind: 'overload', action: 'start', region: 'mars', factor: 2 } }],
    ['LS_CORE_UNKNOWN_VIDEO', 'taking down an unknown video', { method: 'POST', url: '/admin/v1/takedowns', headers: AUTH, payload: { videoIds: ['v01', 'v99'] } }],
    ['LS_HTTP_BAD_RESET', 'a reset without a seed', { method: 'POST', url: '/admin/v1/reset', headers: AUTH, payload: { scenario: 'small' } }],
    ['LS_HTTP_BAD_RESET', 'a reset to an unknown scenario', { method: 'POST', url: '/admin/v1/reset', headers: AUTH, payload: { seed: 3, scenario: 'atlantis' } }],
    ['LS_HTTP_BAD_BODY', 'an inactive purge without idleDays', { method: 'POST', url: '/admin/v1/purges/inactive', headers: AUTH, payload: {} }],
  ])('%s: %s', async (code, _what, request) => {
    const server = await fresh()
    expectError(await send(server, request), code)
    // Refused, so nothing was counted.
    expect(likeCountInCore(server, 'v01')).toBe(0)
  })

  it('LS_HTTP_UNSUPPORTED_ENCODING says which encoding is accepted', async () => {
    const server = await fresh()
    const response = await send(server, { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers: { 'content-encoding': 'br' } })
    expectError(response, 'LS_HTTP_UNSUPPORTED_ENCODING')
    expect(response.headers['accept-encoding']).toBe('identity')
  })

  it('accepts what HTTP allows: Host with a port or an IPv6 literal, Expect: 100-continue, Content-Encoding: identity, known query parameters', async () => {
    const server = await fresh()
    for (const headers of [{ host: '127.0.0.1:8080' }, { host: '[::1]:8080' }, { expect: '100-continue' }, { 'content-encoding': 'identity' }]) {
      expect((await send(server, { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u01' }, headers })).status).toBe(200)
    }
    expect((await send(server, { url: '/v1/users/u01/likes?limit=5' })).status).toBe(200)
  })

  it('a core exception is a 500 LS_HTTP_INTERNAL, and the server keeps answering', async () => {
    const server = await fresh()
    server.world.core.like = () => {
      throw new Error('a bug')
    }
    expectError(await like(server, 'v01', 'u01'), 'LS_HTTP_INTERNAL')
    expect((await send(server, { url: '/healthz' })).status).toBe(200)
  })

  it("LS_CORE_SYSTEM_FAULT: a user's system (guarded) that throws is a 500 with the code (maybe applied), counted, and the server keeps answering", async () => {
    const throwsOnLike = guardModule({ ...robust, name: 'throws-on-like', create: (env, settings) => Object.assign(robust.create(env, settings), { like: () => { throw new Error('boom') } }) })
    const server = await fresh({ system: throwsOnLike })
    expectError(await like(server, 'v01', 'u01'), 'LS_CORE_SYSTEM_FAULT')
    expect((await send(server, { url: '/v1/videos/v01' })).status).toBe(200)
    expect((await admin(server, 'GET', '/admin/v1/state')).body['counters']).toMatchObject({ systemFaults: 1 })
  })
})

describe('state-dependent errors', () => {
  it('LS_CORE_IDEMPOTENCY_MISMATCH: a key reused for another request is a 422', async () => {
    const server = await fresh()
    expect((await like(server, 'v01', 'u01', { key: 'k-1' })).status).toBe(200)
    expectError(await like(server, 'v02', 'u01', { key: 'k-1' }), 'LS_CORE_IDEMPOTENCY_MISMATCH')
  })

  it('LS_CORE_IDEMPOTENCY_STORE_FULL: a new key while the store holds idempotencyMaxKeys live keys is a 503 with Retry-After, not applied', async () => {
    const server = await fresh({ overrides: { idempotencyMaxKeys: 1, idempotencyTtlMs: 30_000 } })
    expect((await like(server, 'v01', 'u01', { key: 'k-1' })).status).toBe(200)
    const full = await like(server, 'v01', 'u02', { key: 'k-2' })
    expectError(full, 'LS_CORE_IDEMPOTENCY_STORE_FULL')
    expect(full.headers['retry-after']).toBe('30')
    // the stored key still replays
    expect((await like(server, 'v01', 'u01', { key: 'k-1' })).status).toBe(200)
  })

  it('LS_HTTP_DEADLINE_EXCEEDED: a request whose deadline is shorter than the wait it would meet is a 504, not executed', async () => {
    // 10 requests/s: after one like the next waits 100 ms; the clock stands still.
    const server = await fresh({ capacityRps: 10, clock: new ManualClock(1000), limits: { waitMsMax: 1000 } })
    expect((await like(server, 'v01', 'u01')).status).toBe(200)
    expectError(await send(server, { method: 'POST', url: '/v1/videos/v01/likes', payload: { userId: 'u02' }, headers: { 'x-likestorm-deadline-ms': '50' } }), 'LS_HTTP_DEADLINE_EXCEEDED')
  })

  it('LS_CORE_VIDEO_UNAVAILABLE: a video taken down is gone (410) until restored', async () => {
    const server = await fresh()
    expect((await admin(server, 'POST', '/admin/v1/takedowns', { videoIds: ['v02'] })).status).toBe(200)
    expectError(await like(server, 'v02', 'u01'), 'LS_CORE_VIDEO_UNAVAILABLE')
    expectError(await send(server, { url: '/v1/videos/v02' }), 'LS_CORE_VIDEO_UNAVAILABLE')
    expect((await admin(server, 'DELETE', '/admin/v1/takedowns/v02')).status).toBe(200)
    expect((await like(server, 'v02', 'u01')).status).toBe(200)
  })

  it('LS_CORE_ACCOUNT_DELETED: an account removed by a purge is gone (410)', async () => {
    const server = await fresh()
    const purge = await admin(server, 'POST', '/admin/v1/purges/inactive', { idleDays: 300 })
    expect(purge.body['accounts']).toEqual([{ userId: 'u20', reasons: ['idle>300d'] }])
    expectError(await like(server, 'v01', 'u20'), 'LS_CORE_ACCOUNT_DELETED')
  })

  it('LS_CORE_REGION_DOWN: without listeners, a region that is down refuses its requests', async () => {
    const server = await fresh()
    expect((await admin(server, 'POST', '/admin/v1/faults', { kind: 'region-outage', action: 'start', region: EU })).status).toBe(200)
    expectError(await like(server, 'v01', 'u01', { region: EU }), 'LS_CORE_REGION_DOWN')
    expectError(await send(server, { url: '/readyz', region: EU }), 'LS_CORE_REGION_DOWN')
    expectError(await send(server, { url: '/v1/videos/v01', headers: { 'x-likestorm-region': EU } }), 'LS_CORE_REGION_DOWN')
  })

  it('LS_HTTP_LAST_REGION: the last region that is up cannot be taken down', async () => {
    const server = await fresh()
    for (const region of ['us-east', 'eu-west']) expect((await admin(server, 'POST', '/admin/v1/faults', { kind: 'region-outage', action: 'start', region })).status).toBe(200)
    expectError(await admin(server, 'POST', '/admin/v1/faults', { kind: 'region-outage', action: 'start', region: 'ap-southeast' }), 'LS_HTTP_LAST_REGION')
  })

  it('LS_CORE_OVERLOADED: past the modelled capacity a request is shed at once with Retry-After', async () => {
    const clock = new ManualClock(1000)
    // 100 requests/s: each adds 10 ms of backlog; robust sheds past 200 ms. The clock stands still.
    const server = await fresh({ capacityRps: 100, clock, limits: { waitMsMax: 1 } })
    const statuses: number[] = []
    let shed: Sent | undefined
    for (let i = 0; i < 25 && shed === undefined; i++) {
      const response = await like(server, 'v01', `u${String((i % 19) + 1).padStart(2, '0')}`)
      statuses.push(response.status)
      if (response.status === 503) shed = response
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true)
    expect(shed).toBeDefined()
    expectError(shed as Sent, 'LS_CORE_OVERLOADED')
    expect((shed as Sent).headers['retry-after']).toBe('1')
  })

  it('LS_CORE_RATE_LIMITED: one client network past its rate (robust: 50/s, burst 100) gets 429 with Retry-After', async () => {
    const server = await fresh({ clock: new ManualClock(1000) })
    // The clock stands still: the bucket of u01's network empties after its burst.
    let limited: Sent | undefined
    for (let i = 0; i < 110 && limited === undefined; i++) {
      const response = await send(server, { url: '/v1/users/u01/likes/v01' })
      if (response.status !== 200) limited = response
    }
    expect(limited).toBeDefined()
    expectError(limited as Sent, 'LS_CORE_RATE_LIMITED')
    expect(Number((limited as Sent).headers['retry-after'])).toBeGreaterThanOrEqual(1)
    // Another network is not affected.
    expect((await send(server, { url: '/v1/users/u02/likes/v01' })).status).toBe(200)
  })

  it('LS_CORE_COUNT_UNAVAILABLE: a slow cache and no last-known-good count is a 503 (robust never makes up a 0)', async () => {
    const server = await fresh({ limits: { waitMsMax: 1 } })
    await admin(server, 'POST', '/admin/v1/faults', { kind: 'slow-cache', action: 'start', region: US, latencyMs: 80 })
    const response = await send(server, { url: '/v1/videos/v08' })
    expectError(response, 'LS_CORE_COUNT_UNAVAILABLE')
    expect(response.headers['retry-after']).toBe('1')
  })

  it('LS_HTTP_OVERLOADED: past the in-flight bound and its queue a request is shed at once with Retry-After', async () => {
    const clock = new ManualClock(1000)
    // One slot, no queue. A modelled queue wait (capacity 10/s) keeps the second request's reply
    // (and its slot) for a while; a third request meanwhile is shed.
    const server = await fresh({ capacityRps: 10, clock, limits: { inFlightMax: 1, queueMax: 0, waitMsMax: 200 } })
    expect((await like(server, 'v01', 'u01')).status).toBe(200)
    const held = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    const shed = await like(server, 'v01', 'u03')
    expectError(shed, 'LS_HTTP_OVERLOADED')
    expect(shed.headers['retry-after']).toBe('1')
    expect((await held).status).toBe(200)
    expect(server.limiter(US).inFlight).toBe(0)
  })

  it('LS_HTTP_SHUTTING_DOWN: while the server drains, new requests are turned away and readiness fails', async () => {
    const clock = new ManualClock(1000)
    const server = await fresh({ capacityRps: 10, clock, limits: { waitMsMax: 150 } })
    await like(server, 'v01', 'u01')
    const inFlight = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    const closing = server.close({ drainMsMax: 2000 })
    const refused = await like(server, 'v01', 'u03')
    expectError(refused, 'LS_HTTP_SHUTTING_DOWN')
    expect(refused.headers['connection']).toBe('close')
    expectError(await send(server, { url: '/readyz' }), 'LS_HTTP_SHUTTING_DOWN')
    expect((await inFlight).status).toBe(200)
    await closing
  })
})

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(condition()).toBe(true)
}

describe('coverage', () => {
  it('every code of the catalogue is provoked above, or over a socket in socket.test.ts', () => {
    const missing = ERROR_CODES.filter((code) => !covered.has(code) && !SOCKET_ONLY_CODES.includes(code))
    expect(missing).toEqual([])
  })
})
