// The open-addressed (video, user) tables behave as a Set and a Map of pairs would, through
// growth, collisions and neighbouring ids; the in-place reply clears what a call does not set.
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { NO_PAIR, PairIndex } from '../../../mock-server/core/pair-index.ts'
import { PairSet } from '../../../mock-server/core/pair-set.ts'
import { Mulberry32 } from '../../../mock-server/core/jitter.ts'

/** Pairs with many shared videos and users (the cases a weak hash confuses), some repeated. */
function pairs(count: number, seed: number): Array<[number, number]> {
  const random = new Mulberry32(seed)
  return Array.from({ length: count }, () => [Math.floor(random.next() * 300), Math.floor(random.next() * 5000)])
}

describe('PairSet', () => {
  it('adds each pair once and answers membership like a Set, across many growths', () => {
    const set = new PairSet(16)
    const reference = new Set<string>()
    for (const [video, user] of pairs(50_000, 1)) {
      const fresh = !reference.has(`${video}/${user}`)
      reference.add(`${video}/${user}`)
      expect(set.add(video, user)).toBe(fresh)
    }
    expect(set.size).toBe(reference.size)
    for (const [video, user] of pairs(20_000, 2)) expect(set.has(video, user)).toBe(reference.has(`${video}/${user}`))
    // (v, u) and (u, v) are different pairs.
    const fresh = new PairSet()
    fresh.add(7, 3)
    expect([fresh.has(7, 3), fresh.has(3, 7), fresh.add(3, 7), fresh.size]).toEqual([true, false, true, 2])
  })

  it('fills up to three quarters before it grows (the view log is the largest table a run keeps)', () => {
    const set = new PairSet(16)
    set.reserve(3072)
    expect(set.capacity).toBe(4096)
    for (let user = 0; user < 3072; user++) set.add(user % 97, user)
    expect(set.capacity).toBe(4096)
    set.add(1, 99_999)
    expect(set.capacity).toBe(8192)
    let held = 0
    for (let user = 0; user < 3072; user++) if (set.has(user % 97, user)) held++
    expect([held, set.has(1, 99_999), set.size]).toEqual([3072, true, 3073])
  })
})

describe('PairIndex', () => {
  it('gives each pair one dense id, in the order first seen, across many growths', () => {
    const index = new PairIndex(16)
    const reference = new Map<string, number>()
    for (const [video, user] of pairs(50_000, 3)) {
      const key = `${video}/${user}`
      const expected = reference.get(key) ?? reference.size
      reference.set(key, expected)
      expect(index.intern(video, user)).toBe(expected)
    }
    expect(index.size).toBe(reference.size)
    expect(index.idCapacity).toBeGreaterThanOrEqual(index.size)
    for (const [video, user] of pairs(20_000, 4)) {
      const id = reference.get(`${video}/${user}`) ?? NO_PAIR
      expect(index.find(video, user)).toBe(id)
      if (id !== NO_PAIR) expect([index.videoOf(id), index.userOf(id)]).toEqual([video, user])
    }
    // (v, u) and (u, v) are different pairs; find never adds one.
    const fresh = new PairIndex()
    expect([fresh.intern(7, 3), fresh.find(3, 7), fresh.size, fresh.intern(3, 7), fresh.intern(7, 3)]).toEqual([0, NO_PAIR, 1, 1, 0])
  })

  it("chains each user's pairs newest first, whatever the users' order and through user growth", () => {
    const index = new PairIndex(16)
    index.reserveUsers(10)
    const seen: Array<[number, number]> = [[5, 2], [1, 9], [3, 2], [5, 20_000], [0, 2], [1, 9]]
    for (const [video, user] of seen) index.intern(video, user)
    const chain = (user: number): number[] => {
      const videos: number[] = []
      for (let pair = index.newestOf(user); pair !== NO_PAIR; pair = index.olderThan(pair)) videos.push(index.videoOf(pair))
      return videos
    }
    expect([chain(2), chain(9), chain(20_000), chain(3), chain(1_000_000)]).toEqual([[0, 3, 5], [1], [5], [], []])
  })
})

describe('CoreReply', () => {
  it('resets every value on each success or failure, so a reused reply never leaks the last call', () => {
    const reply = new CoreReply()
    reply.succeed(3, true)
    reply.likeCount = 5
    reply.viewCount = 9
    reply.uniqueViewers = 4
    reply.liked = true
    reply.stale = true
    reply.asOfMs = 100
    reply.fail('LS_CORE_OVERLOADED', 1, 2000)
    expect({ ...reply }).toEqual({ ok: false, code: 'LS_CORE_OVERLOADED', latencyMs: 1, retryAfterMs: 2000, replayed: false, likeCount: -1, viewCount: -1, uniqueViewers: -1, liked: false, stale: false, asOfMs: Number.NaN, changed: false })
    reply.succeed(7, false)
    expect({ ...reply }).toEqual({ ok: true, code: '', latencyMs: 7, retryAfterMs: Number.NaN, replayed: false, likeCount: -1, viewCount: -1, uniqueViewers: -1, liked: false, stale: false, asOfMs: Number.NaN, changed: false })
  })
})

describe('PairSet.reserve', () => {
  it('keeps every pair and answers as before, reserved up front or midway', () => {
    const early = new PairSet(16)
    early.reserve(40_000)
    const late = new PairSet(16)
    const plain = new PairSet(16)
    pairs(30_000, 5).forEach(([video, user], i) => {
      if (i === 10_000) late.reserve(100_000)
      expect([early.add(video, user), late.add(video, user)]).toEqual(Array(2).fill(plain.add(video, user)))
    })
    expect([early.size, late.size]).toEqual([plain.size, plain.size])
    for (const [video, user] of pairs(5000, 6)) expect([early.has(video, user), late.has(video, user)]).toEqual(Array(2).fill(plain.has(video, user)))
  })
})
