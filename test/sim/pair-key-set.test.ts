// PairKeySet must answer as a Set<number> of pair keys does: membership, size, insertion order.
import { describe, expect, it } from 'vitest'
import { pairOf } from '../../sim/history.ts'
import { PairKeySet } from '../../sim/pair-key-set.ts'
import { Rng } from '../../sim/rng.ts'

describe('PairKeySet', () => {
  it('answers as a Set through growth, repeats and keys past 2^31, in insertion order', () => {
    const stream = new Rng(3).stream('pair-keys')
    const set = new PairKeySet()
    const reference = new Set<number>()
    for (let i = 0; i < 50_000; i++) {
      // Few videos, so pairs repeat; some videos far past 2^31 / 2^22 so keys need doubles.
      const video = i % 5 === 0 ? 2 ** 30 + Math.floor(stream.next() * 50) : Math.floor(stream.next() * 300)
      const pair = pairOf(video, Math.floor(stream.next() * 400))
      set.add(pair)
      reference.add(pair)
    }
    expect(set.size).toBe(reference.size)
    expect([...set]).toEqual([...reference])
    for (let i = 0; i < 5_000; i++) {
      const pair = pairOf(Math.floor(stream.next() * 400), Math.floor(stream.next() * 600))
      expect(set.has(pair)).toBe(reference.has(pair))
    }
  })

  it('takes its first pairs from an iterable', () => {
    const set = new PairKeySet([pairOf(2, 1), pairOf(1, 2), pairOf(2, 1)])
    expect([...set]).toEqual([pairOf(2, 1), pairOf(1, 2)])
    expect(set.has(pairOf(1, 1))).toBe(false)
  })
})
