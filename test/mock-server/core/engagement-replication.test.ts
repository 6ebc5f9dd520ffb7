// EngagementCore's replication log stays bounded: with one region it keeps nothing, with several it
// compacts what every region has applied, and while a region is down or cut off it keeps at most
// replicationBacklogMaxEntries of each region's writes; past that the region resyncs from its peers
// when it comes back (counted, visible in the state), and no acknowledged like or view is lost.
import { describe, expect, it } from 'vitest'
import { DEFAULT_CORE_CONFIG, type CoreConfig } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { CoreConfigError } from '../../../mock-server/core/errors.ts'
import { ROBUST } from '../../../mock-server/core/strategy.ts'
import type { DirectoryLoad } from '../../../mock-server/core/types.ts'
import { userRecord } from '../../helpers/user-record.ts'

const US = 'us-east'
const EU = 'eu-west'
const AP = 'ap-southeast'
const USERS = 2000
const VIDEOS = 500
const DAY_MS = 86_400_000

const DIRECTORY: DirectoryLoad = {
  users: [
    userRecord('c1', 0),
    ...Array.from({ length: USERS }, (_, i) => userRecord(`u${i}`, i + 1, i < 20 ? { lastActiveAtMs: -400 * DAY_MS } : {})),
  ],
  videos: Array.from({ length: VIDEOS }, (_, v) => ({ videoId: `v${v}`, creatorId: 'c1' })),
}

function makeCore(regionIds: readonly string[], overrides: Partial<CoreConfig> = {}): EngagementCore {
  const regions = regionIds.map((id) => ({ id, capacityRps: 1e9, cacheCapacityOpsPerS: 1e9 }))
  const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions, counterWritesPerSPerShard: 1e9, ...overrides }, ROBUST)
  core.loadDirectory(DIRECTORY)
  return core
}

/** `writes` likes and unlikes at 2,000 per second from region 0; the largest log size seen. */
function writeMany(core: EngagementCore, writes: number): { maxLogEntries: number; endMs: number } {
  let maxLogEntries = 0
  const u0 = core.directory.user('u0')
  const v0 = core.directory.video('v0')
  for (let i = 0; i < writes; i++) {
    const result = core.likeInto(REPLY, i * 0.5, 0, u0 + (i % USERS), v0 + ((i * 7) % VIDEOS), undefined, (i & 1) === 0)
    if (!result.ok) throw new Error(result.code)
    if (i % 100_000 === 0) maxLogEntries = Math.max(maxLogEntries, core.state(i * 0.5).counters.replicationLogEntries)
  }
  return { maxLogEntries, endMs: writes * 0.5 }
}

const REPLY = new (await import('../../../mock-server/core/core-reply.ts')).CoreReply()

describe('the replication log is compacted', () => {
  it('one region: 2M writes leave nothing in the log (it has no reader)', () => {
    const core = makeCore([US])
    const { maxLogEntries, endMs } = writeMany(core, 2_000_000)
    expect(maxLogEntries).toBe(0)
    expect(core.state(endMs).counters.replicationLogEntries).toBe(0)
  })

  it('two regions: 500k writes keep the log near the compaction threshold, not 500k entries', () => {
    const core = makeCore([US, EU])
    const { maxLogEntries, endMs } = writeMany(core, 500_000)
    expect(maxLogEntries).toBeLessThan(140_000)
    const state = core.state(endMs + 1000)
    expect(state.regions.map((region) => region.countsDigest)).toEqual([state.regions[0]?.countsDigest, state.regions[0]?.countsDigest])
  })
})

