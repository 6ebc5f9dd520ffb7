// The core's small building blocks: MinHeap, Jitter, NotificationService, Directory, config, errors.
import { describe, expect, it } from 'vitest'
import { DEFAULT_CORE_CONFIG, replicationLagFor, validateCoreConfig, type CoreConfig } from '../../../mock-server/core/config.ts'
import { Directory, pairKey, pairUser, pairVideo, USER_INDEX_LIMIT } from '../../../mock-server/core/directory.ts'
import { CORE_ERROR_CODES, CORE_ERRORS, CoreConfigError, isDefiniteFailure } from '../../../mock-server/core/errors.ts'
import { Jitter } from '../../../mock-server/core/jitter.ts'
import { MinHeap } from '../../../mock-server/core/min-heap.ts'
import { NotificationService } from '../../../mock-server/core/notifications.ts'
import { NAIVE, PUBLIC_STRATEGY_NAMES, ROBUST, strategyByName } from '../../../mock-server/core/strategy.ts'
import { PLANTED_DEFECTS } from '../../helpers/planted-defects.ts'
import { SYSTEM_INTERFACE_VERSION } from '../../../mock-server/systems/system.ts'
import type { UserRecord } from '../../../mock-server/core/types.ts'

describe('MinHeap', () => {
  it('pops in priority order, FIFO among equal priorities', () => {
    const heap = new MinHeap<string>()
    expect(heap.peekPriority()).toBe(Infinity)
    expect(heap.pop()).toBeUndefined()
    const items: Array<[string, number]> = [
      ['c1', 3],
      ['a1', 1],
      ['b1', 2],
      ['a2', 1],
      ['c2', 3],
      ['a3', 1],
      ['z', 0],
    ]
    for (const [item, priority] of items) heap.push(item, priority)
    expect(heap.size).toBe(7)
    expect(heap.peekPriority()).toBe(0)
    const popped: string[] = []
    while (heap.size > 0) popped.push(heap.pop() as string)
    expect(popped).toEqual(['z', 'a1', 'a2', 'a3', 'b1', 'c1', 'c2'])
  })

  it('sorts a large shuffled input stably', () => {
    const heap = new MinHeap<number>()
    const jitter = new Jitter(3)
    const input = Array.from({ length: 2000 }, (_, i) => ({ i, p: Math.floor(jitter.next() * 50) }))
    for (const { i, p } of input) heap.push(i, p)
    const expected = [...input].sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.i)
    const out: number[] = []
    while (heap.size > 0) out.push(heap.pop() as number)
    expect(out).toEqual(expected)
  })
})

describe('Jitter', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Jitter(42)
    const b = new Jitter(42)
    const c = new Jitter(43)
    const seqA = Array.from({ length: 10 }, () => a.next())
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(seqA)
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(seqA)
  })

  it('draws uniforms in [0, 1) and exponentials with the requested mean', () => {
    const jitter = new Jitter(7)
    let sum = 0
    let outOfRange = 0
    for (let i = 0; i < 20_000; i++) {
      const u = jitter.next()
      if (!(u >= 0 && u < 1)) outOfRange++
      sum += jitter.exponential(2)
    }
    expect(outOfRange).toBe(0)
    expect(sum / 20_000).toBeGreaterThan(1.9)
    expect(sum / 20_000).toBeLessThan(2.1)
  })
})

describe('NotificationService', () => {
  it('delivers at deliverAtMs, newest first in the inbox', () => {
    const service = new NotificationService({ inboxMax: 10 })
    service.enqueue({ creator: 1, video: 5, fromUser: 2, likedAtMs: 0, deliverAtMs: 500 })
    service.enqueue({ creator: 1, video: 6, fromUser: 3, likedAtMs: 10, deliverAtMs: 510 })
    service.advanceTo(499)
    expect(service.inbox(1, 10)).toEqual([])
    expect(service.pendingCount).toBe(2)
    service.advanceTo(500)
    expect(service.inbox(1, 10)).toEqual([{ video: 5, fromUser: 2, likedAtMs: 0, deliveredAtMs: 500 }])
    service.advanceTo(1000)
    expect(service.inbox(1, 10).map((n) => n.video)).toEqual([6, 5])
    expect(service.inbox(1, 1).map((n) => n.video)).toEqual([6])
    expect(service.inbox(2, 10)).toEqual([])
    expect(service.counters).toEqual({ sent: 2, delivered: 2, dropped: 0, inboxEvicted: 0 })
  })

  it('bounds an inbox (oldest dropped, counted) and counts drops', () => {
    const service = new NotificationService({ inboxMax: 2 })
    for (let i = 0; i < 4; i++) service.enqueue({ creator: 1, video: i, fromUser: 9, likedAtMs: i, deliverAtMs: i })
    service.drop()
    service.advanceTo(10)
    expect(service.inbox(1, 10).map((n) => n.video)).toEqual([3, 2])
    expect(service.counters).toEqual({ sent: 5, delivered: 4, dropped: 1, inboxEvicted: 2 })
  })
})

