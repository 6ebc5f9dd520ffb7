// Student's t quantiles against the published table (the interval of --seeds rests on them), and
// the sample statistics at their edges.
import { describe, expect, it } from 'vitest'
import { sampleStats, studentTQuantile } from '../../reports/sample-stats.ts'

describe('Student t quantile', () => {
  it.each([
    // Two-sided 95% (p = 0.975) and 99% (p = 0.995) critical values, as every t table prints them.
    [0.975, 1, 12.706],
    [0.975, 2, 4.303],
    [0.975, 4, 2.776],
    [0.975, 9, 2.262],
    [0.975, 29, 2.045],
    [0.975, 120, 1.98],
    [0.975, 1e6, 1.96],
    [0.995, 4, 4.604],
    [0.995, 10, 3.169],
  ])('p %d, df %d: %d', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 3)
  })

  it('refuses a p or df it has no answer for', () => {
    expect(() => studentTQuantile(0.4, 3)).toThrow(RangeError)
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError)
  })
})

describe('sample statistics', () => {
  it('are null for no values and have no spread for one', () => {
    expect(sampleStats([])).toBeNull()
    expect(sampleStats([3])).toEqual({ n: 1, mean: 3, sd: null, min: 3, max: 3, ci: null })
  })

  it('divide by n - 1 and widen the interval by t, not by 1.96', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32 / 7.
    const stats = sampleStats([2, 4, 4, 4, 5, 5, 7, 9])
    expect(stats?.mean).toBe(5)
    expect(stats?.sd).toBeCloseTo(Math.sqrt(32 / 7), 12)
    const half = (2.364624 * Math.sqrt(32 / 7)) / Math.sqrt(8)
    expect(stats?.ci?.low).toBeCloseTo(5 - half, 5)
    expect(stats?.ci?.high).toBeCloseTo(5 + half, 5)
    const wider = sampleStats([2, 4, 4, 4, 5, 5, 7, 9], { level: 0.99 })
    expect((wider?.ci?.high ?? 0) - 5).toBeGreaterThan(half)
  })
})
