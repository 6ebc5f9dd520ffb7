// The view log's pairs behave as a Set of pairs would: across bucket growth, videos that share
// their low bits (one slot key in different buckets), and users too large for a slot.
import { describe, expect, it } from 'vitest'
import { Mulberry32 } from '../../../mock-server/core/jitter.ts'
import { ViewedPairs } from '../../../mock-server/core/viewed-pairs.ts'

describe('ViewedPairs', () => {
  it('adds each pair once and answers membership like a Set, across many growths', () => {
    const random = new Mulberry32(11)
    const set = new ViewedPairs()
    const reference = new Set<string>()
    for (let i = 0; i < 60_000; i++) {
      // Videos up to 4 buckets, users up to 2^22 + a few (past the slot's limit).
      const video = Math.floor(random.next() * 2048)
      const user = random.next() < 0.05 ? 2 ** 22 + Math.floor(random.next() * 50) : Math.floor(random.next() * 3000)
      const fresh = !reference.has(`${video}/${user}`)
      reference.add(`${video}/${user}`)
      expect(set.add(video, user)).toBe(fresh)
    }
    expect(set.size).toBe(reference.size)
    for (let i = 0; i < 20_000; i++) {
      const video = Math.floor(random.next() * 2048)
      const user = Math.floor(random.next() * 3000)
      expect(set.has(video, user)).toBe(reference.has(`${video}/${user}`))
    }
  })

  it('tells apart videos with the same low bits, (v, u) from (u, v), and the largest slot user', () => {
    const set = new ViewedPairs()
    const lastSlotUser = 2 ** 22 - 1
    expect([set.add(5, 9), set.has(5 + 512, 9), set.has(5 + 1024 * 512, 9), set.add(5 + 512, 9), set.has(9, 5)]).toEqual([true, false, false, true, false])
    expect([set.add(511, lastSlotUser), set.has(511, lastSlotUser), set.has(0, lastSlotUser), set.has(511, lastSlotUser + 1), set.add(511, lastSlotUser)]).toEqual([true, true, false, false, false])
    expect(set.size).toBe(3)
  })
})
