// The run's seeded randomness: one seed, many independent named streams.
import { describe, expect, it } from 'vitest'
import seedrandom from 'seedrandom'
import { Rng, type RandomStream } from '../../sim/rng.ts'

function draws(stream: RandomStream, n: number): number[] {
  return Array.from({ length: n }, () => stream.next())
}

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream name', () => {
    const a = draws(new Rng(42).stream('traffic'), 50)
    const b = draws(new Rng(42).stream('traffic'), 50)
    expect(a).toEqual(b)
  })

  it('gives different sequences for different stream names under one seed', () => {
    const rng = new Rng(42)
    expect(draws(rng.stream('traffic'), 20)).not.toEqual(draws(rng.stream('population'), 20))
  })

  it('gives different sequences for different seeds', () => {
    expect(draws(new Rng(1).stream('s'), 20)).not.toEqual(draws(new Rng(2).stream('s'), 20))
  })

  it('memoises streams by name: asking twice returns the same, already-advanced stream', () => {
    const rng = new Rng(7)
    const first = rng.stream('x')
    expect(rng.stream('x')).toBe(first)
    const fresh = new Rng(7).stream('x')
    first.next()
    // The second handle continues where the first left off instead of restarting.
    const continued = rng.stream('x').next()
    fresh.next()
    expect(continued).toBe(fresh.next())
  })

  it('drawing from one stream does not shift another stream', () => {
    const quiet = new Rng(99)
    const noisy = new Rng(99)
    for (let i = 0; i < 1000; i++) noisy.stream('chatty').next()
    noisy.stream('chatty').shuffle(Array.from({ length: 100 }, (_, i) => i))
    expect(draws(noisy.stream('steady'), 30)).toEqual(draws(quiet.stream('steady'), 30))
  })

  it('interleaving the order of stream creation does not change a stream', () => {
    const a = new Rng(5)
    a.stream('first').next()
    const fromA = draws(a.stream('second'), 10)
    const b = new Rng(5)
    const fromB = draws(b.stream('second'), 10)
    expect(fromA).toEqual(fromB)
  })

  it('exposes the seed and the stream name', () => {
    const rng = new Rng(123)
    expect(rng.seed).toBe(123)
    expect(rng.stream('faker').name).toBe('faker')
  })

  it.each([1.5, Number.NaN, Infinity, -Infinity, 2 ** 60])('refuses the non-safe-integer seed %s', (seed) => {
    expect(() => new Rng(seed)).toThrow(/seed/)
  })

  it('accepts zero and negative integer seeds', () => {
    expect(() => new Rng(0)).not.toThrow()
    expect(() => new Rng(-17)).not.toThrow()
    expect(draws(new Rng(-17).stream('s'), 5)).not.toEqual(draws(new Rng(17).stream('s'), 5))
  })

  describe('stream helpers', () => {
    const s = new Rng(2024).stream('helpers')
    const N = 20_000

    it('next() is uniform in [0, 1)', () => {
      let sum = 0
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < N; i++) {
        const u = s.next()
        lo = Math.min(lo, u)
        hi = Math.max(hi, u)
        sum += u
      }
      expect(lo).toBeGreaterThanOrEqual(0)
      expect(hi).toBeLessThan(1)
      expect(sum / N).toBeCloseTo(0.5, 1)
    })

    it('int(n) gives integers in [0, n) and hits every value', () => {
      const seen = new Set<number>()
      for (let i = 0; i < N; i++) seen.add(s.int(7))
      // Every draw lands on one of exactly these seven integers, and each of them is hit.
      expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
    })

    it('int(1) is always 0', () => {
      expect(new Set(Array.from({ length: 100 }, () => s.int(1)))).toEqual(new Set([0]))
    })

    it('between(min, max) stays in [min, max) and spreads over the range', () => {
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < N; i++) {
        const v = s.between(-3, 5)
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
      }
      expect(lo).toBeGreaterThanOrEqual(-3)
      expect(hi).toBeLessThan(5)
      expect(lo).toBeLessThan(-2.9)
      expect(hi).toBeGreaterThan(4.9)
    })

    it('chance(p) is true about p of the time, never for 0, always for 1', () => {
      let hits = 0
      for (let i = 0; i < N; i++) if (s.chance(0.3)) hits++
      expect(hits / N).toBeGreaterThan(0.28)
      expect(hits / N).toBeLessThan(0.32)
      const never = Array.from({ length: 1000 }, () => s.chance(0))
      const always = Array.from({ length: 1000 }, () => s.chance(1))
      expect(never.some(Boolean)).toBe(false)
      expect(always.every(Boolean)).toBe(true)
    })

    it('exponential(mean) is non-negative, finite, with the requested mean', () => {
      let sum = 0
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < N; i++) {
        const v = s.exponential(250)
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
        sum += v
      }
      expect(lo).toBeGreaterThanOrEqual(0)
      expect(Number.isFinite(hi)).toBe(true)
      expect(sum / N).toBeGreaterThan(240)
      expect(sum / N).toBeLessThan(260)
    })

    it('seed32() is a 32-bit unsigned integer', () => {
      const values = Array.from({ length: 1000 }, () => s.seed32())
      expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff)).toBe(true)
      // Uses the whole 32-bit range, not just the signed half.
      expect(values.some((v) => v > 0x7fff_ffff)).toBe(true)
    })

    it('pick() returns members of the list, each of them eventually', () => {
      const items = ['a', 'b', 'c', 'd'] as const
      const seen = new Set<string>()
      for (let i = 0; i < 1000; i++) seen.add(s.pick(items))
      expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd'])
    })

    it('pick() from an empty list throws, naming the stream', () => {
      expect(() => s.pick([])).toThrow(/helpers/)
    })

    it('shuffle() permutes in place and returns the same array', () => {
      const items = Array.from({ length: 200 }, (_, i) => i)
      const out = s.shuffle(items)
      expect(out).toBe(items)
      expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i))
      expect(out).not.toEqual(Array.from({ length: 200 }, (_, i) => i))
    })

    it('shuffle() of empty and single-element arrays is a no-op', () => {
      expect(s.shuffle([])).toEqual([])
      expect(s.shuffle(['only'])).toEqual(['only'])
    })

    it('shuffle() puts each element in each position about equally often', () => {
      const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0))
      const trials = 20_000
      for (let t = 0; t < trials; t++) {
        const out = s.shuffle([0, 1, 2, 3])
        out.forEach((value, position) => {
          const row = counts[value] as number[]
          row[position] = (row[position] as number) + 1
        })
      }
      for (const row of counts) for (const c of row) expect(c / trials).toBeGreaterThan(0.23)
      for (const row of counts) for (const c of row) expect(c / trials).toBeLessThan(0.27)
    })
  })

  it('draws exactly what seedrandom.alea draws for the stream\'s seed (next and seed32)', () => {
    const stream = new Rng(11).stream('traffic')
    const reference = seedrandom.alea('likestorm/11/traffic')
    for (let i = 0; i < 10_000; i++) expect(stream.next()).toBe(reference())
    for (let i = 0; i < 100; i++) expect(stream.seed32()).toBe(reference.int32() >>> 0)
  })

  it('a restored snapshot draws on exactly where each stream stood', () => {
    const rng = new Rng(5)
    draws(rng.stream('a'), 123)
    draws(rng.stream('b'), 7)
    const copy = Rng.restore(structuredClone(rng.snapshot()))
    expect(copy.seed).toBe(5)
    expect(draws(copy.stream('a'), 50)).toEqual(draws(rng.stream('a'), 50))
    expect(draws(copy.stream('b'), 50)).toEqual(draws(rng.stream('b'), 50))
    // A stream nobody drew from yet starts from the seed in both.
    expect(draws(copy.stream('c'), 10)).toEqual(draws(rng.stream('c'), 10))
  })
})
