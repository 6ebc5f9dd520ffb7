// Request deadlines (X-LikeStorm-Deadline-Ms): an attempt whose client will have given up before
// its answer could reach it (time since it arrived + the wait it would meet > its budget) is not
// executed and is answered at once with 504 LS_HTTP_DEADLINE_EXCEEDED: nothing applied, no
// idempotency key stored. Bad values are a 400 LS_HTTP_BAD_DEADLINE. inject() and one socket.
import { Agent, request } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { RegionConfig } from '../../../mock-server/core/config.ts'
import type { EngagementServer, HttpLimits } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { AP, EU, like, likeCountInCore, makeServer, REGION_IDS, send, US, type Sent } from './support.ts'

const servers: EngagementServer[] = []

let badValueServer: EngagementServer | undefined

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

afterAll(async () => {
  await badValueServer?.close({ drainMsMax: 0 })
})

/** us-east serves 10 requests/s (each admitted request adds 100 ms of queue); the others plenty. The clock stands still. */
async function slowUsServer(limits: Partial<HttpLimits> = {}, strategy = 'robust'): Promise<EngagementServer> {
  const regions: RegionConfig[] = REGION_IDS.map((id) => ({ id, capacityRps: id === US ? 10 : 1_000_000, cacheCapacityOpsPerS: 1_000_000 }))
  const server = await makeServer({ strategy, clock: new ManualClock(1000), limits: { waitMsMax: 1000, ...limits }, overrides: { regions } })
  servers.push(server)
  return server
}

function likeWithDeadline(server: EngagementServer, videoId: string, userId: string, headers: Record<string, string>): Promise<Sent> {
  return send(server, { method: 'POST', url: `/v1/videos/${videoId}/likes`, payload: { userId }, headers })
}

/** Likes in us-east, from the core's state (no request: us-east's small capacity is for the test's requests). */
function usLikeTotal(server: EngagementServer): number {
  return server.world.core.state(server.world.clock.nowMs()).regions.find((region) => region.region === US)?.likeTotal ?? Number.NaN
}

function coreCounters(server: EngagementServer) {
  return server.world.core.state(server.world.clock.nowMs()).counters
}

