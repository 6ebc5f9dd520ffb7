// What every system under test must do, run against robust and naive through the system interface
// alone (systems/system.ts) in a real environment (env/): no facade, no HTTP, no world. Then what
// each does differently by design. A team writing its own system can run the shared part against
// it, as it runs here against examples/systems/set-counter.ts (written against the public interface).
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { CORE_ERRORS } from '../../../mock-server/core/errors.ts'
import { Environment } from '../../../mock-server/env/environment.ts'
import { system as setCounter } from '../../../examples/systems/set-counter.ts'
import { naive } from '../../../mock-server/systems/naive.ts'
import { robust } from '../../../mock-server/systems/robust.ts'
import { SYSTEM_INTERFACE_VERSION, SYSTEM_TICK_MS, type EngagementSystem, type PurgedPair, type PurgedViews, type SystemModule, type SystemRequest } from '../../../mock-server/systems/system.ts'
import { userRecord } from '../../helpers/user-record.ts'

const REGIONS = ['us-east', 'eu-west', 'ap-southeast'] as const
const LAG_MS = 100
/** A write is in every region a delay and a tick (batching) after it was acknowledged. */
const SETTLED_MS = LAG_MS + 2 * SYSTEM_TICK_MS

type Operation = 'like' | 'unlike' | 'view' | 'readCounts' | 'readLike'

interface Rig {
  readonly env: Environment
  readonly system: EngagementSystem
  call(operation: Operation, nowMs: number, fields: Partial<SystemRequest>): CoreReply
  page(nowMs: number, fields: Partial<SystemRequest>): { reply: CoreReply; videos: readonly number[]; more: boolean }
}

/** A system in an environment of three regions, 10 users (u0..u9) and 5 videos (v0..v4, by u0). */
function rig(module: SystemModule): Rig {
  const env = new Environment({
    regions: REGIONS.map((id) => ({ id, capacityRps: 1e6, cacheCapacityOpsPerS: 1e6 })),
    lagMs: () => LAG_MS,
    seed: 1,
    serviceTimeMs: 4,
    serviceJitterMeanMs: 2,
    cacheTimeoutMs: 50,
  })
  for (let i = 0; i < 10; i++) env.directory.addUser(userRecord(`u${i}`, i))
  for (let v = 0; v < 5; v++) env.directory.addVideo({ videoId: `v${v}`, creatorId: 'u0' })
  const system = module.create(env, {
    idempotencyTtlMs: 30_000,
    idempotencyMaxKeys: 10_000,
    notificationDelayMs: 500,
    inboxMax: 100,
    counterWritesPerSPerShard: 1e6,
    replicationBacklogMaxEntries: 10_000,
    purgesMayRun: true,
  })
  env.attach(system)
  system.onDirectory()
  const request = (fields: Partial<SystemRequest>): SystemRequest => ({ region: 0, user: -1, video: -1, key: undefined, clientBlock: -1, watchMs: 0, afterVideo: -1, limit: 10, ...fields })
  return {
    env,
    system,
    call: (operation, nowMs, fields) => {
      env.advanceTo(nowMs)
      const reply = new CoreReply()
      system[operation](request(fields), reply)
      return reply
    },
    page: (nowMs, fields) => {
      env.advanceTo(nowMs)
      const reply = new CoreReply()
      const page = system.likedPage(request(fields), reply)
      return { reply, ...page }
    },
  }
}

