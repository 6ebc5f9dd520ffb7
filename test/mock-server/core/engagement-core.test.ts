// EngagementCore, the API without faults: likes and unlikes, idempotency keys, views, errors,
// replication between regions and its watermark, likes pages, notifications, state, determinism.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_CORE_CONFIG, type CoreConfig, type RegionConfig } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { CoreConfigError } from '../../../mock-server/core/errors.ts'
import { NAIVE, ROBUST, type StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import type { CoreResult, DirectoryLoad } from '../../../mock-server/core/types.ts'
import { userRecord } from '../../helpers/user-record.ts'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { SYSTEM_TICK_MS } from '../../../mock-server/systems/system.ts'

// ---- fixture ---------------------------------------------------------------------------------

const US = 'us-east'
const EU = 'eu-west'
const AP = 'ap-southeast'

const REGIONS: RegionConfig[] = [US, EU, AP].map((id) => ({ id, capacityRps: 100_000, cacheCapacityOpsPerS: 100_000 }))


const USERS = Array.from({ length: 20 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`)
const VIDEOS = Array.from({ length: 8 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)
const DIRECTORY: DirectoryLoad = {
  users: [userRecord('c1', 200), userRecord('c2', 201), ...USERS.map((id, i) => userRecord(id, i))],
  videos: VIDEOS.map((videoId, i) => ({ videoId, creatorId: i % 2 === 0 ? 'c1' : 'c2' })),
}

function makeCore(strategy: StrategyBehaviour = ROBUST, overrides: Partial<CoreConfig> = {}): EngagementCore {
  const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions: REGIONS, ...overrides }, strategy)
  core.loadDirectory(DIRECTORY)
  return core
}

function ok<T>(result: CoreResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}`)
  return result.value
}

function codeOf(result: CoreResult<unknown>): string {
  return result.ok ? 'ok' : result.code
}

function likeCount(core: EngagementCore, region: string, videoId: string, nowMs: number): number {
  return ok(core.readVideo({ nowMs, region, videoId })).likeCount
}

// ---- tests -----------------------------------------------------------------------------------

describe('EngagementCore setup', () => {
  it('loads a directory and reports rejected videos (unknown creator)', () => {
    const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions: REGIONS }, ROBUST)
    const loaded = core.loadDirectory({
      users: DIRECTORY.users,
      videos: [...DIRECTORY.videos, { videoId: 'orphan', creatorId: 'ghost' }],
    })
    expect(loaded).toEqual({ users: 22, videos: 8, rejectedVideos: ['orphan'] })
    expect(core.regionIds).toEqual([US, EU, AP])
    expect(core.regionHandle(EU)).toBe(1)
    expect(core.regionHandle('mars')).toBe(-1)
  })

  it('validates its config', () => {
    expect(() => new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions: [] }, ROBUST)).toThrow(CoreConfigError)
  })

  it('a directory loaded in two steps grows every region (new videos start at zero)', () => {
    const core = makeCore()
    ok(core.like({ nowMs: 0, region: US, userId: 'u01', videoId: 'v01' }))
    core.loadDirectory({ users: [], videos: [{ videoId: 'v99', creatorId: 'c1' }] })
    expect(likeCount(core, US, 'v99', 10)).toBe(0)
    expect(likeCount(core, US, 'v01', 10)).toBe(1)
    ok(core.like({ nowMs: 20, region: EU, userId: 'u01', videoId: 'v99' }))
    expect(likeCount(core, AP, 'v99', 200)).toBe(1)
  })
})

