// EngagementCore and idempotency keys: a key belongs to its user; a retry of a stored key is
// answered before the client rate limiter and admission (a replay costs nothing); keys are kept
// for their whole configured TTL, and at the store's bound new keyed writes are refused, not
// applied, rather than a live key dropped.
import { describe, expect, it } from 'vitest'
import { DEFAULT_CORE_CONFIG, type CoreConfig, type RegionConfig } from '../../../mock-server/core/config.ts'
import { EngagementCore } from '../../../mock-server/core/engagement-core.ts'
import { CoreConfigError } from '../../../mock-server/core/errors.ts'
import { ROBUST } from '../../../mock-server/core/strategy.ts'
import type { CoreResult, DirectoryLoad } from '../../../mock-server/core/types.ts'
import { userRecord } from '../../helpers/user-record.ts'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'

const US = 'us-east'
const EU = 'eu-west'
const USERS = Array.from({ length: 20 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`)
const VIDEOS = Array.from({ length: 8 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)
const DIRECTORY: DirectoryLoad = {
  users: [userRecord('c1', 200), ...USERS.map((id, i) => userRecord(id, i))],
  videos: VIDEOS.map((videoId) => ({ videoId, creatorId: 'c1' })),
}

function makeCore({ capacityRps = 100_000, overrides = {} }: { capacityRps?: number; overrides?: Partial<CoreConfig> } = {}): EngagementCore {
  const regions: RegionConfig[] = [US, EU].map((id) => ({ id, capacityRps, cacheCapacityOpsPerS: 100_000 }))
  const core = new EngagementCore({ ...DEFAULT_CORE_CONFIG, regions, ...overrides }, ROBUST)
  core.loadDirectory(DIRECTORY)
  return core
}

function codeOf(result: CoreResult<unknown> | CoreReply): string {
  return result.ok ? (result.replayed ? 'replayed' : 'applied') : result.code
}

function likeTotal(core: EngagementCore, nowMs: number): number {
  return core.state(nowMs).regions.find((region) => region.region === US)?.likeTotal ?? Number.NaN
}

describe('idempotency keys are scoped to their user', () => {
  it('the same key from two users is two requests, each replayed to its own user', () => {
    const core = makeCore()
    const a = core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' })
    const b = core.like({ nowMs: 1001, region: US, userId: 'u02', videoId: 'v01', idempotencyKey: 'k' })
    expect([codeOf(a), codeOf(b)]).toEqual(['applied', 'applied'])
    const retryA = core.like({ nowMs: 1002, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' })
    const retryB = core.like({ nowMs: 1003, region: US, userId: 'u02', videoId: 'v01', idempotencyKey: 'k' })
    expect([codeOf(retryA), codeOf(retryB)]).toEqual(['replayed', 'replayed'])
    expect(retryA.ok && retryA.value).toMatchObject({ userId: 'u01', likeCount: 1 })
    expect(retryB.ok && retryB.value).toMatchObject({ userId: 'u02', likeCount: 2 })
    expect(likeTotal(core, 1004)).toBe(2)
  })

  it('numeric keys (in-process drivers) are scoped the same way', () => {
    const core = makeCore()
    const [u1, u2, video] = [core.directory.user('u01'), core.directory.user('u02'), core.directory.video('v01')]
    expect(codeOf(core.likeInto(new CoreReply(), 1000, 0, u1, video, 42, true))).toBe('applied')
    expect(codeOf(core.viewInto(new CoreReply(), 1001, 0, u2, video, 500, 42))).toBe('applied')
    expect(codeOf(core.viewInto(new CoreReply(), 1002, 0, u2, video, 500, 42))).toBe('replayed')
    expect(codeOf(core.likeInto(new CoreReply(), 1003, 0, u1, video, 42, true))).toBe('replayed')
    expect(codeOf(core.likeInto(new CoreReply(), 1004, 0, u1, video, 42, false))).toBe('LS_CORE_IDEMPOTENCY_MISMATCH')
  })
})

describe('a replay costs nothing', () => {
  it('is answered before the client rate limiter: a retry storm of an acknowledged like is all replays', () => {
    const core = makeCore()
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('applied')
    // The clock stands still: u01's network has 99 tokens left of its burst of 100.
    const codes = new Map<string, number>()
    for (let i = 0; i < 1000; i++) {
      const code = codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))
      codes.set(code, (codes.get(code) ?? 0) + 1)
    }
    expect(Object.fromEntries(codes)).toEqual({ replayed: 1000 })
    // ... and it took no token: the network's next new request is still admitted.
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v02', idempotencyKey: 'k2' }))).toBe('applied')
    expect(core.state(1000).counters).toMatchObject({ idempotentReplays: 1000, rateLimited: 0 })
  })

  it('is answered before admission: a region shedding new work still replays, and the replay adds no backlog', () => {
    // 10 requests/s: each admitted request adds 100 ms of backlog; robust sheds past 200 ms.
    const core = makeCore({ capacityRps: 10 })
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('applied')
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u02', videoId: 'v01' }))).toBe('applied')
    expect(codeOf(core.like({ nowMs: 1000, region: US, userId: 'u03', videoId: 'v01' }))).toBe('LS_CORE_OVERLOADED')
    const queueBefore = core.waitMs(US, 1000).queueMs
    const replay = core.like({ nowMs: 1000, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' })
    expect(codeOf(replay)).toBe('replayed')
    // not held behind the queue it skipped
    expect(replay.latencyMs).toBeLessThan(queueBefore)
    expect(core.waitMs(US, 1000).queueMs).toBe(queueBefore)
  })

  it('still needs the region up and the account and video to exist', () => {
    const core = makeCore()
    expect(codeOf(core.like({ nowMs: 1000, region: EU, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('applied')
    core.setRegionUp(EU, false, 1001)
    expect(codeOf(core.like({ nowMs: 1002, region: EU, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('LS_CORE_REGION_DOWN')
    expect(codeOf(core.like({ nowMs: 1003, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('replayed')
    core.setTakenDown(['v01'], true)
    expect(codeOf(core.like({ nowMs: 1004, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k' }))).toBe('LS_CORE_VIDEO_UNAVAILABLE')
  })
})

describe('keys live for their configured TTL, within a bound', () => {
  it('the TTL is configurable: a retry within it replays, a later one is a new request', () => {
    const core = makeCore({ overrides: { idempotencyTtlMs: 300_000 } })
    const view = (nowMs: number) => core.view({ nowMs, region: US, userId: 'u01', videoId: 'v01', watchMs: 900, idempotencyKey: 'w' })
    expect(codeOf(view(0))).toBe('applied')
    expect(codeOf(view(31_000))).toBe('replayed')
    expect(codeOf(view(300_000))).toBe('replayed')
    expect(codeOf(view(300_001))).toBe('applied')
  })

  it('at idempotencyMaxKeys new keyed writes are refused (503, not applied) until the oldest key expires; replays and unkeyed writes go on', () => {
    const core = makeCore({ overrides: { idempotencyTtlMs: 10_000, idempotencyMaxKeys: 3 } })
    for (const [i, userId] of ['u01', 'u02', 'u03'].entries()) {
      expect(codeOf(core.like({ nowMs: 1000 + i * 1000, region: US, userId, videoId: 'v01', idempotencyKey: `k${i}` }))).toBe('applied')
    }
    const refused = core.like({ nowMs: 4000, region: US, userId: 'u04', videoId: 'v01', idempotencyKey: 'k3' })
    expect(codeOf(refused)).toBe('LS_CORE_IDEMPOTENCY_STORE_FULL')
    // the oldest key (stored at 1000) expires after 11000
    expect(!refused.ok && refused.retryAfterMs).toBe(7000)
    expect(likeTotal(core, 4000)).toBe(3)
    // every stored key is still answered
    expect(codeOf(core.like({ nowMs: 10_999, region: US, userId: 'u01', videoId: 'v01', idempotencyKey: 'k0' }))).toBe('replayed')
    expect(codeOf(core.like({ nowMs: 10_999, region: US, userId: 'u04', videoId: 'v02' }))).toBe('applied')
    expect(codeOf(core.like({ nowMs: 11_001, region: US, userId: 'u04', videoId: 'v01', idempotencyKey: 'k3' }))).toBe('applied')
    expect(core.state(11_001).counters.idempotencyStoreFull).toBe(1)
  })

  it('refuses a TTL that is not a finite positive number', () => {
    for (const idempotencyTtlMs of [0, -1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(() => makeCore({ overrides: { idempotencyTtlMs } })).toThrow(CoreConfigError)
    }
  })
})