describe.each([robust, naive, setCounter])('every system: $name', (module) => {
  it('declares the interface version it implements, a name and a description', () => {
    expect(module.interfaceVersion).toBe(SYSTEM_INTERFACE_VERSION)
    expect(module.name).toMatch(/^[a-z-]+$/)
    expect(module.description.length).toBeGreaterThan(20)
  })

  it('a like is readable back in its region at once, and counted', () => {
    const { call } = rig(module)
    const like = call('like', 1000, { region: 1, user: 3, video: 2 })
    expect(like).toMatchObject({ ok: true, code: '', liked: true, likeCount: 1, changed: true })
    expect(call('readLike', 1001, { region: 1, user: 3, video: 2 })).toMatchObject({ ok: true, liked: true })
    expect(call('readCounts', 1002, { region: 1, video: 2 })).toMatchObject({ ok: true, likeCount: 1 })
    expect(call('unlike', 1003, { region: 1, user: 3, video: 2 })).toMatchObject({ ok: true, liked: false, changed: true })
    expect(call('readLike', 1004, { region: 1, user: 3, video: 2 })).toMatchObject({ ok: true, liked: false })
  })

  it('replies are well formed: a success has no code and a finite latency, a failure a catalogue code', () => {
    const { call } = rig(module)
    const replies = [
      call('like', 1000, { user: 1, video: 1 }),
      call('view', 1001, { user: 1, video: 1, watchMs: 3000 }),
      call('readCounts', 1002, { video: 1 }),
      call('readLike', 1003, { user: 1, video: 1 }),
      call('like', 1004, { user: -1, video: 1 }),
      call('view', 1005, { user: 1, video: 1, watchMs: -5 }),
    ]
    for (const reply of replies) {
      expect(Number.isFinite(reply.latencyMs) && reply.latencyMs > 0).toBe(true)
      if (reply.ok) expect([reply.code, Number.isNaN(reply.retryAfterMs)]).toEqual(['', true])
      else expect(Object.keys(CORE_ERRORS)).toContain(reply.code)
    }
    expect(replies.filter((reply) => reply.ok)).toHaveLength(4)
  })

  it('refuses unknown ids and bad input with the catalogue code', () => {
    const { call, page, env } = rig(module)
    expect(call('like', 1000, { user: -1, video: 1 }).code).toBe('LS_CORE_UNKNOWN_USER')
    expect(call('like', 1000, { user: 1, video: -1 }).code).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(call('readCounts', 1000, { video: -1 }).code).toBe('LS_CORE_UNKNOWN_VIDEO')
    expect(call('readLike', 1000, { user: -1, video: 1 }).code).toBe('LS_CORE_UNKNOWN_USER')
    expect(call('view', 1000, { user: 1, video: 1, watchMs: 1.5 }).code).toBe('LS_CORE_BAD_WATCH_MS')
    expect(page(1000, { user: -1 }).reply.code).toBe('LS_CORE_UNKNOWN_USER')
    env.setTakenDown(['v3'], true)
    expect(call('like', 1001, { user: 1, video: 3 }).code).toBe('LS_CORE_VIDEO_UNAVAILABLE')
    expect(call('readCounts', 1001, { video: 3 }).code).toBe('LS_CORE_VIDEO_UNAVAILABLE')
  })

  it('replicates through the environment only: a write reaches the other regions after the network delay, not before', () => {
    const { call, env } = rig(module)
    call('like', 1000, { region: 0, user: 4, video: 1 })
    expect(call('readLike', 1000 + LAG_MS - 1, { region: 1, user: 4, video: 1 }).liked).toBe(false)
    expect(call('readLike', 1000 + SETTLED_MS, { region: 1, user: 4, video: 1 }).liked).toBe(true)
    expect(call('readLike', 1000 + SETTLED_MS, { region: 2, user: 4, video: 1 }).liked).toBe(true)
    expect(env.networkStats.delivered).toBeGreaterThan(0)
  })

  it('records every view it serves in the platform view log (detection reads it)', () => {
    const { call, env } = rig(module)
    expect(env.hasViewed(1, 2)).toBe(false)
    expect(call('view', 1000, { user: 2, video: 1, watchMs: 10 })).toMatchObject({ ok: true, viewCount: 1, uniqueViewers: 1 })
    expect(env.hasViewed(1, 2)).toBe(true)
    expect(call('view', 1001, { user: 2, video: 1, watchMs: 10 })).toMatchObject({ ok: true, viewCount: 2, uniqueViewers: 1 })
  })

  it('lists an account likes by video id, a page at a time', () => {
    const { call, page } = rig(module)
    for (const video of [4, 0, 2]) call('like', 1000 + video, { user: 5, video })
    const first = page(1100, { user: 5, limit: 2 })
    expect(first).toMatchObject({ videos: [0, 2], more: true })
    expect(page(1101, { user: 5, limit: 2, afterVideo: 2 })).toMatchObject({ videos: [4], more: false })
  })

  it('notifies the creator of a like after the notification delay', () => {
    const { call, env, system } = rig(module)
    call('like', 1000, { user: 6, video: 1 })
    env.advanceTo(2000)
    const reply = new CoreReply()
    const inbox = system.notifications({ region: 0, user: 0, video: -1, key: undefined, clientBlock: -1, watchMs: 0, afterVideo: -1, limit: 10 }, reply)
    expect(reply.ok).toBe(true)
    expect(inbox).toEqual([{ video: 1, fromUser: 6, likedAtMs: 1000, deliveredAtMs: 1500 }])
  })

  it('a purge removes every like of the account in every region and says which', () => {
    const { call, env, system } = rig(module)
    call('like', 1000, { region: 0, user: 7, video: 1 })
    call('like', 1000, { region: 1, user: 7, video: 2 })
    env.advanceTo(2000)
    const removed: PurgedPair[] = []
    system.purgeAccount(7, removed)
    expect(removed).toEqual([
      { user: 7, video: 1 },
      { user: 7, video: 2 },
    ])
    for (const region of [0, 1, 2]) for (const video of [1, 2]) expect(call('readLike', 2001, { region, user: 7, video }).liked).toBe(false)
  })

  it('a purge removes the account\'s views in every region when the module declares it (removesPurgedViews), and says which; else they stay', () => {
    const { call, env, system } = rig(module)
    const removes = module.removesPurgedViews === true
    // robust and set-counter declare it; naive's purge is written for its like table only.
    expect(removes).toBe(module !== naive)
    call('view', 1000, { region: 0, user: 7, video: 1, watchMs: 10 })
    call('view', 1001, { region: 0, user: 7, video: 1, watchMs: 10 })
    call('view', 1002, { region: 1, user: 8, video: 1, watchMs: 10 })
    env.advanceTo(2000)
    // As a purge does: the account is refused from here on, then the system removes what it holds.
    env.directory.markDeleted(7)
    const removedViews: PurgedViews[] = []
    system.purgeAccount(7, [], removes ? removedViews : undefined)
    expect(removedViews).toEqual(removes ? [{ user: 7, video: 1, views: 2 }] : [])
    for (const region of [0, 1, 2]) {
      expect(call('readCounts', 2000 + SETTLED_MS, { region, video: 1 })).toMatchObject({ ok: true, viewCount: removes ? 1 : 3, uniqueViewers: removes ? 1 : 2 })
    }
  })

  it('is deterministic: the same calls give the same replies and the same state', () => {
    const trace = (): string => {
      const { call, env, system } = rig(module)
      const out: unknown[] = []
      for (let i = 0; i < 200; i++) {
        const operation = (['like', 'unlike', 'view', 'readCounts', 'readLike'] as const)[i % 5] as Operation
        out.push({ ...call(operation, i * 7, { region: i % 3, user: i % 10, video: i % 5, watchMs: 100 }) })
      }
      env.advanceTo(5000)
      out.push([0, 1, 2].map((region) => system.observe(region)))
      return JSON.stringify(out)
    }
    expect(trace()).toBe(trace())
  })
})