describe('while a region is down the log is capped; past the cap the region resyncs when it returns', () => {
  /** Likes, unlikes and views from the regions that are up; returns what the last write of each pair was. */
  function traffic(core: EngagementCore, { fromMs, count, regions }: { fromMs: number; count: number; regions: readonly string[] }): Map<string, boolean> {
    const last = new Map<string, boolean>()
    for (let i = 0; i < count; i++) {
      const nowMs = fromMs + i
      const region = regions[i % regions.length] as string
      const userId = `u${20 + ((i * 13) % (USERS - 20))}`
      const videoId = `v${(i * 7) % VIDEOS}`
      if (i % 3 === 2) {
        const view = core.view({ nowMs, region, userId, videoId, watchMs: 1000 })
        if (!view.ok) throw new Error(view.code)
        continue
      }
      const liked = i % 5 !== 4
      const result = liked ? core.like({ nowMs, region, userId, videoId }) : core.unlike({ nowMs, region, userId, videoId })
      if (!result.ok) throw new Error(result.code)
      last.set(`${userId}/${videoId}`, liked)
    }
    return last
  }

  it('an outage past the cap: the log stays bounded, the state says a resync is pending, and the region converges with every like', () => {
    const core = makeCore([US, EU, AP], { replicationBacklogMaxEntries: 5000 })
    traffic(core, { fromMs: 0, count: 3000, regions: [US, EU, AP] })
    // u0..u19 have been idle for a year; each liked five videos long ago
    core.importLikes(Array.from({ length: 100 }, (_, i) => ({ userId: `u${i % 20}`, videoId: `v${Math.floor(i / 20)}`, atMs: -300 * DAY_MS })))
    core.setRegionUp(EU, false, 4000)
    const last = traffic(core, { fromMs: 5000, count: 300_000, regions: [US, AP] })
    // a purge while EU is down (the purge job's log is not capped: it reaches EU on its return)
    const purge = core.runInactivePurge(310_000, { idleDays: 300 })
    expect([purge.accounts.length, purge.removedLikes.length]).toEqual([20, 100])
    const down = core.state(310_000)
    expect(down.counters).toMatchObject({ replicationOverflows: 2, replicationResyncs: 0 })
    expect(down.counters.replicationOverflowedEntries).toBeGreaterThan(2 * 5000)
    // US and AP wrote 200,000 entries each meanwhile; each log keeps at most the cap or the
    // compaction threshold (2^16 entries, looked at every 4096 appends), plus the purge's 100
    expect(down.counters.replicationLogEntries).toBeLessThan(2 * (2 ** 16 + 4096 + 5000) + 100)
    // what EU waits for now is the purge's 100 removals; the regions' writes come by the resync
    expect(down.regions.find((region) => region.region === EU)).toMatchObject({ up: false, resyncPending: true, replicationPending: 100 })

    core.setRegionUp(EU, true, 311_000)
    const back = core.state(312_000)
    expect(back.counters).toMatchObject({ replicationOverflows: 2, replicationResyncs: 2 })
    expect(back.counters.replicationResyncedPairs).toBeGreaterThan(0)
    expect(back.regions.map((region) => region.resyncPending)).toEqual([false, false, false])
    const [us, eu, ap] = back.regions
    expect(eu?.countsDigest).toBe(us?.countsDigest)
    expect(ap?.countsDigest).toBe(us?.countsDigest)
    expect([eu?.likeTotal, eu?.viewTotal]).toEqual([us?.likeTotal, us?.viewTotal])
    // every pair's last acknowledged write holds in the region that missed them
    let wrong = 0
    for (const [pair, liked] of last) {
      const [userId, videoId] = pair.split('/') as [string, string]
      const read = core.readLiked({ nowMs: 312_000, region: EU, userId, videoId })
      if (!read.ok || read.value.liked !== liked) wrong++
    }
    expect(wrong).toBe(0)
    // and the region follows the log again afterwards
    traffic(core, { fromMs: 320_000, count: 300, regions: [US, EU, AP] })
    const after = core.state(330_000)
    expect(after.regions.map((region) => region.countsDigest)).toEqual(Array(3).fill(after.regions[0]?.countsDigest))
    expect(after.counters.replicationResyncs).toBe(2)
  })

  it('a partition past the cap heals by resync in both directions', () => {
    const core = makeCore([US, EU], { replicationBacklogMaxEntries: 1000 })
    core.setPartition(US, EU, true, 0)
    traffic(core, { fromMs: 1000, count: 9000, regions: [US, EU] })
    expect(core.state(10_000).regions.map((region) => region.resyncPending)).toEqual([true, true])
    core.setPartition(US, EU, false, 10_500)
    const healed = core.state(11_000)
    expect(healed.counters).toMatchObject({ replicationOverflows: 2, replicationResyncs: 2 })
    expect(healed.regions[0]?.countsDigest).toBe(healed.regions[1]?.countsDigest)
    expect(healed.regions[0]?.viewTotal).toBe(3000)
  })

  it('an outage within the cap catches up by replay, with no resync', () => {
    const core = makeCore([US, EU])
    core.setRegionUp(EU, false, 0)
    traffic(core, { fromMs: 1000, count: 9000, regions: [US] })
    expect(core.state(10_000).regions[1]).toMatchObject({ resyncPending: false, replicationPending: 9000 })
    core.setRegionUp(EU, true, 10_500)
    const back = core.state(11_000)
    expect(back.counters).toMatchObject({ replicationOverflows: 0, replicationResyncs: 0 })
    expect(back.regions[0]?.countsDigest).toBe(back.regions[1]?.countsDigest)
  })

  it('refuses a cap that is not a whole number > 0', () => {
    for (const replicationBacklogMaxEntries of [0, -1, 1.5, Number.NaN]) expect(() => makeCore([US], { replicationBacklogMaxEntries })).toThrow(CoreConfigError)
  })
})
