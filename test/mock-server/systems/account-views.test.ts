// A purge's removal of views (issue 18): the per-account record (account-views.ts), the replica's
// removal kept apart from its G-counter rows so anti-entropy cannot bring the views back, a view
// still on its way at the purge, a region down at the purge, and a run that cannot purge keeping
// no record at all.
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { DEFAULT_CORE_CONFIG } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { RegionReplica } from '../../../mock-server/core/region-replica.ts'
import { Environment } from '../../../mock-server/env/environment.ts'
import { AccountViews } from '../../../mock-server/systems/counting/account-views.ts'
import { robust } from '../../../mock-server/systems/robust.ts'
import { SYSTEM_TICK_MS, type EngagementSystem, type PurgedPair, type PurgedViews, type SystemRequest } from '../../../mock-server/systems/system.ts'
import { userRecord } from '../../helpers/user-record.ts'

const REGIONS = ['us-east', 'eu-west', 'ap-southeast'] as const
const LAG_MS = 100
const SETTLED_MS = LAG_MS + 2 * SYSTEM_TICK_MS

function replicas(count: number, videos = 4): RegionReplica[] {
  return Array.from({ length: count }, (_, index) => {
    const replica = new RegionReplica({ id: `r${index}`, index, countFromLikeSet: true, origins: count })
    replica.ensureVideos(videos)
    return replica
  })
}

describe('RegionReplica.removeViews: a removal kept apart from the origin rows', () => {
  it('survives anti-entropy, which merges the rows by max, and a view on its way ends counted right', () => {
    const [a, b] = replicas(2) as [RegionReplica, RegionReplica]
    // Origin a served three views of video 1: u5 twice (its first view the unique one), then u6.
    a.applyView(1, true)
    a.applyView(1, false)
    a.applyView(1, true)
    // b has the first of them; the other two are still on their way.
    b.applyView(1, true, 0)
    // The purge of u5 takes its 2 views and its unique viewer from each replica, once.
    a.removeViews(1, 2, 1)
    b.removeViews(1, 2, 1)
    expect([a.viewCount[1], a.uniqueViewers[1]]).toEqual([1, 1])
    // b reads low until the rest arrives (the count a system answers is never below 0).
    expect([b.viewCount[1], b.uniqueViewers[1]]).toEqual([-1, 0])
    // Anti-entropy: a's row, whole, raises b's; twice changes nothing more.
    b.mergeFrom(a, 0)
    expect([b.viewCount[1], b.uniqueViewers[1]]).toEqual([1, 1])
    b.mergeFrom(a, 0)
    expect([b.viewCount[1], b.uniqueViewers[1]]).toEqual([1, 1])
    // A snapshot from a replica that missed the removal does not bring the views back either.
    const stale = replicas(1)[0] as RegionReplica
    stale.applyView(1, true)
    stale.applyView(1, false)
    b.mergeSnapshot(stale.snapshot(0), 0)
    expect([b.viewCount[1], b.uniqueViewers[1]]).toEqual([1, 1])
  })
})

describe('AccountViews: each account\'s views, for its purge', () => {
  it('removes every view of the account from every replica, once, and lists them by video', () => {
    const all = replicas(3)
    const record = new AccountViews({ regions: 3 })
    const view = (video: number, user: number, first: boolean): void => {
      for (const replica of all) replica.applyView(video, first, 0)
      record.record(video, user, first)
    }
    view(3, 7, true)
    view(1, 7, true)
    view(3, 7, false)
    view(3, 8, true)
    const removed: PurgedViews[] = []
    record.purge(7, { replicas: all, isDown: () => false, durable: true }, removed)
    expect(removed).toEqual([
      { user: 7, video: 1, views: 1 },
      { user: 7, video: 3, views: 2 },
    ])
    for (const replica of all) {
      expect([replica.viewCount[1], replica.uniqueViewers[1]]).toEqual([0, 0])
      expect([replica.viewCount[3], replica.uniqueViewers[3]]).toEqual([1, 1])
    }
    // Forgotten: a second purge of the account removes nothing more.
    const again: PurgedViews[] = []
    record.purge(7, { replicas: all, isDown: () => false, durable: true }, again)
    expect(again).toEqual([])
    expect(all[0]?.viewCount[3]).toBe(1)
  })

  it('a region down at the purge takes the removal when it is back (durable purges), or never', () => {
    for (const durable of [true, false]) {
      const all = replicas(2)
      const record = new AccountViews({ regions: 2 })
      for (const replica of all) replica.applyView(2, true, 0)
      record.record(2, 4, true)
      record.purge(4, { replicas: all, isDown: (region) => region === 1, durable }, [])
      expect(all[0]?.viewCount[2]).toBe(0)
      expect(all[1]?.viewCount[2]).toBe(1)
      expect(record.pendingFor(1)).toBe(durable ? 1 : 0)
      record.recover(1, all[1] as RegionReplica)
      expect(all[1]?.viewCount[2]).toBe(durable ? 0 : 1)
      expect(record.pendingFor(1)).toBe(0)
    }
  })
})