describe('robust and naive differ by design', () => {
  it('a cache that times out: robust serves the last known good count marked stale, naive reads 0', () => {
    const answers = [robust, naive].map((module) => {
      const { call, env } = rig(module)
      call('like', 1000, { user: 1, video: 1 })
      call('readCounts', 1100, { video: 1 })
      env.setSlowCache('us-east', 500)
      return call('readCounts', 1200, { video: 1 })
    })
    expect(answers[0]).toMatchObject({ ok: true, likeCount: 1, stale: true })
    expect(answers[1]).toMatchObject({ ok: true, likeCount: 0, stale: false })
  })

  it('a retried keyed view: robust replays it, naive counts it again', () => {
    const counts = [robust, naive].map((module) => {
      const { call } = rig(module)
      call('view', 1000, { user: 1, video: 1, watchMs: 10, key: 'k1' })
      const again = call('view', 1001, { user: 1, video: 1, watchMs: 10, key: 'k1' })
      return [again.replayed, again.viewCount]
    })
    expect(counts).toEqual([
      [true, 1],
      [false, 2],
    ])
  })

  it('a region down while others write: robust retransmits until it has everything, naive loses what came due meanwhile', () => {
    const held = [robust, naive].map((module) => {
      const { call, env } = rig(module)
      env.setRegionUp('eu-west', false, 900)
      call('like', 1000, { region: 0, user: 2, video: 1 })
      env.setRegionUp('eu-west', true, 5000)
      return call('readLike', 7000, { region: 1, user: 2, video: 1 }).liked
    })
    expect(held).toEqual([true, false])
  })

  it('a partition: robust heals without loss once it is over, naive never delivers what crossed it', () => {
    const held = [robust, naive].map((module) => {
      const { call, env } = rig(module)
      env.setPartition('us-east', 'ap-southeast', true, 900)
      call('like', 1000, { region: 0, user: 2, video: 1 })
      expect(call('readLike', 2000, { region: 1, user: 2, video: 1 }).liked).toBe(true) // not cut off
      env.setPartition('us-east', 'ap-southeast', false, 3000)
      return call('readLike', 5000, { region: 2, user: 2, video: 1 }).liked
    })
    expect(held).toEqual([true, false])
  })
})
