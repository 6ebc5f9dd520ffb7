// How many sessions arrive where and when: the intensity the traffic's thinning samples (the
// scenario's rate x the region's share x its diurnal curve x overload faults), and from it an
// estimate of a run's operations that draws nothing.
import { overloadFactorAt, type FaultSpec } from './faults.ts'
import type { RateProfile } from './rate-profile.ts'
import type { WorldSpec } from './world-spec.ts'

/** Session arrivals per second in each region at a time: the intensity the thinning samples. */
export class ArrivalIntensity {
  readonly regionShare: Float64Array
  private readonly regionPhase: Float64Array
  /** Overload faults per region (only those regions pay for the lookup). */
  readonly regionFaults: ReadonlyArray<readonly FaultSpec[]>
  /** Each flash crowd's video's share of the world's views (its Zipf weight). */
  readonly crowdShare: Float64Array
  private readonly spec: WorldSpec
  private readonly rate: RateProfile

  constructor(spec: WorldSpec, rate: RateProfile, faults: readonly FaultSpec[]) {
    this.spec = spec
    this.rate = rate
    const shareTotal = spec.regions.reduce((sum, region) => sum + region.userShare, 0)
    this.regionShare = Float64Array.from(spec.regions.map((region) => region.userShare / shareTotal))
    this.regionPhase = Float64Array.from(spec.regions.map((region) => region.utcOffsetH / 24))
    this.regionFaults = spec.regions.map((region) => faults.filter((fault) => fault.kind === 'overload' && fault.region === region.id))
    const zipfTotal = harmonic(spec.videos, spec.zipfS)
    this.crowdShare = Float64Array.from(spec.flashCrowds.map((crowd) => 1 / Math.pow(crowd.videoRank, spec.zipfS) / zipfTotal))
  }

  at(region: number, tMs: number): number {
    const tS = tMs / 1000
    const base = this.rate.rateAt(tS)
    if (base === 0) return 0
    const phase = tS / this.spec.dayLengthS + (this.regionPhase[region] as number)
    const diurnal = 1 + this.spec.diurnalAmplitude * Math.sin(2 * Math.PI * phase)
    const faults = this.regionFaults[region] as readonly FaultSpec[]
    const overload = faults.length === 0 ? 1 : overloadFactorAt(faults, (this.spec.regions[region] as { id: string }).id, tMs)
    return base * (this.regionShare[region] as number) * diurnal * overload
  }
}

/**
 * About how many operations a traffic stream holds, for sizing buffers and choosing how to run
 * (not a promise): the expected sessions (the arrival intensity and flash crowds integrated over
 * the run) times the operations a session makes on average, plus the farms' expected requests.
 * Draws nothing.
 */
export function estimateOperations({ spec, faults, rate, durationS }: { spec: WorldSpec; faults: readonly FaultSpec[]; rate: RateProfile; durationS: number }): number {
  const intensity = new ArrivalIntensity(spec, rate, faults)
  const steps = 1000
  const stepMs = (durationS * 1000) / steps
  let sessions = 0
  for (let step = 0; step < steps; step++) {
    const tMs = (step + 0.5) * stepMs
    for (let region = 0; region < spec.regions.length; region++) sessions += (intensity.at(region, tMs) * stepMs) / 1000
    for (let c = 0; c < spec.flashCrowds.length; c++) {
      const crowd = spec.flashCrowds[c] as (typeof spec.flashCrowds)[number]
      if (tMs < crowd.startS * 1000 || tMs >= crowd.endS * 1000) continue
      const share = intensity.crowdShare[c] as number
      sessions += (rate.rateAt(tMs / 1000) * (crowd.factor - 1) * share * stepMs) / 1000
    }
  }
  const b = spec.behaviour
  const afterLike = 1 + b.secondDeviceP + b.readBackP + b.rereadP + b.unlikeP * (1 + b.readBackP)
  const perSession = (2 + b.likeAfterViewP * afterLike) * (1 + b.duplicateP)
  let farmRequests = 0
  for (const farm of spec.farms) {
    if (farm.kind === 'flood') farmRequests += farm.accounts * farm.requestsPerS * farm.burstS
    else if (farm.kind === 'careless') farmRequests += farm.accounts * farm.targetVideos * farm.likeShare
    else farmRequests += farm.accounts * (farm.targetVideos * farm.likeShare + farm.coverLikes) * (1 + farm.watchShare)
  }
  return Math.round(sessions * perSession + farmRequests)
}

function harmonic(n: number, s: number): number {
  let total = 0
  for (let rank = 1; rank <= n; rank++) total += 1 / Math.pow(rank, s)
  return total
}