/** robust in three regions, u0..u9 and v0..v4, through the system interface. */
function robustRig({ purgesMayRun = true }: { purgesMayRun?: boolean } = {}) {
  const env = new Environment({ regions: REGIONS.map((id) => ({ id, capacityRps: 1e6, cacheCapacityOpsPerS: 1e6 })), lagMs: () => LAG_MS, seed: 1, serviceTimeMs: 4, serviceJitterMeanMs: 2, cacheTimeoutMs: 50 })
  for (let i = 0; i < 10; i++) env.directory.addUser(userRecord(`u${i}`, i))
  for (let v = 0; v < 5; v++) env.directory.addVideo({ videoId: `v${v}`, creatorId: 'u0' })
  const settings = { idempotencyTtlMs: 30_000, idempotencyMaxKeys: 10_000, notificationDelayMs: 500, inboxMax: 100, counterWritesPerSPerShard: 1e6, replicationBacklogMaxEntries: 10_000, purgesMayRun }
  const system = robust.create(env, settings) as unknown as EngagementSystem
  env.attach(system)
  system.onDirectory()
  const request = (fields: Partial<SystemRequest>): SystemRequest => ({ region: 0, user: -1, video: -1, key: undefined, clientBlock: -1, watchMs: 10, afterVideo: -1, limit: 10, ...fields })
  const view = (nowMs: number, region: number, user: number, video: number): void => {
    env.advanceTo(nowMs)
    expect(system.view(request({ region, user, video }), new CoreReply()).ok).toBe(true)
  }
  const counts = (nowMs: number, region: number, video: number): [number, number] => {
    env.advanceTo(nowMs)
    const reply = system.readCounts(request({ region, video }), new CoreReply())
    return [reply.viewCount, reply.uniqueViewers]
  }
  const purge = (nowMs: number, user: number): PurgedViews[] => {
    env.advanceTo(nowMs)
    env.directory.markDeleted(user)
    const removedViews: PurgedViews[] = []
    system.purgeAccount(user, [] as PurgedPair[], removedViews)
    return removedViews
  }
  return { env, system, view, counts, purge }
}

describe('robust removes a purged account\'s views in every region', () => {
  it('a view replicated and still on its way at the purge: read as 0 meanwhile (never below), right once it lands', () => {
    const { view, counts, purge } = robustRig()
    view(1000, 0, 7, 1)
    view(1001, 1, 8, 1)
    view(5000, 2, 7, 1) // on its way to us-east and eu-west when the purge comes
    view(5000, 2, 7, 4) // v4's only view, on its way too
    expect(purge(5001, 7)).toEqual([
      { user: 7, video: 1, views: 2 },
      { user: 7, video: 4, views: 1 },
    ])
    expect(counts(5002, 2, 1)).toEqual([1, 1])
    // us-east counts v4 one below its views (-1) until u7's view lands: answered as 0, never below.
    expect(counts(5002, 0, 4)).toEqual([0, 0])
    // us-east has u7's first view and u8's, not u7's second yet: 2 - 2 = 0 views (of 2 unique viewers, 1 left) until it lands.
    expect(counts(5002, 0, 1)).toEqual([0, 1])
    for (const region of [0, 1, 2]) expect(counts(5000 + SETTLED_MS + 10, region, 1)).toEqual([1, 1])
    for (const region of [0, 1, 2]) expect(counts(5000 + SETTLED_MS + 10, region, 4)).toEqual([0, 0])
  })

  it('a region down at the purge takes the removal when it is back', () => {
    const { env, view, counts, purge } = robustRig()
    view(1000, 0, 7, 2)
    view(1001, 0, 6, 2)
    env.setRegionUp('ap-southeast', false, 2000)
    purge(2500, 7)
    expect(counts(2600, 0, 2)).toEqual([1, 1])
    env.setRegionUp('ap-southeast', true, 4000)
    expect(counts(4000 + SETTLED_MS, 2, 2)).toEqual([1, 1])
  })

  it('keeps no record when no purge may run (SystemSettings.purgesMayRun false): nothing to remove', () => {
    const { view, counts, purge } = robustRig({ purgesMayRun: false })
    view(1000, 0, 7, 3)
    expect(purge(2000, 7)).toEqual([])
    expect(counts(2000 + SETTLED_MS, 1, 3)).toEqual([1, 1])
  })
})

describe('a core told that no purge runs', () => {
  it('refuses to begin one: the system kept nothing a purge would read', () => {
    const regions = REGIONS.map((id) => ({ id, capacityRps: 1000, cacheCapacityOpsPerS: 1000 }))
    const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions }, robust, { purges: false })
    expect(() => core.runBotPurge(1000)).toThrow(/purges: false/)
    expect(() => core.runInactivePurge(1000, { idleDays: 30 })).toThrow(/purges: false/)
  })
})