describe('a request whose deadline would pass is not executed', () => {
  it('the modelled wait alone is past the deadline: 504 at once, nothing applied, no key stored', async () => {
    const server = await slowUsServer()
    expect((await like(server, 'v01', 'u01')).status).toBe(200)
    // us-east now has 100 ms of queue: an attempt with 50 ms left would be answered too late
    const requestsBefore = coreCounters(server).requests
    const late = await likeWithDeadline(server, 'v02', 'u02', { 'x-likestorm-deadline-ms': '50', 'idempotency-key': 'k-late' })
    expect(late.status).toBe(504)
    expect(late.body).toMatchObject({ code: 'LS_HTTP_DEADLINE_EXCEEDED' })
    expect(String(late.body['message'])).toMatch(/^the client's deadline passed before the request could be served: it was not applied/)
    // the core never saw it: no request counted, nothing applied, no key stored (its retry is applied, not replayed)
    expect(coreCounters(server).requests).toBe(requestsBefore)
    expect(usLikeTotal(server)).toBe(1)
    const retry = await likeWithDeadline(server, 'v02', 'u02', { 'x-likestorm-deadline-ms': '5000', 'idempotency-key': 'k-late' })
    expect(retry.status).toBe(200)
    expect(retry.body).toMatchObject({ liked: true, likeCount: 1 })
    expect(coreCounters(server).idempotentReplays).toBe(0)
  })

  it('naive does not honour deadlines: the late attempt is executed and applied, its answer as late as its wait', async () => {
    const server = await slowUsServer({}, 'naive')
    expect((await like(server, 'v01', 'u01')).status).toBe(200)
    const requestsBefore = coreCounters(server).requests
    const late = await likeWithDeadline(server, 'v02', 'u02', { 'x-likestorm-deadline-ms': '50', 'idempotency-key': 'k-late' })
    expect(late.status).toBe(200)
    expect(coreCounters(server).requests).toBe(requestsBefore + 1)
    expect(usLikeTotal(server)).toBe(2)
  })

  it('a deadline the wait fits in is served as usual', async () => {
    const server = await slowUsServer()
    // no budget at all: any time spent is too much
    expect((await likeWithDeadline(server, 'v01', 'u01', { 'x-likestorm-deadline-ms': '0' })).status).toBe(504)
    expect((await likeWithDeadline(server, 'v01', 'u01', { 'x-likestorm-deadline-ms': '1000' })).status).toBe(200)
    // 100 ms of queue now; 150 ms of budget is enough
    expect((await likeWithDeadline(server, 'v01', 'u02', { 'x-likestorm-deadline-ms': '150' })).status).toBe(200)
    expect(usLikeTotal(server)).toBe(2)
  })

  it('the time since the request arrived counts: an attempt that waited for a slot past its deadline is not executed', async () => {
    // One request in flight per listener. A like held 100 ms by us-east's queue keeps the slot;
    // the next request through the same listener (served as eu-west: no modelled wait) waits for it.
    const server = await slowUsServer({ inFlightMax: 1, queueMax: 10 })
    expect((await like(server, 'v01', 'u01')).status).toBe(200)
    const held = like(server, 'v01', 'u02')
    for (let i = 0; i < 200 && server.limiter(US).inFlight === 0; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(server.limiter(US).inFlight).toBe(1)
    const viaSameListener = (userId: string, deadlineMs: number) =>
      likeWithDeadline(server, 'v03', userId, { 'x-likestorm-deadline-ms': String(deadlineMs), 'x-likestorm-region': EU })
    const [late, patient] = await Promise.all([viaSameListener('u03', 40), viaSameListener('u04', 10_000)])
    expect((await held).status).toBe(200)
    expect(late.status).toBe(504)
    expect(patient.status).toBe(200)
    expect(likeCountInCore(server, 'v03', EU)).toBe(1)
  })

  it('reads honour it too: a count read behind a slow counter cache', async () => {
    const server = await slowUsServer()
    await send(server, { method: 'POST', url: '/admin/v1/faults', headers: { authorization: 'Bearer test-admin-token-0123456789' }, payload: { kind: 'slow-cache', action: 'start', region: AP, latencyMs: 200 } })
    const late = await send(server, { url: '/v1/videos/v01', region: AP, headers: { 'x-likestorm-deadline-ms': '20' } })
    expect(late.status).toBe(504)
    expect(late.body['code']).toBe('LS_HTTP_DEADLINE_EXCEEDED')
  })

  it.each([
    ['not a number', 'soon'],
    ['negative', '-1'],
    ['fractional', '1.5'],
    ['over a day', '86400001'],
    ['empty', ''],
    ['with spaces', ' 100'],
    ['sent twice', '100, 200'],
    ['huge', '1'.repeat(40)],
  ])('a deadline that is %s is a 400 LS_HTTP_BAD_DEADLINE and nothing is applied', async (_what, value) => {
    // Refused before the core: one server serves every case (its us-east never queues).
    badValueServer ??= await makeServer({ clock: new ManualClock(1000) })
    const server = badValueServer
    const response = await likeWithDeadline(server, 'v05', 'u01', { 'x-likestorm-deadline-ms': value })
    expect({ status: response.status, code: response.body['code'] }).toEqual({ status: 400, code: 'LS_HTTP_BAD_DEADLINE' })
    expect(usLikeTotal(server)).toBe(0)
  })

  it('the OpenAPI document describes the header on writes and reads', async () => {
    const server = await slowUsServer()
    const doc = (await send(server, { url: '/openapi.json' })).body as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; description?: string }> }>> }
    for (const [path, method] of [
      ['/v1/videos/{videoId}/likes', 'post'],
      ['/v1/videos/{videoId}', 'get'],
      ['/v1/users/{userId}/likes/{videoId}', 'get'],
    ] as const) {
      const header = doc.paths[path]?.[method]?.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'x-likestorm-deadline-ms')
      expect(header?.description).toMatch(/LS_HTTP_DEADLINE_EXCEEDED/)
    }
  })
})

describe('over a real socket', () => {
  it('a like past its deadline is a 504 and is not applied; one within it is served', async () => {
    const server = await slowUsServer()
    const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
    const url = `${addresses.find((address) => address.region === US)?.url}/v1/videos/v07/likes`
    const agent = new Agent()
    try {
      const post = async (userId: string, deadlineMs: string) => {
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', 'x-likestorm-deadline-ms': deadlineMs },
          body: JSON.stringify({ userId }),
        })
        return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> }
      }
      expect((await post('u01', '2000')).status).toBe(200)
      const late = await post('u02', '30')
      expect(late).toEqual({ status: 504, body: { code: 'LS_HTTP_DEADLINE_EXCEEDED', message: expect.stringMatching(/it was not applied: 30 ms$/) } })
      expect(usLikeTotal(server)).toBe(1)
    } finally {
      await agent.close()
    }
  })
})
