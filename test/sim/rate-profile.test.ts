// Offered load as a piecewise-linear, right-continuous profile.
import { describe, expect, it } from 'vitest'
import { RateProfile } from '../../sim/rate-profile.ts'

const constant = new RateProfile([
  { tS: 10, ratePerS: 50 },
  { tS: 70, ratePerS: 50 },
])
const ramp = new RateProfile([
  { tS: 0, ratePerS: 0 },
  { tS: 20, ratePerS: 100 },
  { tS: 40, ratePerS: 100 },
  { tS: 60, ratePerS: 20 },
])
// Steps: 10/s on [0, 10), 30/s on [10, 20), 5/s on [20, 30).
const steps = new RateProfile([
  { tS: 0, ratePerS: 10 },
  { tS: 10, ratePerS: 10 },
  { tS: 10, ratePerS: 30 },
  { tS: 20, ratePerS: 30 },
  { tS: 20, ratePerS: 5 },
  { tS: 30, ratePerS: 5 },
])

describe('RateProfile.rateAt', () => {
  it('is constant inside a flat profile and 0 outside it', () => {
    expect(constant.startS).toBe(10)
    expect(constant.endS).toBe(70)
    expect(constant.rateAt(10)).toBe(50)
    expect(constant.rateAt(40)).toBe(50)
    expect(constant.rateAt(69.999)).toBe(50)
    expect(constant.rateAt(9.999)).toBe(0)
    expect(constant.rateAt(70)).toBe(0)
    expect(constant.rateAt(1e6)).toBe(0)
    expect(constant.rateAt(-5)).toBe(0)
  })

  it('interpolates linearly on ramps', () => {
    expect(ramp.rateAt(0)).toBe(0)
    expect(ramp.rateAt(5)).toBeCloseTo(25, 12)
    expect(ramp.rateAt(10)).toBeCloseTo(50, 12)
    expect(ramp.rateAt(20)).toBe(100)
    expect(ramp.rateAt(30)).toBe(100)
    expect(ramp.rateAt(50)).toBeCloseTo(60, 12)
    expect(ramp.rateAt(59)).toBeCloseTo(24, 12)
    expect(ramp.rateAt(60)).toBe(0)
  })

  it('is right-continuous at steps: the later knot holds from the step on', () => {
    expect(steps.rateAt(0)).toBe(10)
    expect(steps.rateAt(9.99)).toBe(10)
    expect(steps.rateAt(10)).toBe(30)
    expect(steps.rateAt(15)).toBe(30)
    expect(steps.rateAt(20)).toBe(5)
    expect(steps.rateAt(29.9)).toBe(5)
    expect(steps.rateAt(30)).toBe(0)
  })

  it('a step at the very start holds from the start', () => {
    const p = new RateProfile([
      { tS: 0, ratePerS: 0 },
      { tS: 0, ratePerS: 40 },
      { tS: 10, ratePerS: 40 },
    ])
    expect(p.rateAt(0)).toBe(40)
    expect(p.rateAt(5)).toBe(40)
    expect(p.rateBefore(5)).toBe(40)
  })

  it('is 0 everywhere with fewer than two knots', () => {
    expect(new RateProfile([]).rateAt(0)).toBe(0)
    const single = new RateProfile([{ tS: 5, ratePerS: 100 }])
    expect(single.rateAt(5)).toBe(0)
    expect(single.rateAt(4)).toBe(0)
    expect(single.totalArrivals()).toBe(0)
  })
})

describe('RateProfile.rateBefore', () => {
  it('is the left limit: the earlier knot holds up to a step', () => {
    expect(steps.rateBefore(10)).toBe(10)
    expect(steps.rateBefore(20)).toBe(30)
    expect(steps.rateBefore(30)).toBe(5)
    expect(steps.rateBefore(15)).toBe(30)
  })

  it('equals rateAt wherever the profile is continuous', () => {
    for (const t of [1, 5, 13, 20, 27, 40, 55]) expect(ramp.rateBefore(t)).toBeCloseTo(ramp.rateAt(t), 12)
  })

  it('is 0 at or before the start and after the end, but not at the end', () => {
    expect(constant.rateBefore(10)).toBe(0)
    expect(constant.rateBefore(5)).toBe(0)
    expect(constant.rateBefore(70)).toBe(50)
    expect(constant.rateBefore(70.001)).toBe(0)
    expect(ramp.rateBefore(60)).toBeCloseTo(20, 12)
  })
})

describe('RateProfile.totalArrivals', () => {
  it('is the integral of the rate', () => {
    expect(constant.totalArrivals()).toBe(50 * 60)
    // Triangle 0->100 over 20s (1000) + flat 100 over 20s (2000) + trapezoid 100->20 over 20s (1200).
    expect(ramp.totalArrivals()).toBeCloseTo(4200, 9)
    expect(steps.totalArrivals()).toBe(100 + 300 + 50)
    expect(new RateProfile([]).totalArrivals()).toBe(0)
  })

  it('agrees with a numerical integral of rateAt', () => {
    let sum = 0
    const dt = 0.001
    for (let t = 0; t < 60; t += dt) sum += ramp.rateAt(t + dt / 2) * dt
    expect(sum).toBeCloseTo(ramp.totalArrivals(), 0)
  })
})

