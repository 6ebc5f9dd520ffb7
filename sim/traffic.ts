// The world's traffic: a lazy, time-ordered stream of operations.
//
// Genuine sessions arrive per region as a non-homogeneous Poisson process (sampled by thinning,
// Lewis & Shedler) with intensity  base(t) x regionShare x diurnal(t) x overload(t):  base(t) is
// the scenario's offered rate (from its k6 options), the diurnal curve is shifted by the region's
// time zone, and an overload fault multiplies the region's arrivals (the 2020-07-23 incident was
// more traffic, not less capacity). A session reads the video's counts, views it, and sometimes
// likes it; a like may be read back, repeated from a second device, or undone later.
// Flash crowds add sessions on one video. Bot farms add their own likes (pre-generated per farm,
// merged by time). Everything after the run's end is discarded.
import { logNormal, standardNormal } from './distributions.ts'
import { CalendarQueue } from './calendar-queue.ts'
import { overloadFactorAt, type FaultSpec } from './faults.ts'
import { OpKind, type Operation } from './operation.ts'
import type { Population } from './population.ts'
import type { RateProfile } from './rate-profile.ts'
import type { RandomStream, Rng } from './rng.ts'
import type { BehaviourSpec, WorldSpec } from './world-spec.ts'

/** A queued operation (the queue holds operations only; sources live outside it). */
interface Pending extends Operation {
  seq: number
}

interface FarmOps {
  readonly atMs: Float64Array
  readonly kind: Uint8Array
  readonly user: Int32Array
  readonly video: Int32Array
  readonly watchMs: Int32Array
  cursor: number
}

export interface TrafficOptions {
  readonly spec: WorldSpec
  readonly population: Population
  readonly faults: readonly FaultSpec[]
  readonly rate: RateProfile
  readonly durationS: number
  readonly rng: Rng
}

export class TrafficGenerator {
  private readonly queue = new CalendarQueue<Pending>()
  private readonly spec: WorldSpec
  private readonly behaviour: BehaviourSpec
  private readonly population: Population
  private readonly rate: RateProfile
  private readonly durationMs: number
  private readonly sessions: RandomStream
  private readonly arrivals: RandomStream
  private readonly regionShare: Float64Array
  private readonly regionPhase: Float64Array
  private readonly regionMaxRate: Float64Array
  private readonly crowdMaxRate: Float64Array
  private readonly farmOps: FarmOps[]
  private readonly videoShare: Float64Array
  /** Next session arrival per region, per flash crowd (Infinity when that source is done). */
  private readonly rootNextMs: Float64Array
  private readonly crowdNextMs: Float64Array
  /** The nearest other region of each region (where a second device connects). */
  private readonly neighbour: Int32Array
  /** Overload faults per region (only those regions pay for the lookup). */
  private readonly regionFaults: ReadonlyArray<readonly FaultSpec[]>
  private nextId = 0
  /** The queue's head is known to be the next operation (no source is due before it). */
  private settled = false
  private nextSession = 0
  emitted = 0

  constructor(options: TrafficOptions) {
    const { spec, population, faults, rate, durationS, rng } = options
    this.spec = spec
    this.behaviour = spec.behaviour
    this.population = population
    this.rate = rate
    this.durationMs = durationS * 1000
    this.sessions = rng.stream('sessions')
    this.arrivals = rng.stream('arrivals')
    const shareTotal = spec.regions.reduce((sum, region) => sum + region.userShare, 0)
    this.regionShare = Float64Array.from(spec.regions.map((region) => region.userShare / shareTotal))
    this.regionPhase = Float64Array.from(spec.regions.map((region) => region.utcOffsetH / 24))
    const baseMax = Math.max(0, ...rate.knots.map((knot) => knot.ratePerS))
    this.regionMaxRate = Float64Array.from(spec.regions.map((region, i) => {
      let overloadMax = 1
      for (const fault of faults) if (fault.kind === 'overload' && fault.region === region.id) overloadMax *= fault.factor
      return baseMax * (this.regionShare[i] as number) * (1 + spec.diurnalAmplitude) * overloadMax
    }))
    const zipfTotal = harmonic(spec.videos, spec.zipfS)
    this.videoShare = Float64Array.from(spec.flashCrowds.map((crowd) => 1 / Math.pow(crowd.videoRank, spec.zipfS) / zipfTotal))
    this.crowdMaxRate = Float64Array.from(spec.flashCrowds.map((crowd, i) => baseMax * (crowd.factor - 1) * (this.videoShare[i] as number)))
    this.farmOps = population.farms.map((farm) => generateFarmOps(farm.index, population, this.durationMs, rng.stream(`farm-ops-${farm.index}`)))
    const regionIndex = new Map(spec.regions.map((region, i) => [region.id, i]))
    this.neighbour = Int32Array.from(spec.regions.map((region, i) => regionIndex.get(region.failoverOrder[0] ?? '') ?? i))
    this.regionFaults = spec.regions.map((region) => faults.filter((fault) => fault.kind === 'overload' && fault.region === region.id))
    this.rootNextMs = new Float64Array(spec.regions.length)
    this.crowdNextMs = new Float64Array(spec.flashCrowds.length)
    spec.regions.forEach((_, region) => {
      this.rootNextMs[region] = this.nextRootMs(region, 0)
    })
    spec.flashCrowds.forEach((crowd, index) => {
      this.crowdNextMs[index] = this.nextCrowdMs(index, crowd.startS * 1000)
    })
  }