describe('Directory', () => {
  const user = (userId: string, ip: string): UserRecord => ({
    userId,
    handle: `@${userId}`,
    ip,
    homeRegion: 'r1',
    createdAtMs: -1000,
    lastActiveAtMs: -10,
    uploads: 1,
    followers: 2,
  })

  it('interns users and videos to dense indices, idempotently', () => {
    const dir = new Directory()
    expect(dir.addUser(user('u1', '203.0.0.1'))).toBe(0)
    expect(dir.addUser(user('u2', '203.0.0.2'))).toBe(1)
    expect(dir.addUser(user('u1', '99.0.0.1'))).toBe(0)
    expect(dir.userCount).toBe(2)
    expect(dir.addVideo({ videoId: 'v1', creatorId: 'u2' })).toBe(0)
    expect(dir.addVideo({ videoId: 'v1', creatorId: 'u1' })).toBe(0)
    expect(dir.addVideo({ videoId: 'v2', creatorId: 'nobody' })).toBe(-1)
    expect(dir.videoCount).toBe(1)
    expect(dir.creatorOf(0)).toBe(1)
    expect(dir.creatorOf(1)).toBe(-1)
    expect(dir.user('u2')).toBe(1)
    expect(dir.user('zz')).toBe(-1)
    expect(dir.video('v1')).toBe(0)
    expect(dir.video('v2')).toBe(-1)
  })

  it('reads back ids, facts and creators by handle, and keeps the deprecated lists of interface version 1 current', () => {
    const dir = new Directory()
    dir.reserve({ users: 3000, videos: 10 })
    for (let i = 0; i < 2500; i++) dir.addUser({ ...user(`u${i}`, `203.0.${i % 256}.1`), createdAtMs: -1000.5 - i, uploads: i, followers: -i })
    expect([dir.userId(0), dir.userId(2499)]).toEqual(['u0', 'u2499'])
    expect([dir.createdAtMs(7), dir.uploads(7), dir.followers(7)]).toEqual([-1007.5, 7, -7])
    expect(dir.userIdSlice(2498, 3000)).toEqual(['u2498', 'u2499'])
    expect([dir.userIdIs(5, 'u5'), dir.userIdIs(5, 'u6'), dir.userIdIs(2500, 'u5'), dir.userIdIs(-1, 'u5')]).toEqual([true, false, false, false])
    expect(() => dir.addUser({ ...user('u-bad', '1.2.3.4'), uploads: 1.5 })).toThrow(RangeError)
    expect(dir.user('u-bad')).toBe(-1)
    dir.addVideo({ videoId: 'vb', creatorId: 'u9' })
    dir.addVideo({ videoId: 'va', creatorId: 'u3' })
    expect([dir.videoId(1), dir.creatorOf(1), dir.creatorOf(2), dir.creatorOf(-1)]).toEqual(['va', 3, -1, -1])
    expect(Math.sign(dir.compareVideoIds(0, 1))).toBe(1)
    expect([dir.videoIds, dir.videoCreator]).toEqual([['vb', 'va'], [9, 3]])
    dir.addVideo({ videoId: 'vc', creatorId: 'u0' })
    expect([dir.videoIds, dir.videoCreator]).toEqual([['vb', 'va', 'vc'], [9, 3, 0]])
  })

  it('interns /24 blocks: same block same id', () => {
    const dir = new Directory()
    dir.addUser(user('a', '203.0.0.1'))
    dir.addUser(user('b', '203.0.0.200'))
    dir.addUser(user('c', '203.0.1.1'))
    expect(dir.ipBlockOf(0)).toBe(dir.ipBlockOf(1))
    expect(dir.ipBlockOf(2)).not.toBe(dir.ipBlockOf(0))
    expect(Array.from(dir.ipBlocks())).toEqual([dir.ipBlockOf(0), dir.ipBlockOf(1), dir.ipBlockOf(2)])
  })

  it('pairKey round-trips (video, user)', () => {
    for (const [video, user] of [
      [0, 0],
      [3, 17],
      [123_456, USER_INDEX_LIMIT - 1],
    ] as const) {
      const key = pairKey(video, user)
      expect(pairVideo(key)).toBe(video)
      expect(pairUser(key)).toBe(user)
    }
    expect(pairKey(1, 0)).not.toBe(pairKey(0, 1))
  })
})

