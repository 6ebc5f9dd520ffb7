// When genuine sessions start: per region a non-homogeneous Poisson process sampled by thinning
// (Lewis & Shedler) against the arrival intensity (sim/arrival-intensity.ts), and per flash crowd
// the extra sessions on its video, thinned against the scenario's rate. All the times come from
// the run's 'arrivals' stream, region by region as each is taken, so the sessions' own draws
// (sim/traffic.ts) never shift them.
import { ArrivalIntensity } from './arrival-intensity.ts'
import type { FaultSpec } from './faults.ts'
import type { RateProfile } from './rate-profile.ts'
import type { RandomStream } from './rng.ts'
import type { WorldSpec } from './world-spec.ts'

/** The next session arrival of every region and flash crowd; the traffic generator takes them in time order. */
export class SessionArrivals {
  /** Next session arrival per region, per flash crowd (Infinity when that source is done). */
  readonly regionNextMs: Float64Array
  readonly crowdNextMs: Float64Array
  /** Each region's share of the genuine sessions (sums to 1). */
  readonly regionShare: Float64Array
  private readonly spec: WorldSpec
  private readonly rate: RateProfile
  private readonly durationMs: number
  private readonly arrivals: RandomStream
  private readonly intensity: ArrivalIntensity
  private readonly regionMaxRate: Float64Array
  private readonly crowdMaxRate: Float64Array
  /** Each flash crowd's video's share of the world's views. */
  private readonly videoShare: Float64Array

  constructor({ spec, rate, faults, durationMs, stream }: { spec: WorldSpec; rate: RateProfile; faults: readonly FaultSpec[]; durationMs: number; stream: RandomStream }) {
    this.spec = spec
    this.rate = rate
    this.durationMs = durationMs
    this.arrivals = stream
    this.intensity = new ArrivalIntensity(spec, rate, faults)
    this.regionShare = this.intensity.regionShare
    const baseMax = Math.max(0, ...rate.knots.map((knot) => knot.ratePerS))
    this.regionMaxRate = Float64Array.from(spec.regions.map((_, i) => {
      let overloadMax = 1
      for (const fault of this.intensity.regionFaults[i] as readonly FaultSpec[]) if (fault.kind === 'overload') overloadMax *= fault.factor
      return baseMax * (this.regionShare[i] as number) * (1 + spec.diurnalAmplitude) * overloadMax
    }))
    this.videoShare = this.intensity.crowdShare
    this.crowdMaxRate = Float64Array.from(spec.flashCrowds.map((crowd, i) => baseMax * (crowd.factor - 1) * (this.videoShare[i] as number)))
    this.regionNextMs = new Float64Array(spec.regions.length)
    this.crowdNextMs = new Float64Array(spec.flashCrowds.length)
    spec.regions.forEach((_, region) => {
      this.regionNextMs[region] = this.nextRegionMs(region, 0)
    })
    spec.flashCrowds.forEach((crowd, index) => {
      this.crowdNextMs[index] = this.nextCrowdMs(index, crowd.startS * 1000)
    })
  }

  /** The region's arrival at `atMs` is taken: draw its next one. */
  advanceRegion(region: number, atMs: number): void {
    this.regionNextMs[region] = this.nextRegionMs(region, atMs)
  }

  /** The flash crowd's arrival at `atMs` is taken: draw its next one. */
  advanceCrowd(index: number, atMs: number): void {
    this.crowdNextMs[index] = this.nextCrowdMs(index, atMs)
  }

  /** Where a flash crowd's session comes from: a region by its share, one draw from `stream`. */
  pickRegion(stream: RandomStream): number {
    let u = stream.next()
    for (let region = 0; region < this.regionShare.length; region++) {
      u -= this.regionShare[region] as number
      if (u < 0) return region
    }
    return this.regionShare.length - 1
  }

  /** Thinning: candidates at the region's maximum rate, kept with probability rate(t)/max. */
  private nextRegionMs(region: number, fromMs: number): number {
    const maxRate = this.regionMaxRate[region] as number
    if (!(maxRate > 0)) return Infinity
    const endMs = Math.min(this.durationMs, this.rate.endS * 1000)
    let t = Math.max(fromMs, this.rate.startS * 1000)
    for (;;) {
      t += this.arrivals.exponential(1000 / maxRate)
      if (t >= endMs) return Infinity
      if (this.arrivals.next() * maxRate < this.intensity.at(region, t)) return t
    }
  }

  private nextCrowdMs(index: number, fromMs: number): number {
    const crowd = this.spec.flashCrowds[index]
    const maxRate = this.crowdMaxRate[index] as number
    if (crowd === undefined || !(maxRate > 0)) return Infinity
    const endMs = Math.min(crowd.endS * 1000, this.durationMs)
    let t = fromMs
    for (;;) {
      t += this.arrivals.exponential(1000 / maxRate)
      if (t >= endMs) return Infinity
      const rate = this.rate.rateAt(t / 1000) * (crowd.factor - 1) * (this.videoShare[index] as number)
      if (this.arrivals.next() * maxRate < rate) return t
    }
  }
}
