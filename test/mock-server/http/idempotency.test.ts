// Idempotency-Key on writes: retries with one key apply once and replay the first response; the
// same key with another request is refused; keys expire after their TTL. As the strategy dictates:
// naive ignores keys (the 2020 incident's double counting), robust honours them.
import { afterEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { like, makeServer, send, US } from './support.ts'

const servers: EngagementServer[] = []

async function fresh(strategy = 'robust', clock = new ManualClock(1000)): Promise<EngagementServer> {
  const server = await makeServer({ strategy, clock })
  servers.push(server)
  return server
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

function likeTotal(server: EngagementServer): number {
  const region = server.world.core.state(server.world.clock.nowMs()).regions.find((r) => r.region === US)
  return region?.likeTotal ?? Number.NaN
}

describe('robust', () => {
  it('1,000 concurrent retries of an acknowledged like with its key are all replayed, before the client rate limiter', async () => {
    const server = await fresh()
    await like(server, 'v01', 'u02')
    const first = await like(server, 'v01', 'u01', { key: 'retry-me' })
    expect(first.status).toBe(200)
    const before = likeTotal(server)
    // The clock stands still: the rate limiter of u01's network (robust: 50/s, burst 100) would
    // refuse 900 of these; a replay is answered from the key store before it, and costs nothing.
    const responses = await Promise.all(Array.from({ length: 1000 }, () => like(server, 'v01', 'u01', { key: 'retry-me' })))
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1000)
    expect(new Set(responses.map((response) => response.text))).toEqual(new Set([first.text]))
    expect(first.body).toMatchObject({ liked: true, likeCount: 2 })
    expect(likeTotal(server)).toBe(before)
    const counters = server.world.core.state(server.world.clock.nowMs()).counters
    expect(counters.idempotentReplays).toBe(1000)
    expect(counters.rateLimited).toBe(0)
  })

  it('1,000 concurrent first attempts with one key apply once; the other 999 replay it', async () => {
    const server = await fresh()
    const responses = await Promise.all(Array.from({ length: 1000 }, () => like(server, 'v01', 'u01', { key: 'retry-me' })))
    expect(responses.every((response) => response.status === 200)).toBe(true)
    expect(new Set(responses.map((response) => response.text)).size).toBe(1)
    expect(likeTotal(server)).toBe(1)
    expect(server.world.core.state(server.world.clock.nowMs()).counters.idempotentReplays).toBe(999)
  })

  it('a key belongs to its user: user B reusing user A\'s key is B\'s own request', async () => {
    const server = await fresh()
    const a = await like(server, 'v01', 'u01', { key: 'device-key-1' })
    const b = await like(server, 'v01', 'u02', { key: 'device-key-1' })
    expect([a.status, b.status]).toEqual([200, 200])
    expect(a.body).toMatchObject({ userId: 'u01', likeCount: 1 })
    expect(b.body).toMatchObject({ userId: 'u02', likeCount: 2 })
    // each replays its own answer
    expect((await like(server, 'v01', 'u01', { key: 'device-key-1' })).text).toBe(a.text)
    expect((await like(server, 'v01', 'u02', { key: 'device-key-1' })).text).toBe(b.text)
    expect(likeTotal(server)).toBe(2)
  })

  it('the same key with a different request of the same user is a 422 and changes nothing', async () => {
    const server = await fresh()
    expect((await like(server, 'v01', 'u01', { key: 'k' })).status).toBe(200)
    const before = likeTotal(server)
    expect((await like(server, 'v02', 'u01', { key: 'k' })).status).toBe(422)
    expect((await send(server, { method: 'DELETE', url: '/v1/videos/v01/likes/u01', headers: { 'idempotency-key': 'k' } })).status).toBe(422)
    expect((await send(server, { method: 'POST', url: '/v1/videos/v01/views', payload: { userId: 'u01', watchMs: 10 }, headers: { 'idempotency-key': 'k' } })).status).toBe(422)
    expect(likeTotal(server)).toBe(before)
  })

  it('a retried view replays its counts; another watchMs under the same key is refused', async () => {
    const server = await fresh()
    const view = (watchMs: number) => send(server, { method: 'POST', url: '/v1/videos/v03/views', payload: { userId: 'u01', watchMs }, headers: { 'idempotency-key': 'view-1' } })
    const first = await view(1200)
    const retry = await view(1200)
    expect(retry.body).toEqual(first.body)
    expect(first.body).toMatchObject({ viewCount: 1 })
    expect((await view(1300)).status).toBe(422)
  })

  it('a retried unlike replays; keys expire after their TTL (30 s)', async () => {
    const clock = new ManualClock(1000)
    const server = await fresh('robust', clock)
    await like(server, 'v04', 'u01')
    const unlike = () => send(server, { method: 'DELETE', url: '/v1/videos/v04/likes/u01', headers: { 'idempotency-key': 'undo-1' } })
    expect((await unlike()).body).toMatchObject({ liked: false, likeCount: 0 })
    expect((await unlike()).body).toMatchObject({ liked: false, likeCount: 0 })
    expect((await like(server, 'v05', 'u01', { key: 'undo-1' })).status).toBe(422)
    clock.advance(31_000)
    expect((await like(server, 'v05', 'u01', { key: 'undo-1' })).status).toBe(200)
  })
})

describe('naive', () => {
  it('ignores the key: every retry counts again (the 2020 incident)', async () => {
    const server = await fresh('naive')
    const responses = await Promise.all(Array.from({ length: 50 }, () => like(server, 'v01', 'u01', { key: 'retry-me' })))
    expect(responses.every((response) => response.status === 200)).toBe(true)
    expect(likeTotal(server)).toBe(50)
  })
})