describe('core config', () => {
  const config = (overrides: Partial<CoreConfig> = {}): CoreConfig => ({
    ...DEFAULT_CORE_CONFIG,
    regions: [{ id: 'a', capacityRps: 10, cacheCapacityOpsPerS: 10 }],
    ...overrides,
  })

  it('accepts the defaults with one region', () => {
    expect(() => validateCoreConfig(config())).not.toThrow()
  })

  it.each([
    ['no region', { regions: [] }, /at least one region/],
    ['duplicate region', { regions: [{ id: 'a', capacityRps: 1, cacheCapacityOpsPerS: 1 }, { id: 'a', capacityRps: 1, cacheCapacityOpsPerS: 1 }] }, /duplicate region a/],
    ['zero capacity', { regions: [{ id: 'a', capacityRps: 0, cacheCapacityOpsPerS: 1 }] }, /capacityRps must be > 0/],
    ['nine regions', { regions: Array.from({ length: 9 }, (_, i) => ({ id: `r${i}`, capacityRps: 1, cacheCapacityOpsPerS: 1 })) }, /at most 8/],
    ['negative lag', { replicationLagMs: { 'a>b': -1 } }, /replicationLagMs\.a>b/],
    ['zero service time', { serviceTimeMs: 0 }, /serviceTimeMs/],
    ['zero cache timeout', { cacheTimeoutMs: 0 }, /cacheTimeoutMs/],
    ['zero max keys', { idempotencyMaxKeys: 0 }, /idempotencyMaxKeys/],
    ['a fractional inbox bound', { inboxMax: 2.5 }, /inboxMax/],
  ] as const)('rejects %s with a CoreConfigError', (_name, overrides, message) => {
    let thrown: unknown
    try {
      validateCoreConfig(config(overrides as Partial<CoreConfig>))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(CoreConfigError)
    expect((thrown as CoreConfigError).code).toBe('LS_CORE_BAD_CONFIG')
    expect((thrown as Error).message).toMatch(message)
  })

  it('replicationLagFor uses the directed pair, else the default', () => {
    const c = config({ replicationLagMs: { 'a>b': 250 }, defaultReplicationLagMs: 80 })
    expect(replicationLagFor(c, 'a', 'b')).toBe(250)
    expect(replicationLagFor(c, 'b', 'a')).toBe(80)
  })
})

describe('errors and strategies', () => {
  it('every error code has a status and a message and is a definite failure, but a system fault (it may have been applied)', () => {
    expect(CORE_ERROR_CODES.length).toBeGreaterThan(0)
    for (const code of CORE_ERROR_CODES) {
      expect(CORE_ERRORS[code].status).toBeGreaterThanOrEqual(400)
      expect(CORE_ERRORS[code].message.length).toBeGreaterThan(0)
      expect(isDefiniteFailure(code)).toBe(code !== 'LS_CORE_SYSTEM_FAULT')
    }
    expect(CORE_ERRORS.LS_CORE_OVERLOADED.status).toBe(503)
    expect(CORE_ERRORS.LS_CORE_IDEMPOTENCY_MISMATCH.status).toBe(422)
  })

  it('the command line offers robust and naive only; planted-defect variants live in the tests', () => {
    expect(PUBLIC_STRATEGY_NAMES).toEqual(['robust', 'naive'])
    expect(strategyByName('robust')).toBe(ROBUST)
    expect(strategyByName('naive')).toBe(NAIVE)
    expect(strategyByName('nope')).toBeUndefined()
    for (const [name, system] of Object.entries(PLANTED_DEFECTS)) {
      expect(strategyByName(name)).toBeUndefined()
      expect(system.name).toBe(name)
      expect(system.interfaceVersion).toBe(SYSTEM_INTERFACE_VERSION)
      expect(system.description).toMatch(/^robust with one planted defect: /)
    }
  })
})
