// Capacity through inject(): the in-flight bound and its queue (a queued request runs when a slot
// frees, or is shed when its wait runs out), the modelled wait enacted for real under an overload
// fault, and what /metrics says about requests refused.
import { afterEach, describe, expect, it } from 'vitest'
import type { EngagementServer, HttpLimits } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { admin, like, makeServer, send, US } from './support.ts'

const servers: EngagementServer[] = []

async function fresh(options: { capacityRps?: number; limits?: Partial<HttpLimits> }): Promise<EngagementServer> {
  // The clock stands still: the modelled backlog only grows, so waits are predictable.
  const server = await makeServer({ clock: new ManualClock(1000), ...options })
  servers.push(server)
  return server
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainMsMax: 0 })))
})

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(condition()).toBe(true)
}

describe('the in-flight bound', () => {
  it('queues a request while the slot is taken and runs it when the slot frees', async () => {
    // Capacity 20/s: the second like waits 50 ms in the model (enacted), holding the only slot.
    const server = await fresh({ capacityRps: 20, limits: { inFlightMax: 1, queueMax: 4, queueWaitMsMax: 2000, waitMsMax: 60 } })
    await like(server, 'v01', 'u01')
    const holding = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    const queued = like(server, 'v01', 'u03')
    await until(() => server.limiter(US).queued === 1)
    expect((await holding).status).toBe(200)
    expect((await queued).body).toMatchObject({ userId: 'u03', likeCount: 3 })
    expect([server.limiter(US).inFlight, server.limiter(US).queued]).toEqual([0, 0])
  })

  it('sheds a queued request whose wait for a slot runs out', async () => {
    const server = await fresh({ capacityRps: 10, limits: { inFlightMax: 1, queueMax: 4, queueWaitMsMax: 20, waitMsMax: 150 } })
    await like(server, 'v01', 'u01')
    const holding = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    const shed = await like(server, 'v01', 'u03')
    expect(shed).toMatchObject({ status: 503, body: { code: 'LS_HTTP_OVERLOADED' } })
    expect(shed.body['message']).toMatch(/no slot within 20 ms/)
    expect(shed.headers['retry-after']).toBe('1')
    expect((await holding).status).toBe(200)
    const metrics = await send(server, { url: '/metrics' })
    expect(metrics.text).toContain('likestorm_http_shed_requests_total{region="us-east",reason="concurrency"} 1')
  })

  it('does not apply to the admin and operations routes', async () => {
    const server = await fresh({ capacityRps: 10, limits: { inFlightMax: 1, queueMax: 0, waitMsMax: 150 } })
    await like(server, 'v01', 'u01')
    const holding = like(server, 'v01', 'u02')
    await until(() => server.limiter(US).inFlight === 1)
    expect((await send(server, { url: '/healthz' })).status).toBe(200)
    expect((await admin(server, 'GET', '/admin/v1/state')).status).toBe(200)
    await holding
  })
})

describe('the modelled wait', () => {
  it('is not enacted without overload, and is under an overload fault (bounded)', async () => {
    const server = await fresh({ capacityRps: 10_000, limits: { waitMsMax: 80 } })
    let startedAt = performance.now()
    for (let i = 0; i < 5; i++) await like(server, 'v02', `u0${i + 1}`)
    expect(performance.now() - startedAt).toBeLessThan(60)
    // Capacity ÷ 450 ≈ 22/s: each request adds 45 ms of backlog. The second waits 45 ms, the third
    // 90 ms (capped at 80), the fourth 135 ms (capped); the fifth would pass robust's 200 ms bound.
    await admin(server, 'POST', '/admin/v1/faults', { kind: 'overload', action: 'start', region: US, factor: 450 })
    await like(server, 'v03', 'u01')
    await like(server, 'v03', 'u02')
    startedAt = performance.now()
    expect((await like(server, 'v03', 'u03')).status).toBe(200)
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(70)
    await like(server, 'v03', 'u04')
    // Past the bound requests are shed at once, without waiting.
    startedAt = performance.now()
    const shed = await like(server, 'v03', 'u05')
    expect(shed).toMatchObject({ status: 503, body: { code: 'LS_CORE_OVERLOADED' } })
    expect(performance.now() - startedAt).toBeLessThan(50)
    const metrics = await send(server, { url: '/metrics' })
    expect(metrics.text).toContain('likestorm_http_shed_requests_total{region="us-east",reason="capacity"} 1')
  })
})
