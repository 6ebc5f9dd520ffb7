// The sample of (user, video) pairs a big run's final like states are read on: exactly the
// bound's size, the same for the same seed, and taken evenly from all the pairs.
import { describe, expect, it } from 'vitest'
import { samplePairs } from '../../sim/pair-sample.ts'
import { Rng } from '../../sim/rng.ts'

const PAIRS = Array.from({ length: 10_000 }, (_, i) => i * 7 + 3)
const draw = (seed: number, pairs: readonly number[] = PAIRS): number[] => samplePairs(pairs, { sizeMax: 1000, random: new Rng(seed).stream('final-pair-sample') })

describe('the sample of pairs read back', () => {
  it('holds exactly the bound of distinct pairs, ascending, the same for the same seed whatever order the pairs came in', () => {
    const sample = draw(5)
    expect(sample).toHaveLength(1000)
    expect(new Set(sample).size).toBe(1000)
    expect(sample.every((pair) => (pair - 3) % 7 === 0 && pair >= 3 && pair <= PAIRS.at(-1)!)).toBe(true)
    expect(sample).toEqual([...sample].sort((a, b) => a - b))
    expect(draw(5, [...PAIRS].reverse())).toEqual(sample)
    expect(draw(6)).not.toEqual(sample)
  })

  it('is every pair when there are no more than the bound', () => {
    expect(samplePairs([9, 2, 5], { sizeMax: 3, random: new Rng(1).stream('final-pair-sample') })).toEqual([2, 5, 9])
  })

  it('takes evenly from every part of the pairs (uniform, not the first or the smallest)', () => {
    const perTenth = new Array<number>(10).fill(0)
    for (const pair of draw(5)) perTenth[Math.floor((pair - 3) / 7 / 1000)]!++
    for (const count of perTenth) expect(count).toBeGreaterThan(70)
    for (const count of perTenth) expect(count).toBeLessThan(130)
  })
})
