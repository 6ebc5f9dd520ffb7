// Samplers for heavy-tailed and bell-shaped quantities. Deterministic under a fixed seed, so the
// statistical tolerances below cannot flake; they are wide enough to survive a change of seed.
import { describe, expect, it } from 'vitest'
import { logNormal, pareto, sampleDistinct, standardNormal, zipfWeights } from '../../sim/distributions.ts'
import { Rng } from '../../sim/rng.ts'

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return ((sorted[Math.floor((sorted.length - 1) / 2)] as number) + (sorted[Math.ceil((sorted.length - 1) / 2)] as number)) / 2
}

describe('pareto', () => {
  it('never goes below xMin and has a heavy tail above it', () => {
    const s = new Rng(11).stream('pareto')
    const values = Array.from({ length: 20_000 }, () => pareto(s, { xMin: 3, alpha: 1.5 }))
    expect(Math.min(...values)).toBeGreaterThanOrEqual(3)
    // Median of Pareto = xMin * 2^(1/alpha).
    expect(median(values)).toBeGreaterThan(3 * 2 ** (1 / 1.5) * 0.95)
    expect(median(values)).toBeLessThan(3 * 2 ** (1 / 1.5) * 1.05)
    // Heavy tail: P(X > 10 xMin) = 10^-alpha ~ 3.2%.
    const tail = values.filter((v) => v > 30).length / values.length
    expect(tail).toBeGreaterThan(0.025)
    expect(tail).toBeLessThan(0.04)
  })

  it('a smaller alpha gives a heavier tail', () => {
    const s = new Rng(12).stream('pareto')
    const heavy = Array.from({ length: 10_000 }, () => pareto(s, { xMin: 1, alpha: 1.1 }))
    const light = Array.from({ length: 10_000 }, () => pareto(s, { xMin: 1, alpha: 3 }))
    expect(heavy.filter((v) => v > 10).length).toBeGreaterThan(5 * light.filter((v) => v > 10).length)
  })
})

describe('standardNormal', () => {
  it('has mean ~0 and standard deviation ~1', () => {
    const s = new Rng(13).stream('normal')
    const n = 20_000
    const values = Array.from({ length: n }, () => standardNormal(s))
    const mean = values.reduce((a, b) => a + b, 0) / n
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
    expect(Math.abs(mean)).toBeLessThan(0.03)
    expect(sd).toBeGreaterThan(0.97)
    expect(sd).toBeLessThan(1.03)
    expect(values.every(Number.isFinite)).toBe(true)
  })
})

describe('logNormal', () => {
  it('has the requested median and is always positive', () => {
    const s = new Rng(14).stream('lognormal')
    const values = Array.from({ length: 20_000 }, () => logNormal(s, { median: 6000, sigma: 0.8 }))
    expect(Math.min(...values)).toBeGreaterThan(0)
    expect(median(values)).toBeGreaterThan(6000 * 0.95)
    expect(median(values)).toBeLessThan(6000 * 1.05)
  })

  it('sigma sets the spread of log(x)', () => {
    const s = new Rng(15).stream('lognormal')
    const logs = Array.from({ length: 20_000 }, () => Math.log(logNormal(s, { median: 100, sigma: 0.5 })))
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length)
    expect(mean).toBeCloseTo(Math.log(100), 1)
    expect(sd).toBeGreaterThan(0.48)
    expect(sd).toBeLessThan(0.52)
  })

  it('sigma 0 gives exactly the median', () => {
    const s = new Rng(16).stream('lognormal')
    for (let i = 0; i < 10; i++) expect(logNormal(s, { median: 42, sigma: 0 })).toBe(42)
  })
})

describe('zipfWeights', () => {
  it('gives 1/rank^s for ranks 1..n', () => {
    const w = zipfWeights({ n: 5, s: 0.99 })
    expect(w).toHaveLength(5)
    expect(w[0]).toBe(1)
    for (let rank = 1; rank <= 5; rank++) expect(w[rank - 1]).toBeCloseTo(1 / rank ** 0.99, 12)
  })

  it('is strictly decreasing for s > 0', () => {
    const w = zipfWeights({ n: 1000, s: 0.99 })
    for (let i = 1; i < w.length; i++) expect(w[i] as number).toBeLessThan(w[i - 1] as number)
  })

  it('is flat for s = 0 and empty for n = 0', () => {
    expect(Array.from(zipfWeights({ n: 4, s: 0 }))).toEqual([1, 1, 1, 1])
    expect(zipfWeights({ n: 0, s: 1 })).toHaveLength(0)
  })
})

describe('sampleDistinct', () => {
  it('returns k distinct integers from [0, n)', () => {
    const s = new Rng(17).stream('distinct')
    const out = sampleDistinct(s, { n: 50, k: 20 })
    expect(out).toHaveLength(20)
    expect(new Set(out).size).toBe(20)
    for (const v of out) {
      expect(Number.isInteger(v)).toBe(true)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(50)
    }
  })

  it('k = n returns a permutation of 0..n-1', () => {
    const s = new Rng(18).stream('distinct')
    const out = sampleDistinct(s, { n: 30, k: 30 })
    expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('k = 0 returns an empty list', () => {
    expect(sampleDistinct(new Rng(19).stream('d'), { n: 10, k: 0 })).toEqual([])
  })

  it('refuses k > n', () => {
    expect(() => sampleDistinct(new Rng(20).stream('d'), { n: 5, k: 6 })).toThrow(/6 distinct values from 5/)
  })

  it('is deterministic for a seed', () => {
    expect(sampleDistinct(new Rng(21).stream('d'), { n: 1000, k: 10 })).toEqual(sampleDistinct(new Rng(21).stream('d'), { n: 1000, k: 10 }))
  })
})
