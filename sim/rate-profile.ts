// Offered load over time as a piecewise-linear profile of (time, rate) knots. The scenario layer
// derives it from the k6 options; the world only needs "how many sessions per second at t".
// The profile is right-continuous: at a step (two knots at one time) the later knot holds from
// that instant on, and the rate is 0 before the first knot and from the last knot on.

export interface RateKnot {
  readonly tS: number
  readonly ratePerS: number
}

export class RateProfile {
  readonly knots: readonly RateKnot[]
  readonly startS: number
  readonly endS: number

  constructor(knots: readonly RateKnot[]) {
    for (let i = 1; i < knots.length; i++) {
      if ((knots[i] as RateKnot).tS < (knots[i - 1] as RateKnot).tS) throw new Error('rate profile: knots out of order')
    }
    for (const knot of knots) {
      if (!(knot.ratePerS >= 0) || !Number.isFinite(knot.tS)) throw new Error(`rate profile: bad knot ${JSON.stringify(knot)}`)
    }
    this.knots = knots
    this.startS = knots.length === 0 ? 0 : (knots[0] as RateKnot).tS
    this.endS = knots.length === 0 ? 0 : (knots[knots.length - 1] as RateKnot).tS
  }

  /** Rate at t (right limit). */
  rateAt(tS: number): number {
    const knots = this.knots
    if (knots.length < 2 || tS < this.startS || tS >= this.endS) return 0
    // Last knot with time <= t.
    let lo = 0
    let hi = knots.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((knots[mid] as RateKnot).tS <= tS) lo = mid
      else hi = mid - 1
    }
    return interpolate(knots[lo] as RateKnot, knots[lo + 1] as RateKnot, tS)
  }

  /** Rate just before t (left limit). */
  rateBefore(tS: number): number {
    const knots = this.knots
    if (knots.length < 2 || tS <= this.startS || tS > this.endS) return 0
    // First knot with time >= t.
    let lo = 0
    let hi = knots.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((knots[mid] as RateKnot).tS >= tS) hi = mid
      else lo = mid + 1
    }
    return interpolate(knots[lo - 1] as RateKnot, knots[lo] as RateKnot, tS)
  }

  /** Expected number of arrivals in [0, endS): the integral of the rate. */
  totalArrivals(): number {
    let total = 0
    for (let i = 1; i < this.knots.length; i++) {
      const a = this.knots[i - 1] as RateKnot
      const b = this.knots[i] as RateKnot
      total += ((a.ratePerS + b.ratePerS) / 2) * (b.tS - a.tS)
    }
    return total
  }

  /** Pointwise sum of several profiles (exact for piecewise-linear inputs). */
  static sum(profiles: readonly RateProfile[]): RateProfile {
    const times = Array.from(new Set(profiles.flatMap((p) => p.knots.map((k) => k.tS)))).sort((a, b) => a - b)
    const knots: RateKnot[] = []
    for (const tS of times) {
      const left = profiles.reduce((sum, p) => sum + p.rateBefore(tS), 0)
      const right = profiles.reduce((sum, p) => sum + p.rateAt(tS), 0)
      if (knots.length > 0 && left !== right) knots.push({ tS, ratePerS: left })
      knots.push({ tS, ratePerS: right })
    }
    // The last knot closes the profile; keep its left value so the final segment is right.
    if (knots.length > 0) {
      const lastT = times[times.length - 1] as number
      const left = profiles.reduce((sum, p) => sum + p.rateBefore(lastT), 0)
      knots[knots.length - 1] = { tS: lastT, ratePerS: left }
    }
    return new RateProfile(knots)
  }
}

function interpolate(a: RateKnot, b: RateKnot, tS: number): number {
  if (b.tS === a.tS) return b.ratePerS
  return a.ratePerS + ((b.ratePerS - a.ratePerS) * (tS - a.tS)) / (b.tS - a.tS)
}
