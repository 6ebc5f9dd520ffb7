// The admin API through inject(): the token guard, the state, the directory, every fault kind
// switched on and off, purges, takedowns and resets.
import { Value } from 'typebox/value'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import { DirectoryResponse, PurgeReportSchema, StateResponse } from '../../../mock-server/http/schemas.ts'
import { admin, AP, EU, like, makeServer, send, TOKEN, US } from './support.ts'
import { RETRANSMIT_MS } from '../../../mock-server/systems/replication/acked.ts'
import { SYSTEM_TICK_MS } from '../../../mock-server/systems/system.ts'

let server: EngagementServer
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock(1000)
  server = await makeServer({ clock })
})

afterEach(async () => {
  await server.close({ drainMsMax: 0 })
})

function fault(body: Record<string, unknown>) {
  return admin(server, 'POST', '/admin/v1/faults', body)
}

describe('the token', () => {
  it('is required on every admin route, on every region, and compared exactly', async () => {
    for (const region of [US, EU, AP]) {
      expect((await send(server, { url: '/admin/v1/state', region })).status).toBe(401)
      expect((await send(server, { url: '/admin/v1/state', region, headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(403)
      expect((await send(server, { url: '/admin/v1/state', region, headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } })).status).toBe(403)
      expect((await send(server, { url: '/admin/v1/state', region, headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200)
    }
    const unauthorized = await send(server, { method: 'POST', url: '/admin/v1/purges/bot' })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers['www-authenticate']).toBe('Bearer realm="likestorm-admin"')
    expect(server.world.core.state(clock.nowMs()).counters.purgedAccounts).toBe(0)
  })
})

describe('state and directory', () => {
  it('GET /admin/v1/state reports the world, the regions and their counts', async () => {
    await like(server, 'v01', 'u01')
    const state = await admin(server, 'GET', '/admin/v1/state')
    expect(state.status).toBe(200)
    expect(Value.Check(StateResponse, state.body)).toBe(true)
    expect(state.body).toMatchObject({ strategy: 'robust', draining: false, world: { scenario: 'small', seed: 1, users: 22, videos: 8 }, faults: [] })
    const regions = state.body['regions'] as Array<Record<string, unknown>>
    expect(regions.map((r) => r['region'])).toEqual([US, EU, AP])
    expect(regions[0]).toMatchObject({ up: true, listening: false, url: null, likeTotal: 1, inFlight: 0, queued: 0 })
    expect(regions[1]).toMatchObject({ likeTotal: 0 })
    expect(typeof regions[1]?.['replicationLagMs']).toBe('number')
  })

  it('GET /admin/v1/directory lists known ids a slice at a time', async () => {
    const page = await admin(server, 'GET', '/admin/v1/directory?offset=2&limit=3')
    expect(page.status).toBe(200)
    expect(Value.Check(DirectoryResponse, page.body)).toBe(true)
    expect(page.body).toEqual({ userTotal: 22, videoTotal: 8, userIds: ['u01', 'u02', 'u03'], videoIds: ['v03', 'v04', 'v05'] })
  })
})

describe('faults', () => {
  it('overload divides a region’s capacity until stopped', async () => {
    const started = await fault({ kind: 'overload', action: 'start', region: EU, factor: 3 })
    expect(started.status).toBe(200)
    expect(started.body['faults']).toEqual([{ kind: 'overload', region: EU, factor: 3 }])
    const stopped = await fault({ kind: 'overload', action: 'stop', region: EU })
    expect(stopped.body['faults']).toEqual([])
  })

  it('slow-cache makes robust serve last-known-good counts marked stale, and naive a made-up 0', async () => {
    await like(server, 'v01', 'u01')
    await fault({ kind: 'slow-cache', action: 'start', region: US, latencyMs: 60 })
    const startedAt = performance.now()
    const stale = await send(server, { url: '/v1/videos/v01' })
    // The modelled wait on the cache (until its 50 ms timeout) is enacted for real.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(40)
    expect(stale.body).toMatchObject({ likeCount: 1, stale: true })
    await fault({ kind: 'slow-cache', action: 'stop', region: US })
    expect((await send(server, { url: '/v1/videos/v01' })).body).toMatchObject({ likeCount: 1, stale: false })

    const naive = await makeServer({ strategy: 'naive' })
    try {
      await like(naive, 'v01', 'u01')
      await admin(naive, 'POST', '/admin/v1/faults', { kind: 'slow-cache', action: 'start', region: US, latencyMs: 60 })
      expect((await send(naive, { url: '/v1/videos/v01' })).body).toMatchObject({ likeCount: 0, stale: false })
    } finally {
      await naive.close({ drainMsMax: 0 })
    }
  })

  it('partition stops replication between two regions until healed', async () => {
    expect((await fault({ kind: 'partition', action: 'start', a: US, b: EU })).body['faults']).toEqual([{ kind: 'partition', a: EU, b: US }])
    await like(server, 'v02', 'u01', { region: US })
    clock.advance(1000)
    expect((await send(server, { url: '/v1/videos/v02', region: EU })).body['likeCount']).toBe(0)
    expect((await send(server, { url: '/v1/videos/v02', region: AP })).body['likeCount']).toBe(1)
    await fault({ kind: 'partition', action: 'stop', a: EU, b: US })
    clock.advance(1000)
    expect((await send(server, { url: '/v1/videos/v02', region: EU })).body['likeCount']).toBe(1)
  })

  it('region-outage takes a region down and brings it back (without listeners: refused by the core)', async () => {
    expect((await fault({ kind: 'region-outage', action: 'start', region: AP })).body['faults']).toEqual([{ kind: 'region-outage', region: AP }])
    expect((await like(server, 'v01', 'u01', { region: AP })).status).toBe(503)
    // The admin API stays reachable on the region that is down (here: inject) and on the others.
    expect((await admin(server, 'GET', '/admin/v1/state', undefined, EU)).status).toBe(200)
    expect((await fault({ kind: 'region-outage', action: 'stop', region: AP })).body['faults']).toEqual([])
    expect((await like(server, 'v01', 'u01', { region: AP })).status).toBe(200)
  })

  it('an outage past the replication backlog bound shows in the state (resyncPending, counters) and heals by resync', async () => {
    const capped = await makeServer({ clock, overrides: { replicationBacklogMaxEntries: 2 } })
    try {
      const call = (method: string, url: string, payload?: unknown) => admin(capped, method, url, payload)
      expect((await call('POST', '/admin/v1/faults', { kind: 'region-outage', action: 'start', region: EU })).status).toBe(200)
      for (const userId of ['u01', 'u02', 'u03']) expect((await like(capped, 'v01', userId)).status).toBe(200)
      // The bound holds for a peer that stopped answering: the sender knows after its retransmit timeout.
      clock.advance(RETRANSMIT_MS + 2 * SYSTEM_TICK_MS)
      const down = (await call('GET', '/admin/v1/state')).body as { regions: Array<Record<string, unknown>>; counters: Record<string, number> }
      expect(down.regions.find((region) => region['region'] === EU)).toMatchObject({ up: false, resyncPending: true })
      expect(down.counters).toMatchObject({ replicationOverflows: 1, replicationResyncs: 0 })
      expect((await call('POST', '/admin/v1/faults', { kind: 'region-outage', action: 'stop', region: EU })).status).toBe(200)
      // EU has them at once (the resync); AP after the replication lag
      clock.advance(1000)
      const back = (await call('GET', '/admin/v1/state')).body as { regions: Array<Record<string, unknown>>; counters: Record<string, number> }
      expect(back.counters).toMatchObject({ replicationOverflows: 1, replicationResyncs: 1 })
      expect(back.regions.map((region) => [region['resyncPending'], region['likeTotal']])).toEqual([
        [false, 3],
        [false, 3],
        [false, 3],
      ])
    } finally {
      await capped.close({ drainMsMax: 0 })
    }
  })

  it('takedown through the faults route hides videos until stopped', async () => {
    expect((await fault({ kind: 'takedown', action: 'start', videoIds: ['v03', 'v04'] })).body['faults']).toEqual([{ kind: 'takedown', videoIds: ['v03', 'v04'] }])
    expect((await send(server, { url: '/v1/videos/v03' })).status).toBe(410)
    await fault({ kind: 'takedown', action: 'stop', videoIds: ['v03', 'v04'] })
    expect((await send(server, { url: '/v1/videos/v03' })).status).toBe(200)
  })
})

describe('takedowns', () => {
  it('POST /admin/v1/takedowns and DELETE /admin/v1/takedowns/:videoId', async () => {
    await like(server, 'v05', 'u01')
    const down = await admin(server, 'POST', '/admin/v1/takedowns', { videoIds: ['v05', 'v06'] })
    expect(down.body).toEqual({ takenDown: ['v05', 'v06'] })
    const restored = await admin(server, 'DELETE', '/admin/v1/takedowns/v05')
    expect(restored.body).toEqual({ takenDown: ['v06'] })
    // Likes survive a takedown.
    expect((await send(server, { url: '/v1/videos/v05' })).body['likeCount']).toBe(1)
    expect((await admin(server, 'DELETE', '/admin/v1/takedowns/v77')).status).toBe(404)
  })
})

describe('purges', () => {
  it('POST /admin/v1/purges/inactive removes idle accounts and their likes', async () => {
    await like(server, 'v01', 'u20')
    // u20 just liked, so it is no longer idle; nobody else has been idle a year.
    const none = await admin(server, 'POST', '/admin/v1/purges/inactive', { idleDays: 300 })
    expect(none.body).toMatchObject({ kind: 'inactive', accounts: [], removedLikes: [] })
    clock.advance(10)
    const all = await admin(server, 'POST', '/admin/v1/purges/inactive', { idleDays: 0 })
    expect(Value.Check(PurgeReportSchema, all.body)).toBe(true)
    expect((all.body['accounts'] as unknown[]).length).toBe(22)
    expect(all.body['removedLikes']).toEqual([{ userId: 'u20', videoId: 'v01' }])
    expect((await send(server, { url: '/v1/videos/v01' })).body['likeCount']).toBe(0)
  })

  it('POST /admin/v1/purges/bot runs detection and purges what it flags', async () => {
    // A lockstep campaign (CopyCatch's pattern): ten accounts like the same six videos together,
    // without watching them; one genuine like elsewhere.
    const group = ['u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09', 'u10']
    for (const videoId of ['v01', 'v02', 'v03', 'v04', 'v05', 'v06']) {
      for (const userId of group) expect((await like(server, videoId, userId)).status).toBe(200)
      clock.advance(2000)
    }
    await send(server, { method: 'POST', url: '/v1/videos/v07/views', payload: { userId: 'u15', watchMs: 9000 } })
    await like(server, 'v07', 'u15')
    // One of the group also watched another video twice: robust's purge takes those views too.
    for (let i = 0; i < 2; i++) await send(server, { method: 'POST', url: '/v1/videos/v08/views', payload: { userId: 'u03', watchMs: 1000 } })
    clock.advance(2000)
    const purge = await admin(server, 'POST', '/admin/v1/purges/bot')
    expect(purge.status).toBe(200)
    expect(Value.Check(PurgeReportSchema, purge.body)).toBe(true)
    const purged = (purge.body['accounts'] as Array<{ userId: string }>).map((account) => account.userId).sort()
    expect(purged).toEqual(group)
    expect((purge.body['removedLikes'] as unknown[]).length).toBe(60)
    expect((await send(server, { url: '/v1/videos/v01' })).body['likeCount']).toBe(0)
    expect((await send(server, { url: '/v1/videos/v07' })).body['likeCount']).toBe(1)
    expect(purge.body['removedViews']).toEqual([{ userId: 'u03', videoId: 'v08', views: 2 }])
    expect((await send(server, { url: '/v1/videos/v08' })).body).toMatchObject({ viewCount: 0, uniqueViewers: 0 })
    const metrics = await send(server, { url: '/metrics' })
    expect(metrics.text).toContain('likestorm_purges_total{kind="bot"} 1')
    expect(metrics.text).toContain('likestorm_purged_likes_total{kind="bot"} 60')
    expect(metrics.text).toContain('likestorm_purged_views_total{kind="bot"} 2')
  })
})

describe('reset', () => {
  it('POST /admin/v1/reset rebuilds the world from a seed, restarts its clock and brings every region back', async () => {
    await like(server, 'v01', 'u01')
    await fault({ kind: 'region-outage', action: 'start', region: EU })
    await fault({ kind: 'overload', action: 'start', region: US, factor: 2 })
    clock.advance(5000)
    const reset = await admin(server, 'POST', '/admin/v1/reset', { seed: 9, strategy: 'naive' })
    expect(reset.status).toBe(200)
    expect(reset.body).toEqual({ world: { scenario: 'small', seed: 9, scale: 1, strategy: 'naive', users: 22, videos: 8 } })
    const state = await admin(server, 'GET', '/admin/v1/state')
    expect(state.body).toMatchObject({ strategy: 'naive', faults: [], nowMs: 0 })
    expect((state.body['regions'] as Array<Record<string, unknown>>).map((r) => [r['up'], r['likeTotal']])).toEqual([
      [true, 0],
      [true, 0],
      [true, 0],
    ])
    expect((await like(server, 'v01', 'u01', { region: EU })).status).toBe(200)
  })

  it('a reset the factory refuses changes nothing', async () => {
    await like(server, 'v01', 'u01')
    expect((await admin(server, 'POST', '/admin/v1/reset', { seed: 2, strategy: 'fastest' })).status).toBe(400)
    expect((await admin(server, 'GET', '/admin/v1/state')).body).toMatchObject({ strategy: 'robust', world: { seed: 1 } })
    expect((await send(server, { url: '/v1/videos/v01' })).body['likeCount']).toBe(1)
  })
})