describe('RateProfile construction', () => {
  it('refuses knots out of order', () => {
    expect(
      () =>
        new RateProfile([
          { tS: 10, ratePerS: 1 },
          { tS: 5, ratePerS: 1 },
        ]),
    ).toThrow(/out of order/)
  })

  it.each([
    ['negative rate', { tS: 0, ratePerS: -1 }],
    ['NaN rate', { tS: 0, ratePerS: Number.NaN }],
    ['infinite time', { tS: Infinity, ratePerS: 1 }],
    ['NaN time', { tS: Number.NaN, ratePerS: 1 }],
  ])('refuses a knot with a %s', (_label, knot) => {
    expect(() => new RateProfile([knot])).toThrow(/bad knot/)
  })
})

describe('RateProfile.sum', () => {
  const sample = (p: RateProfile, from: number, to: number, step = 0.25): number[] => {
    const out: number[] = []
    for (let t = from; t <= to; t += step) out.push(p.rateAt(t))
    return out
  }
  const pointwise = (ps: RateProfile[], from: number, to: number, step = 0.25): number[] => {
    const out: number[] = []
    for (let t = from; t <= to; t += step) out.push(ps.reduce((sum, p) => sum + p.rateAt(t), 0))
    return out
  }
  const close = (a: number[], b: number[]): void => {
    expect(a).toHaveLength(b.length)
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 9))
  }

  it('adds overlapping profiles pointwise (ramp + flat)', () => {
    const a = new RateProfile([
      { tS: 0, ratePerS: 0 },
      { tS: 10, ratePerS: 10 },
    ])
    const b = new RateProfile([
      { tS: 5, ratePerS: 4 },
      { tS: 15, ratePerS: 4 },
    ])
    const s = RateProfile.sum([a, b])
    close(sample(s, -2, 17), pointwise([a, b], -2, 17))
    expect(s.rateAt(7)).toBeCloseTo(11, 12)
    expect(s.rateAt(5)).toBe(9)
    expect(s.rateBefore(5)).toBe(5)
    expect(s.rateAt(10)).toBe(4)
    expect(s.rateBefore(10)).toBe(14)
    expect(s.totalArrivals()).toBeCloseTo(a.totalArrivals() + b.totalArrivals(), 9)
  })

  it('joins adjacent profiles with a step where one ends and the next begins', () => {
    const a = new RateProfile([
      { tS: 0, ratePerS: 10 },
      { tS: 10, ratePerS: 10 },
    ])
    const b = new RateProfile([
      { tS: 10, ratePerS: 5 },
      { tS: 20, ratePerS: 5 },
    ])
    const s = RateProfile.sum([a, b])
    expect(s.startS).toBe(0)
    expect(s.endS).toBe(20)
    expect(s.rateAt(9.9)).toBe(10)
    expect(s.rateAt(10)).toBe(5)
    expect(s.rateBefore(10)).toBe(10)
    expect(s.rateAt(19.9)).toBe(5)
    expect(s.rateBefore(20)).toBe(5)
    expect(s.rateAt(20)).toBe(0)
    expect(s.totalArrivals()).toBe(150)
  })

  it('leaves a gap at zero between disjoint profiles', () => {
    const a = new RateProfile([
      { tS: 0, ratePerS: 10 },
      { tS: 10, ratePerS: 10 },
    ])
    const b = new RateProfile([
      { tS: 20, ratePerS: 5 },
      { tS: 30, ratePerS: 5 },
    ])
    const s = RateProfile.sum([a, b])
    close(sample(s, -1, 31), pointwise([a, b], -1, 31))
    expect(s.rateAt(15)).toBe(0)
    expect(s.totalArrivals()).toBe(150)
  })

  it('sums steps and ramps exactly at every sampled point', () => {
    const ps = [steps, ramp, constant]
    const s = RateProfile.sum(ps)
    close(sample(s, -1, 75, 0.125), pointwise(ps, -1, 75, 0.125))
    expect(s.totalArrivals()).toBeCloseTo(steps.totalArrivals() + ramp.totalArrivals() + constant.totalArrivals(), 9)
  })

  it('of a single profile is the same function', () => {
    const s = RateProfile.sum([steps])
    close(sample(s, -1, 31, 0.5), sample(steps, -1, 31, 0.5))
    expect(s.totalArrivals()).toBe(steps.totalArrivals())
  })

  it('of nothing is the zero profile', () => {
    const s = RateProfile.sum([])
    expect(s.knots).toEqual([])
    expect(s.rateAt(0)).toBe(0)
    expect(s.totalArrivals()).toBe(0)
  })
})