  /** Time of the next operation, Infinity when the stream is done. */
  peekTimeMs(): number {
    if (!this.settled) this.settle()
    return this.queue.peekTimeMs()
  }

  next(): Operation | undefined {
    if (!this.settled) this.settle()
    this.settled = false
    const item = this.queue.pop()
    if (item === undefined) return undefined
    this.emitted++
    // The queued item becomes the operation: no copy on the hot path.
    item.id = this.nextId++
    return item
  }

  /**
   * Start every session (and release every farm like) due no later than the queue's head, so
   * the head is the next operation. Sources are a handful of next-times scanned linearly.
   */
  private settle(): void {
    for (;;) {
      const headMs = this.queue.peekTimeMs()
      let source = -1
      let sourceMs = headMs
      const roots = this.rootNextMs
      for (let region = 0; region < roots.length; region++) {
        if ((roots[region] as number) < sourceMs) {
          sourceMs = roots[region] as number
          source = region
        }
      }
      const crowds = this.crowdNextMs
      for (let index = 0; index < crowds.length; index++) {
        if ((crowds[index] as number) < sourceMs) {
          sourceMs = crowds[index] as number
          source = 1000 + index
        }
      }
      const farms = this.farmOps
      for (let index = 0; index < farms.length; index++) {
        const ops = farms[index] as FarmOps
        if (ops.cursor < ops.atMs.length && (ops.atMs[ops.cursor] as number) < sourceMs) {
          sourceMs = ops.atMs[ops.cursor] as number
          source = 2000 + index
        }
      }
      if (source < 0) {
        this.settled = true
        return
      }
      if (source < 1000) {
        this.startSession(source, sourceMs, -1)
        this.rootNextMs[source] = this.nextRootMs(source, sourceMs)
      } else if (source < 2000) {
        const index = source - 1000
        const video = this.population.rankToVideo[(this.spec.flashCrowds[index] as { videoRank: number }).videoRank - 1] as number
        this.startSession(this.pickRegion(), sourceMs, video)
        this.crowdNextMs[index] = this.nextCrowdMs(index, sourceMs)
      } else {
        this.emitFarmOp(source - 2000)
      }
    }
  }

  private intensity(region: number, tMs: number): number {
    const tS = tMs / 1000
    const base = this.rate.rateAt(tS)
    if (base === 0) return 0
    const phase = tS / this.spec.dayLengthS + (this.regionPhase[region] as number)
    const diurnal = 1 + this.spec.diurnalAmplitude * Math.sin(2 * Math.PI * phase)
    const faults = this.regionFaults[region] as readonly FaultSpec[]
    const overload = faults.length === 0 ? 1 : overloadFactorAt(faults, (this.spec.regions[region] as { id: string }).id, tMs)
    return base * (this.regionShare[region] as number) * diurnal * overload
  }