describe('EngagementCore likes', () => {
  it('a like returns the new count, liked state and a modelled latency', () => {
    const core = makeCore()
    const result = core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.replayed).toBe(false)
    expect(result.value).toMatchObject({ videoId: 'v01', userId: 'u01', liked: true, likeCount: 1, stale: false })
    expect(result.value.asOfMs).toBeLessThanOrEqual(1000)
    expect(result.latencyMs).toBeGreaterThanOrEqual(DEFAULT_CORE_CONFIG.serviceTimeMs)
    expect(ok(core.readLiked({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01' })).liked).toBe(true)
    expect(ok(core.readLiked({ nowMs: 1001, region: US, userId: 'u02', videoId: 'v01' })).liked).toBe(false)
  })

  it('counts distinct likers', () => {
    const core = makeCore()
    for (let i = 0; i < 5; i++) ok(core.like({ nowMs: 1000 + i, region: US, userId: USERS[i] as string, videoId: 'v03' }))
    expect(likeCount(core, US, 'v03', 1010)).toBe(5)
    expect(likeCount(core, US, 'v04', 1010)).toBe(0)
  })

  it('robust: the same Idempotency-Key replays the stored response and changes nothing', () => {
    const core = makeCore(ROBUST)
    const first = core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' })
    ok(core.like({ nowMs: 1001, region: US, userId: 'u02', videoId: 'v01' }))
    const retry = core.like({ nowMs: 1002, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' })
    expect(retry.ok && retry.replayed).toBe(true)
    // the stored response, not the current count (2)
    expect(ok(retry).likeCount).toBe(ok(first).likeCount)
    expect(ok(retry).asOfMs).toBe(ok(first).asOfMs)
    expect(likeCount(core, US, 'v01', 1003)).toBe(2)
    expect(core.state(1003).counters.idempotentReplays).toBe(1)
  })

  it('robust: a retry with the same key in another region replays too', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' }))
    const retry = core.like({ nowMs: 1010, region: EU, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' })
    expect(retry.ok && retry.replayed).toBe(true)
    expect(likeCount(core, EU, 'v01', 2000)).toBe(1)
  })

  it('robust: numeric keys (in-process handles API) replay as well', () => {
    const core = makeCore(ROBUST)
    const user = core.directory.user('u01')
    const video = core.directory.video('v01')
    const first = core.likeInto(new CoreReply(), 1000, 0, user, video, 42, true)
    const again = core.likeInto(new CoreReply(), 1001, 0, user, video, 42, true)
    expect(first.ok && !first.replayed).toBe(true)
    expect(again.ok && again.replayed).toBe(true)
    // a string "42" is a different key
    const text = core.likeInto(new CoreReply(), 1002, 0, user, video, '42', true)
    expect(text.ok && !text.replayed).toBe(true)
  })

  it('robust: a second like without a key does not double count', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    const second = ok(core.like({ nowMs: 1500, region: US, userId: 'u01', videoId: 'v01' }))
    expect(second.likeCount).toBe(1)
    expect(likeCount(core, US, 'v01', 1600)).toBe(1)
    expect(likeCount(core, EU, 'v01', 1600)).toBe(1)
  })

  it('naive: a second like without a key double counts, and keys are not honoured', () => {
    const core = makeCore(NAIVE)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    expect(ok(core.like({ nowMs: 1500, region: US, userId: 'u01', videoId: 'v01' })).likeCount).toBe(2)
    const keyed1 = core.like({ nowMs: 1600, region: US, userId: 'u02', videoId: 'v02', idempotencyKey: 'k' })
    const keyed2 = core.like({ nowMs: 1700, region: US, userId: 'u02', videoId: 'v02', idempotencyKey: 'k' })
    expect(keyed1.ok && keyed2.ok && !keyed2.replayed).toBe(true)
    expect(likeCount(core, US, 'v02', 1800)).toBe(2)
  })

  it('the same key with a different request is refused with LS_CORE_IDEMPOTENCY_MISMATCH and applies nothing', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' }))
    expect(codeOf(core.like({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v02', idempotencyKey: 'k1' }))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
    expect(codeOf(core.unlike({ nowMs: 1003, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k1' }))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
    expect(codeOf(core.view({ nowMs: 1004, region: US, userId: 'u01', videoId: 'v01', watchMs: 5, idempotencyKey: 'k1' }))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
    expect(likeCount(core, US, 'v02', 1005)).toBe(0)
    expect(likeCount(core, US, 'v01', 1005)).toBe(1)
    expect(ok(core.readLiked({ nowMs: 1006, region: US, userId: 'u01', videoId: 'v01' })).liked).toBe(true)
  })

  it('an idempotency key expires after idempotencyTtlMs', () => {
    const core = makeCore(ROBUST, { idempotencyTtlMs: 1000 })
    ok(core.like({ nowMs: 0, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))
    const within = core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' })
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v02', idempotencyKey: 'k' }))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
    const after = core.like({ nowMs: 2001, region: US, userId: 'u01', videoId: 'v02', idempotencyKey: 'k' })
    expect(within.ok && within.replayed).toBe(true)
    // the key is free again: another request of its user may use it
    expect(after.ok && !after.replayed).toBe(true)
    expect(likeCount(core, US, 'v02', 2002)).toBe(1)
  })

  it('a failed request stores no response: its retry with the same key is applied', () => {
    const core = makeCore(ROBUST)
    core.setRegionUp(US, false, 900)
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('LS_CORE_REGION_DOWN')
    const retry = core.like({ nowMs: 1100, region: EU, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' })
    expect(retry.ok && !retry.replayed).toBe(true)
    expect(likeCount(core, EU, 'v01', 1101)).toBe(1)
  })

  it('unlike removes the like in every region; unliking what was never liked keeps 0', () => {
    for (const strategy of [ROBUST, NAIVE]) {
      const core = makeCore(strategy)
      ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
      ok(core.like({ nowMs: 1000, region: US, userId: 'u02', videoId: 'v01' }))
      const unliked = ok(core.unlike({ nowMs: 2000, region: US, userId: 'u01', videoId: 'v01' }))
      expect(unliked).toMatchObject({ liked: false, likeCount: 1 })
      ok(core.unlike({ nowMs: 2001, region: US, userId: 'u03', videoId: 'v02' }))
      expect(likeCount(core, US, 'v02', 2002)).toBe(0)
      for (const region of [US, EU, AP]) {
        expect(likeCount(core, region, 'v01', 3000)).toBe(1)
        expect(ok(core.readLiked({ nowMs: 3000, region, userId: 'u01', videoId: 'v01' })).liked).toBe(false)
        expect(ok(core.readLiked({ nowMs: 3000, region, userId: 'u02', videoId: 'v01' })).liked).toBe(true)
      }
    }
  })

  it('robust: a like and an unlike of one pair at the same instant in two regions converge to one answer', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    ok(core.like({ nowMs: 2000, region: US, userId: 'u01', videoId: 'v01' }))
    ok(core.unlike({ nowMs: 2000, region: EU, userId: 'u01', videoId: 'v01' }))
    const answers = [US, EU, AP].map((region) => ok(core.readLiked({ nowMs: 3000, region, userId: 'u01', videoId: 'v01' })).liked)
    expect(new Set(answers).size).toBe(1)
    const counts = [US, EU, AP].map((region) => likeCount(core, region, 'v01', 3000))
    expect(new Set(counts).size).toBe(1)
    expect(counts[0]).toBe(answers[0] ? 1 : 0)
    const digests = core.regionDigests(3000)
    expect(new Set(digests).size).toBe(1)
  })

  // BUG (mock-server/core/region-replica.ts:79 with engagement-core.ts:583): two writes of one pair
  // made in the same region at the same instant get the same LWW stamp (lwwStamp(nowMs, region)),
  // and applyLikeState treats an equal stamp as "the same write arriving twice". The second write
  // is acknowledged (liked: false) but silently not applied: the like stays.
  it('robust: an unlike right after a like (same region, same ms) is applied', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    const unliked = ok(core.unlike({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    expect(unliked.liked).toBe(false)
    expect(unliked.likeCount).toBe(0)
    expect(ok(core.readLiked({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01' })).liked).toBe(false)
    for (const region of [US, EU, AP]) expect(likeCount(core, region, 'v01', 2000)).toBe(0)
  })

  it('robust: an unlike one microsecond after the like is applied (the stamp resolution)', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    expect(ok(core.unlike({ nowMs: 1000.001, region: US, userId: 'u01', videoId: 'v01' })).likeCount).toBe(0)
    for (const region of [US, EU, AP]) expect(likeCount(core, region, 'v01', 2000)).toBe(0)
  })

  it('robust: an unlike in one region that overtakes its like from another region wins everywhere', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    ok(core.unlike({ nowMs: 1050, region: EU, userId: 'u01', videoId: 'v01' })) // before the like reached EU
    for (const region of [US, EU, AP]) expect(likeCount(core, region, 'v01', 2000)).toBe(0)
  })
})

describe('EngagementCore errors', () => {
  it('unknown region -> LS_CORE_UNKNOWN_REGION on every request', () => {
    const core = makeCore()
    const region = 'mars'
    expect(codeOf(core.like({ nowMs: 0, region, userId: 'u01', videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.unlike({ nowMs: 0, region, userId: 'u01', videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.view({ nowMs: 0, region, userId: 'u01', videoId: 'v01', watchMs: 1 }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.readVideo({ nowMs: 0, region, videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.readLiked({ nowMs: 0, region, userId: 'u01', videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.listLikes({ nowMs: 0, region, userId: 'u01', limit: 5 }))).toBe('LS_CORE_UNKNOWN_REGION')
    expect(codeOf(core.readNotifications({ nowMs: 0, region, userId: 'c1', limit: 5 }))).toBe('LS_CORE_UNKNOWN_REGION')
  })

  it('unknown user -> LS_CORE_UNKNOWN_USER', () => {
    const core = makeCore()
    const userId = 'nobody'
    expect(codeOf(core.like({ nowMs: 0, region: US, userId, videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_USER')
    expect(codeOf(core.unlike({ nowMs: 0, region: US, userId, videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_USER')
    expect(codeOf(core.view({ nowMs: 0, region: US, userId, videoId: 'v01', watchMs: 1 }))).toBe('LS_CORE_UNKNOWN_USER')
    expect(codeOf(core.readLiked({ nowMs: 0, region: US, userId, videoId: 'v01' }))).toBe('LS_CORE_UNKNOWN_USER')
    expect(codeOf(core.listLikes({ nowMs: 0, region: US, userId, limit: 5 }))).toBe('LS_CORE_UNKNOWN_USER')
    expect(codeOf(core.readNotifications({ nowMs: 0, region: US, userId, limit: 5 }))).toBe('LS_CORE_UNKNOWN_USER')
  })

  it('unknown video -> LS_CORE_UNKNOWN_VIDEO', () => {
    const core = makeCore()
    const videoId = 'nothing'
    expect(codeOf(core.like({ nowMs: 0, region: US, userId: 'u01', videoId }))).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(codeOf(core.unlike({ nowMs: 0, region: US, userId: 'u01', videoId }))).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(codeOf(core.view({ nowMs: 0, region: US, userId: 'u01', videoId, watchMs: 1 }))).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(codeOf(core.readVideo({ nowMs: 0, region: US, videoId }))).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(codeOf(core.readLiked({ nowMs: 0, region: US, userId: 'u01', videoId }))).toBe('LS_CORE_UNKNOWN_VIDEO')
  })

  it.each([-1, 1.5, 86_400_001, Number.NaN, Number.POSITIVE_INFINITY])('watchMs %s -> LS_CORE_BAD_WATCH_MS, nothing counted', (watchMs) => {
    const core = makeCore()
    const result = core.view({ nowMs: 0, region: US, userId: 'u01', videoId: 'v01', watchMs })
    expect(codeOf(result)).toBe('LS_CORE_BAD_WATCH_MS')
    expect(ok(core.readVideo({ nowMs: 1, region: US, videoId: 'v01' })).viewCount).toBe(0)
  })

  it.each([0, 86_400_000])('watchMs %s is accepted (bounds inclusive)', (watchMs) => {
    const core = makeCore()
    expect(codeOf(core.view({ nowMs: 0, region: US, userId: 'u01', videoId: 'v01', watchMs }))).toBe('ok')
  })

  it('fault setters refuse unknown regions and bad overload factors with CoreConfigError', () => {
    const core = makeCore()
    expect(() => core.setRegionUp('mars', false, 0)).toThrow(CoreConfigError)
    expect(() => core.setPartition(US, 'mars', true, 0)).toThrow(CoreConfigError)
    expect(() => core.setSlowCache('mars', 10)).toThrow(CoreConfigError)
    expect(() => core.setOverload(US, 0.5)).toThrow(CoreConfigError)
    expect(() => core.setOverload('mars', 2)).toThrow(CoreConfigError)
  })
})

describe('EngagementCore views', () => {
  it('counts views and unique viewers, replicated to every region', () => {
    const core = makeCore()
    ok(core.view({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', watchMs: 100 }))
    ok(core.view({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01', watchMs: 100 }))
    const third = ok(core.view({ nowMs: 1002, region: EU, userId: 'u02', videoId: 'v01', watchMs: 100 }))
    expect(third).toEqual({ videoId: 'v01', viewCount: 1, uniqueViewers: 1 }) // EU has not seen US's views yet
    // u01 viewing again from another region is not a new unique viewer
    ok(core.view({ nowMs: 1003, region: AP, userId: 'u01', videoId: 'v01', watchMs: 100 }))
    for (const region of [US, EU, AP]) {
      const counts = ok(core.readVideo({ nowMs: 2000, region, videoId: 'v01' }))
      expect(counts).toMatchObject({ viewCount: 4, uniqueViewers: 2 })
    }
  })

  it('robust: a view retried with the same key is counted once; another watchMs is a mismatch', () => {
    const core = makeCore(ROBUST)
    const first = ok(core.view({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', watchMs: 100, idempotencyKey: 'w' }))
    const retry = core.view({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01', watchMs: 100, idempotencyKey: 'w' })
    expect(retry.ok && retry.replayed).toBe(true)
    expect(ok(retry)).toEqual(first)
    expect(codeOf(core.view({ nowMs: 1002, region: US, userId: 'u01', videoId: 'v01', watchMs: 101, idempotencyKey: 'w' }))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
    expect(ok(core.readVideo({ nowMs: 1003, region: US, videoId: 'v01' })).viewCount).toBe(1)
  })

  it('naive: a view retried with the same key is counted twice', () => {
    const core = makeCore(NAIVE)
    ok(core.view({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', watchMs: 100, idempotencyKey: 'w' }))
    ok(core.view({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01', watchMs: 100, idempotencyKey: 'w' }))
    expect(ok(core.readVideo({ nowMs: 1003, region: US, videoId: 'v01' })).viewCount).toBe(2)
  })
})

describe('EngagementCore replication', () => {
  it('a like reaches the other regions after the configured lag (and at most a tick of batching), not before', () => {
    const core = makeCore(ROBUST, { replicationLagMs: { 'us-east>ap-southeast': 400 } })
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    expect(likeCount(core, US, 'v01', 1000)).toBe(1)
    expect(likeCount(core, EU, 'v01', 1099)).toBe(0)
    expect(likeCount(core, AP, 'v01', 1099)).toBe(0)
    expect(likeCount(core, EU, 'v01', 1100 + SYSTEM_TICK_MS)).toBe(1)
    expect(likeCount(core, AP, 'v01', 1399)).toBe(0)
    expect(likeCount(core, AP, 'v01', 1400 + SYSTEM_TICK_MS)).toBe(1)
    expect(ok(core.readLiked({ nowMs: 1400 + SYSTEM_TICK_MS, region: AP, userId: 'u01', videoId: 'v01' })).liked).toBe(true)
  })

  it('robust: asOfMs is the replication watermark: <= nowMs, held back by undelivered writes', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    const before = ok(core.readVideo({ nowMs: 1050, region: EU, videoId: 'v01' }))
    expect(before).toMatchObject({ likeCount: 0, stale: false })
    // EU has not heard of anything US wrote from 1000 on
    expect(before.asOfMs).toBeLessThanOrEqual(1000)
    const after = ok(core.readVideo({ nowMs: 1200, region: EU, videoId: 'v01' }))
    expect(after.likeCount).toBe(1)
    expect(after.asOfMs).toBeGreaterThan(1000)
    expect(after.asOfMs).toBeLessThanOrEqual(1200)
    ok(core.like({ nowMs: 1300, region: EU, userId: 'u02', videoId: 'v02' }))
    const [, eu, ap] = core.regionWatermarks(1350) as [number, number, number]
    expect(ap).toBeLessThanOrEqual(1300) // EU's write is not there yet
    expect(eu).toBeGreaterThan(1200)
    const liked = ok(core.readLiked({ nowMs: 1350, region: AP, userId: 'u02', videoId: 'v02' }))
    expect(liked.liked).toBe(false)
    expect(liked.asOfMs).toBeLessThanOrEqual(1300)
  })

  it('robust: a like response reports the watermark of its region', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    const response = ok(core.like({ nowMs: 1040, region: EU, userId: 'u02', videoId: 'v01' }))
    // EU has not yet received the US like: count 1 (its own), as of 1000
    expect(response).toMatchObject({ likeCount: 1, asOfMs: 1000 })
  })

  it('naive: asOfMs is always nowMs, even when writes are missing', () => {
    const core = makeCore(NAIVE)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    expect(ok(core.readVideo({ nowMs: 1050, region: EU, videoId: 'v01' }))).toMatchObject({ likeCount: 0, asOfMs: 1050 })
  })
})

describe('EngagementCore likes pages', () => {
  function coreWithLikes(count: number): EngagementCore {
    const core = makeCore()
    // liked in a scrambled order: pages come back sorted by video id
    for (const i of [4, 0, 7, 2, 5, 1, 6, 3].filter((i) => i < count)) {
      ok(core.like({ nowMs: 1000 + i, region: US, userId: 'u01', videoId: VIDEOS[i] as string }))
    }
    return core
  }

  it('pages through a user\'s likes with a cursor; nextCursor is null at the end', () => {
    const core = coreWithLikes(5)
    const pages: string[][] = []
    let cursor: string | undefined
    for (let guard = 0; guard < 10; guard++) {
      const page = ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 2, cursor }))
      pages.push([...page.videoIds])
      if (page.nextCursor === null) break
      expect(page.nextCursor).toBe(page.videoIds[page.videoIds.length - 1])
      cursor = page.nextCursor
    }
    expect(pages).toEqual([['v01', 'v02'], ['v03', 'v04'], ['v05']])
  })

  it('nextCursor is null when the last page is exactly full', () => {
    const core = coreWithLikes(4)
    const first = ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 2 }))
    expect(first.nextCursor).toBe('v02')
    const second = ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 2, cursor: 'v02' }))
    expect(second).toMatchObject({ videoIds: ['v03', 'v04'], nextCursor: null })
    const all = ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 4 }))
    expect(all).toMatchObject({ videoIds: ['v01', 'v02', 'v03', 'v04'], nextCursor: null })
  })

  it('clamps the limit to at least 1; an empty cursor starts at the beginning; a cursor past the end gives an empty page', () => {
    const core = coreWithLikes(3)
    expect(ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 0 })).videoIds).toEqual(['v01'])
    expect(ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 2.9 })).videoIds).toEqual(['v01', 'v02'])
    expect(ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 10, cursor: '' })).videoIds).toEqual(['v01', 'v02', 'v03'])
    expect(ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u01', limit: 10, cursor: 'zzz' }))).toMatchObject({ videoIds: [], nextCursor: null })
  })

  it('a user without likes gets an empty page; unliked videos leave the list', () => {
    const core = coreWithLikes(3)
    expect(ok(core.listLikes({ nowMs: 2000, region: US, userId: 'u02', limit: 10 }))).toEqual({
      userId: 'u02',
      videoIds: [],
      nextCursor: null,
      asOfMs: expect.any(Number),
    })
    ok(core.unlike({ nowMs: 2001, region: US, userId: 'u01', videoId: 'v02' }))
    expect(ok(core.listLikes({ nowMs: 2002, region: US, userId: 'u01', limit: 10 })).videoIds).toEqual(['v01', 'v03'])
  })

  it('lists what the region holds: another region only after replication', () => {
    const core = coreWithLikes(2)
    expect(ok(core.listLikes({ nowMs: 1050, region: EU, userId: 'u01', limit: 10 })).videoIds).toEqual([])
    expect(ok(core.listLikes({ nowMs: 1200, region: EU, userId: 'u01', limit: 10 })).videoIds).toEqual(['v01', 'v02'])
  })
})

describe('EngagementCore notifications', () => {
  it('a like notifies the video creator after notificationDelayMs, newest first', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' })) // v01 by c1
    ok(core.like({ nowMs: 1100, region: EU, userId: 'u02', videoId: 'v03' })) // v03 by c1
    ok(core.like({ nowMs: 1100, region: EU, userId: 'u02', videoId: 'v02' })) // v02 by c2
    expect(ok(core.readNotifications({ nowMs: 1499, region: US, userId: 'c1', limit: 10 })).notifications).toEqual([])
    expect(ok(core.readNotifications({ nowMs: 1500, region: US, userId: 'c1', limit: 10 })).notifications).toEqual([
      { videoId: 'v01', fromUserId: 'u01', likedAtMs: 1000, deliveredAtMs: 1500 },
    ])
    const later = ok(core.readNotifications({ nowMs: 2000, region: AP, userId: 'c1', limit: 10 }))
    expect(later.userId).toBe('c1')
    expect(later.notifications.map((n) => n.videoId)).toEqual(['v03', 'v01'])
    expect(ok(core.readNotifications({ nowMs: 2000, region: AP, userId: 'c1', limit: 1 })).notifications.map((n) => n.videoId)).toEqual(['v03'])
    expect(ok(core.readNotifications({ nowMs: 2000, region: AP, userId: 'c2', limit: 10 })).notifications).toHaveLength(1)
  })

  it('a like that changes nothing (repeat, replay) sends no second notification; unlikes send none', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))
    ok(core.like({ nowMs: 1001, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))
    ok(core.like({ nowMs: 1002, region: US, userId: 'u01', videoId: 'v01' }))
    ok(core.unlike({ nowMs: 1003, region: US, userId: 'u01', videoId: 'v01' }))
    expect(ok(core.readNotifications({ nowMs: 5000, region: US, userId: 'c1', limit: 10 })).notifications).toHaveLength(1)
    expect(core.state(5000).counters).toMatchObject({ notificationsSent: 1, notificationsDelivered: 1, notificationsDropped: 0 })
  })

  it('the inbox is bounded by inboxMax (oldest evicted)', () => {
    const core = makeCore(ROBUST, { inboxMax: 3 })
    for (let i = 0; i < 5; i++) ok(core.like({ nowMs: 1000 + i, region: US, userId: USERS[i] as string, videoId: 'v01' }))
    const inbox = ok(core.readNotifications({ nowMs: 3000, region: US, userId: 'c1', limit: 100 })).notifications
    expect(inbox.map((n) => n.fromUserId)).toEqual(['u05', 'u04', 'u03'])
  })
})

describe('EngagementCore state', () => {
  it('describes every region, the faults and the counters', () => {
    const core = makeCore(ROBUST)
    ok(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01' }))
    ok(core.view({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', watchMs: 10 }))
    const during = core.state(1050)
    expect(during.nowMs).toBe(1050)
    expect(during.strategy).toBe('robust')
    expect(during.faults).toEqual([])
    expect(during.regions.map((r) => r.region)).toEqual([US, EU, AP])
    const [us, eu] = during.regions
    expect(us).toMatchObject({ up: true, likeTotal: 1, viewTotal: 1 })
    expect(eu).toMatchObject({ up: true, likeTotal: 0, viewTotal: 0 })
    expect(eu?.watermarkMs).toBeLessThanOrEqual(1000)
    expect(eu?.replicationLagMs).toBe(1050 - (eu?.watermarkMs ?? 0))
    expect(us?.countsDigest).not.toBe(eu?.countsDigest)
    for (const region of during.regions) {
      expect(region.queueDelayMs).toBeGreaterThanOrEqual(0)
      expect(region.cacheDelayMs).toBeGreaterThanOrEqual(0)
    }
    expect(during.counters).toMatchObject({ requests: 2, shed: 0, staleReads: 0, degradedZeroReads: 0, cacheTimeouts: 0, idempotentReplays: 0 })

    const after = core.state(2000)
    const digests = after.regions.map((r) => r.countsDigest)
    expect(new Set(digests).size).toBe(1)
    // Caught up: each region has heard from the others within a delay and a couple of ticks.
    expect(after.regions.every((r) => r.likeTotal === 1 && r.viewTotal === 1 && r.replicationLagMs <= 100 + 2 * SYSTEM_TICK_MS)).toBe(true)
    expect(after.counters.replicationApplied).toBe(4) // 2 entries x 2 other regions
    expect(core.regionDigests(2000)).toEqual(digests)
  })

  it('lists active faults', () => {
    const core = makeCore(ROBUST)
    core.setRegionUp(AP, false, 10)
    core.setPartition(US, EU, true, 10)
    core.setSlowCache(US, 80)
    core.setOverload(EU, 3)
    core.setTakenDown(['v02', 'v01'], true)
    // per region in region order, then partitions, then takedowns
    expect(core.state(20).faults).toEqual([
      { kind: 'slow-cache', region: US, latencyMs: 80 },
      { kind: 'overload', region: EU, factor: 3 },
      { kind: 'region-outage', region: AP },
      { kind: 'partition', a: EU, b: US },
      { kind: 'takedown', videoIds: ['v01', 'v02'] },
    ])
    core.setRegionUp(AP, true, 30)
    core.setPartition(EU, US, false, 30)
    core.setSlowCache(US, 0)
    core.setOverload(EU, 1)
    core.setTakenDown(['v01', 'v02'], false)
    expect(core.state(40).faults).toEqual([])
  })
})

describe('EngagementCore determinism', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  function script(core: EngagementCore): unknown[] {
    const out: unknown[] = []
    let t = 0
    for (let i = 0; i < 200; i++) {
      t += 7
      const user = USERS[i % USERS.length] as string
      const videoId = VIDEOS[(i * 3) % VIDEOS.length] as string
      const region = [US, EU, AP][i % 3] as string
      if (i === 60) core.setPartition(US, AP, true, t)
      if (i === 90) core.setSlowCache(EU, 70)
      if (i === 120) core.setPartition(US, AP, false, t)
      if (i === 130) core.setRegionUp(EU, false, t)
      if (i === 160) core.setRegionUp(EU, true, t)
      if (i % 5 === 0) out.push(core.view({ nowMs: t, region, userId: user, videoId, watchMs: i * 10, idempotencyKey: `v${i}` }))
      else if (i % 7 === 0) out.push(core.unlike({ nowMs: t, region, userId: user, videoId }))
      else if (i % 4 === 0) out.push(core.readVideo({ nowMs: t, region, videoId }))
      else out.push(core.like({ nowMs: t, region, userId: user, videoId, idempotencyKey: `k${i % 50}` }))
    }
    out.push(core.listLikes({ nowMs: t + 1, region: US, userId: 'u01', limit: 3 }))
    out.push(core.readNotifications({ nowMs: t + 2, region: US, userId: 'c1', limit: 10 }))
    out.push(core.runBotPurge(t + 3))
    out.push(core.runInactivePurge(t + 4, { idleDays: 0 }))
    out.push(core.state(t + 5000))
    return out
  }

  it('the same calls on two cores with the same seed give identical results', () => {
    for (const strategy of [ROBUST, NAIVE]) {
      const a = script(makeCore(strategy, { seed: 11 }))
      const b = script(makeCore(strategy, { seed: 11 }))
      expect(b).toEqual(a)
    }
  })

  it('another seed changes the modelled latencies (the seed is really used)', () => {
    const latencies = (seed: number) =>
      script(makeCore(ROBUST, { seed }))
        .slice(0, 200)
        .map((r) => (r as CoreResult<unknown>).latencyMs)
    expect(latencies(12)).not.toEqual(latencies(11))
  })

  it('never reads Math.random or Date.now', () => {
    const random = vi.spyOn(Math, 'random')
    const now = vi.spyOn(Date, 'now')
    const perf = vi.spyOn(performance, 'now')
    script(makeCore(ROBUST))
    script(makeCore(NAIVE))
    expect(random).not.toHaveBeenCalled()
    expect(now).not.toHaveBeenCalled()
    expect(perf).not.toHaveBeenCalled()
  })
})