  /** Thinning: candidates at the region's maximum rate, kept with probability rate(t)/max. */
  private nextRootMs(region: number, fromMs: number): number {
    const maxRate = this.regionMaxRate[region] as number
    if (!(maxRate > 0)) return Infinity
    const endMs = Math.min(this.durationMs, this.rate.endS * 1000)
    let t = Math.max(fromMs, this.rate.startS * 1000)
    for (;;) {
      t += this.arrivals.exponential(1000 / maxRate)
      if (t >= endMs) return Infinity
      if (this.arrivals.next() * maxRate < this.intensity(region, t)) return t
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

  private emitFarmOp(index: number): void {
    const ops = this.farmOps[index] as FarmOps
    const i = ops.cursor++
    this.push(ops.atMs[i] as number, ops.kind[i] as number, ops.user[i] as number, ops.video[i] as number, 0, ops.watchMs[i] as number, this.nextSession++, -1, null)
  }

  private pickRegion(): number {
    let u = this.sessions.next()
    for (let region = 0; region < this.regionShare.length; region++) {
      u -= this.regionShare[region] as number
      if (u < 0) return region
    }
    return this.regionShare.length - 1
  }

  /** A genuine session: read the counts, watch, maybe like (and what follows a like). */
  private startSession(region: number, atMs: number, fixedVideo: number): void {
    const s = this.sessions
    const p = this.population
    const b = this.behaviour
    const members = p.regionUsers[region] as Int32Array
    if (members.length === 0) return
    const user = members[(p.regionActivity[region] as { sample(stream: RandomStream): number }).sample(s)] as number
    const video = fixedVideo >= 0 ? fixedVideo : (p.rankToVideo[p.popularity.sample(s)] as number)
    const session = this.nextSession++
    this.push(atMs, OpKind.ReadVideo, user, video, 0, 0, session, -1, null)
    const watchMs = Math.round(Math.min(b.watchMaxMs, logNormal(s, { median: b.watchMedianMs, sigma: b.watchSigma })))
    // The view is reported once playback has run a moment; a like comes after it, mid-watch.
    const viewAt = atMs + Math.min(watchMs, 1500) + 100
    this.pushWrite(viewAt, OpKind.View, user, video, 0, watchMs, session, -1)
    if (!s.chance(b.likeAfterViewP)) return
    const likeAt = viewAt + s.between(200, Math.max(400, watchMs - 1500))
    if (b.flapSessionP > 0 && s.chance(b.flapSessionP)) {
      this.flap(region, user, video, session, likeAt)
      return
    }
    this.pushWrite(likeAt, OpKind.Like, user, video, 0, 0, session, -1)
    if (s.chance(b.secondDeviceP)) this.pushWrite(likeAt + s.between(50, 1500), OpKind.Like, user, video, 1, 0, session, -1)
    if (s.chance(b.readBackP)) this.push(likeAt + s.between(500, 5000), OpKind.ReadLiked, user, video, 0, 0, session, -1, null)
    if (s.chance(b.rereadP)) this.push(likeAt + s.between(300, 3000), OpKind.ReadVideo, user, video, 0, 0, session, -1, null)
    if (s.chance(b.unlikeP)) {
      const unlikeAt = likeAt + s.between(3000, 60_000)
      this.pushWrite(unlikeAt, OpKind.Unlike, user, video, 0, 0, session, -1)
      if (s.chance(b.readBackP)) this.push(unlikeAt + s.between(500, 5000), OpKind.ReadLiked, user, video, 0, 0, session, -1, null)
    }
  }

  /**
   * "My like keeps getting unliked": a burst of like/unlike taps from two devices. The second
   * device reaches the nearest other region, so taps race across regions; some taps are
   * delivered twice by the network. The user's intent is the last tap; both devices read it back.
   */
  private flap(region: number, user: number, video: number, session: number, startMs: number): void {
    const s = this.sessions
    const b = this.behaviour
    const taps = b.flapTapsMin + s.int(b.flapTapsMax - b.flapTapsMin + 1)
    const otherRegion = this.neighbour[region] as number
    let t = startMs
    let liked = false
    for (let tap = 0; tap < taps; tap++) {
      liked = !liked
      const device = tap === 0 ? 0 : s.int(2)
      this.pushWrite(t, liked ? OpKind.Like : OpKind.Unlike, user, video, device, 0, session, device === 1 ? otherRegion : -1)
      t += s.between(b.flapGapMinMs, b.flapGapMaxMs)
    }
    this.push(t + s.between(1000, 3000), OpKind.ReadLiked, user, video, 0, 0, session, -1, null)
    this.push(t + s.between(1000, 3000), OpKind.ReadLiked, user, video, 1, 0, session, otherRegion, null)
  }

  /** A write, which the network may deliver twice (the copy carries the same idempotency key). */
  private pushWrite(atMs: number, kind: number, user: number, video: number, device: number, watchMs: number, session: number, route: number): void {
    const op = this.push(atMs, kind, user, video, device, watchMs, session, route, null)
    if (op !== null && this.behaviour.duplicateP > 0 && this.sessions.chance(this.behaviour.duplicateP)) {
      this.push(atMs + this.sessions.between(10, 300), kind, user, video, device, watchMs, session, route, op)
    }
  }

  private push(atMs: number, kind: number, user: number, video: number, device: number, watchMs: number, session: number, route: number, original: Operation | null): Pending | null {
    if (atMs >= this.durationMs) return null
    const op: Pending = { id: -1, atMs, kind: kind as OpKind, user, video, device, watchMs, session, route, original, seq: 0 }
    this.queue.push(op)
    return op
  }
}

function harmonic(n: number, s: number): number {
  let total = 0
  for (let rank = 1; rank <= n; rank++) total += 1 / Math.pow(rank, s)
  return total
}

/**
 * A farm's likes, pre-generated and sorted. Careless farms work through their ordered targets in
 * lockstep: target j is liked around the centre of its slot of the burst. Stealthy farms spread
 * likes over the whole run, mix in likes of popular videos, and watch some of what they like.
 */
function generateFarmOps(index: number, population: Population, durationMs: number, stream: RandomStream): FarmOps {
  const farm = population.farms[index]
  const rows: Array<[number, number, number, number, number]> = []
  if (farm !== undefined) {
    const { spec: farmSpec, members, targets } = farm
    const startMs = farmSpec.startS * 1000
    const burstMs = farmSpec.burstS * 1000
    const slotMs = burstMs / targets.length
    for (const user of members) {
      if (farmSpec.kind === 'flood') {
        // A flood: Poisson requests at requestsPerS for the burst, mostly reads of popular
        // videos, some views and likes (none of which may count if they are rejected).
        let at = startMs + stream.exponential(1000 / farmSpec.requestsPerS)
        while (at < startMs + burstMs) {
          const video = population.rankToVideo[population.popularity.sample(stream)] as number
          const u = stream.next()
          if (u < 0.6) rows.push([at, OpKind.ReadVideo, user, video, 0])
          else if (u < 0.9) rows.push([at, OpKind.View, user, video, 1000])
          else rows.push([at, OpKind.Like, user, video, 0])
          at += stream.exponential(1000 / farmSpec.requestsPerS)
        }
      } else if (farmSpec.kind === 'careless') {
        targets.forEach((video, j) => {
          if (!stream.chance(farmSpec.likeShare)) return
          const centre = startMs + (j + 0.5) * slotMs
          const at = Math.min(startMs + burstMs, Math.max(startMs, centre + standardNormal(stream) * slotMs * 0.5))
          rows.push([at, OpKind.Like, user, video, 0])
        })
      } else {
        const liked: number[] = []
        for (const video of targets) if (stream.chance(farmSpec.likeShare)) liked.push(video)
        for (let i = 0; i < farmSpec.coverLikes; i++) liked.push(population.rankToVideo[population.popularity.sample(stream)] as number)
        for (const video of new Set(liked)) {
          const at = stream.between(0, durationMs - 1)
          if (stream.chance(farmSpec.watchShare)) {
            const watchMs = Math.round(stream.between(1000, 3000))
            rows.push([Math.max(0, at - watchMs), OpKind.View, user, video, watchMs])
          }
          rows.push([at, OpKind.Like, user, video, 0])
        }
      }
    }
  }
  rows.sort((a, b) => a[0] - b[0])
  const kept = rows.filter((row) => row[0] < durationMs)
  return {
    atMs: Float64Array.from(kept, (row) => row[0]),
    kind: Uint8Array.from(kept, (row) => row[1]),
    user: Int32Array.from(kept, (row) => row[2]),
    video: Int32Array.from(kept, (row) => row[3]),
    watchMs: Int32Array.from(kept, (row) => row[4]),
    cursor: 0,
  }
}
