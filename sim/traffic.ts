// The world's traffic: a lazy, time-ordered stream of operations.
//
// Genuine sessions arrive per region as a non-homogeneous Poisson process (sampled by thinning,
// Lewis & Shedler) with intensity  base(t) x regionShare x diurnal(t) x overload(t):  base(t) is
// the scenario's offered rate (from its k6 options), the diurnal curve is shifted by the region's
// time zone, and an overload fault multiplies the region's arrivals (the 2020-07-23 incident was
// more traffic, not less capacity). A session reads the video's counts, views it, and sometimes
// likes it; a like may be read back, repeated from a second device, or undone later.
// Flash crowds add sessions on one video. Bot farms add their own likes (pre-generated per farm,
// merged by time). Everything after the run's end is discarded. When sessions start is
// sim/session-arrivals.ts; what waits to be handed out, sim/operation-queue.ts; this file merges
// the sources and plays the sessions.
import { logNormal } from './distributions.ts'
import { generateFanOps, generateFarmOps, type FarmOps } from './farm-traffic.ts'
import { SESSION_MS } from './session-timing.ts'
import type { FaultSpec } from './faults.ts'
import { NO_SLOT, OperationQueue } from './operation-queue.ts'
import { OpKind, type Operation, type OperationRecord, type OperationSource } from './operation.ts'
import type { Population } from './population.ts'
import type { RateProfile } from './rate-profile.ts'
import { SessionArrivals } from './session-arrivals.ts'
import type { AliasTable } from './alias-table.ts'
import type { RandomStream, Rng } from './rng.ts'
import type { BehaviourSpec, WorldSpec } from './world-spec.ts'

/** What the traffic needs of the population: who lives where, how active, what is popular, the farms. */
export type TrafficPopulation = Pick<Population, 'farms' | 'fanGroups' | 'regionUserPickers' | 'popularity' | 'rankToVideo' | 'userRegion'>

export interface TrafficOptions {
  readonly spec: WorldSpec
  readonly population: TrafficPopulation
  readonly faults: readonly FaultSpec[]
  readonly rate: RateProfile
  readonly durationS: number
  readonly rng: Rng
}

/**
 * Where the next event comes from, as one number: a region's session arrivals (its index), a
 * flash crowd (crowdBase + its index) or a farm (farmBase + its index). Regions are at most 8
 * and crowds and farms at most 999 each (WORLD_LIMITS in sim/world-spec.ts).
 */
const SOURCE = { crowdBase: 1000, farmBase: 2000 } as const

/**
 * Read it with `next()` (a fresh Operation each time, `original` linking a network duplicate to
 * its first copy) or, in a hot loop, with `nextInto(record)` (one reused record, the duplicate's
 * key as `keyId`); use one of the two per generator.
 */
export class TrafficGenerator implements OperationSource {
  /** Operations planned, and the one a source has just produced, until they are handed out. */
  private readonly ops: OperationQueue
  private readonly spec: WorldSpec
  private readonly behaviour: BehaviourSpec
  private readonly population: TrafficPopulation
  private readonly sessions: RandomStream
  private readonly arrivals: SessionArrivals
  private readonly farmOps: FarmOps[]
  /**
   * Per region, the activity-weighted draw of a genuine user answering the user itself (null
   * for a region without genuine users); and the popularity draw answering the video. The
   * population's tables answer positions (in the member list, in the popularity ranking); these
   * answer the same draws with the ids, sparing a lookup (a cache miss) per session.
   */
  private readonly userPickers: ReadonlyArray<AliasTable | null>
  private readonly videoPicker: AliasTable
  /** The nearest other region of each region (where a second device connects). */
  private readonly neighbour: Int32Array
  /** The next operation is known: staged, or the queue's head (no source is due before it). */
  private settled = false
  private nextSession = 0

  constructor(options: TrafficOptions) {
    const { spec, population, faults, rate, durationS, rng } = options
    this.spec = spec
    this.behaviour = spec.behaviour
    this.population = population
    const durationMs = durationS * 1000
    this.ops = new OperationQueue(durationMs)
    this.sessions = rng.stream('sessions')
    this.userPickers = population.regionUserPickers
    this.videoPicker = population.popularity.mapOutcomes(population.rankToVideo)
    // Fan groups' views and likes merge like a farm's (after the farms: their sources follow).
    this.farmOps = [
      ...population.farms.map((farm) => generateFarmOps(farm.index, population, durationMs, rng.stream(`farm-ops-${farm.index}`), {
        behaviour: spec.behaviour,
        dayLengthS: spec.dayLengthS,
        traits: rng.stream(`farm-trait-ops-${farm.index}`),
      })),
      ...population.fanGroups.map((group) => generateFanOps(group, population, durationMs, rng.stream(`fan-ops-${group.index}`))),
    ]
    const regionIndex = new Map(spec.regions.map((region, i) => [region.id, i]))
    this.neighbour = Int32Array.from(spec.regions.map((region, i) => regionIndex.get(region.failoverOrder[0] ?? '') ?? i))
    this.arrivals = new SessionArrivals({ spec, rate, faults, durationMs, stream: rng.stream('arrivals') })
  }

  /** Time of the next operation, Infinity when the stream is done. */
  peekTimeMs(): number {
    if (!this.settled) this.settle()
    return this.ops.peekTimeMs()
  }

  next(): Operation | undefined {
    if (!this.settled) this.settle()
    this.settled = false
    return this.ops.next()
  }

  /** The next operation into `out` (no allocation); false when the stream is done. */
  nextInto(out: OperationRecord): boolean {
    if (!this.settled) this.settle()
    this.settled = false
    return this.ops.nextInto(out)
  }

  /** Nothing to let go of in-process. */
  close(): void {}

  /** Operations handed out so far (each takes the next id). */
  get emitted(): number {
    return this.ops.emitted
  }

  /**
   * Start every session (and release every farm request) due before the queue's head until one
   * of them stages an operation, which is then the next one; or find none, and the queue's head
   * is next. Sources are a handful of next-times scanned linearly.
   */
  private settle(): void {
    for (;;) {
      let source = -1
      let sourceMs = this.ops.headMs
      const roots = this.arrivals.regionNextMs
      for (let region = 0; region < roots.length; region++) {
        if ((roots[region] as number) < sourceMs) {
          sourceMs = roots[region] as number
          source = region
        }
      }
      const crowds = this.arrivals.crowdNextMs
      for (let index = 0; index < crowds.length; index++) {
        if ((crowds[index] as number) < sourceMs) {
          sourceMs = crowds[index] as number
          source = SOURCE.crowdBase + index
        }
      }
      const farms = this.farmOps
      for (let index = 0; index < farms.length; index++) {
        const ops = farms[index] as FarmOps
        if (ops.cursor < ops.atMs.length && (ops.atMs[ops.cursor] as number) < sourceMs) {
          sourceMs = ops.atMs[ops.cursor] as number
          source = SOURCE.farmBase + index
        }
      }
      if (source < 0) break
      if (source < SOURCE.crowdBase) {
        this.startSession(source, sourceMs, -1)
        this.arrivals.advanceRegion(source, sourceMs)
      } else if (source < SOURCE.farmBase) {
        const index = source - SOURCE.crowdBase
        const video = this.population.rankToVideo[(this.spec.flashCrowds[index] as { videoRank: number }).videoRank - 1] as number
        this.startSession(this.arrivals.pickRegion(this.sessions), sourceMs, video)
        this.arrivals.advanceCrowd(index, sourceMs)
      } else {
        this.stageFarmOp(source - SOURCE.farmBase)
      }
      if (this.ops.hasStaged) break
    }
    this.settled = true
  }

  private stageFarmOp(index: number): void {
    const ops = this.farmOps[index] as FarmOps
    const i = ops.cursor++
    this.ops.stage(ops.atMs[i] as number, ops.kind[i] as OpKind, ops.user[i] as number, ops.home[i] as number, ops.video[i] as number, ops.watchMs[i] as number, this.nextSession++)
  }

  /** A genuine session: read the counts, watch, maybe like (and what follows a like). */
  private startSession(region: number, atMs: number, fixedVideo: number): void {
    const s = this.sessions
    const b = this.behaviour
    const users = this.userPickers[region]
    if (users === null || users === undefined) return
    const user = users.sample(s)
    const video = fixedVideo >= 0 ? fixedVideo : this.videoPicker.sample(s)
    const session = this.nextSession++
    this.ops.stage(atMs, OpKind.ReadVideo, user, region, video, 0, session)
    const watchMs = Math.round(Math.min(b.watchMaxMs, logNormal(s, { median: b.watchMedianMs, sigma: b.watchSigma })))
    // The view is reported once playback has run a moment; a like comes after it, mid-watch.
    const viewAt = atMs + Math.min(watchMs, SESSION_MS.viewAfterPlayMax) + SESSION_MS.viewReport
    // A double tap in the feed can land before playback reports the view: a like without one.
    const viewLost = b.likeWithoutViewP > 0 && s.chance(b.likeWithoutViewP)
    if (!viewLost) this.pushWrite(viewAt, OpKind.View, user, region, video, 0, watchMs, session, -1)
    if (!s.chance(b.likeAfterViewP)) return
    const likeAt = viewAt + s.between(SESSION_MS.likeAfterViewMin, Math.max(SESSION_MS.likeAfterViewSpanMin, watchMs - SESSION_MS.likeBeforeEnd))
    if (b.flapSessionP > 0 && s.chance(b.flapSessionP)) {
      this.flap(region, user, video, session, likeAt)
      return
    }
    this.pushWrite(likeAt, OpKind.Like, user, region, video, 0, 0, session, -1)
    if (s.chance(b.secondDeviceP)) this.pushWrite(likeAt + s.between(...SESSION_MS.secondTap), OpKind.Like, user, region, video, 1, 0, session, -1)
    if (s.chance(b.readBackP)) this.ops.push(likeAt + s.between(...SESSION_MS.readBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
    if (s.chance(b.rereadP)) this.ops.push(likeAt + s.between(...SESSION_MS.reread), OpKind.ReadVideo, user, region, video, 0, 0, session, -1)
    if (s.chance(b.unlikeP)) {
      const unlikeAt = likeAt + s.between(...SESSION_MS.unlike)
      this.pushWrite(unlikeAt, OpKind.Unlike, user, region, video, 0, 0, session, -1)
      if (s.chance(b.readBackP)) this.ops.push(unlikeAt + s.between(...SESSION_MS.readBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
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
      this.pushWrite(t, liked ? OpKind.Like : OpKind.Unlike, user, region, video, device, 0, session, device === 1 ? otherRegion : -1)
      t += s.between(b.flapGapMinMs, b.flapGapMaxMs)
    }
    this.ops.push(t + s.between(...SESSION_MS.flapReadBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
    this.ops.push(t + s.between(...SESSION_MS.flapReadBack), OpKind.ReadLiked, user, region, video, 1, 0, session, otherRegion)
  }

  /** A write, which the network may deliver twice (the copy carries the same idempotency key). */
  private pushWrite(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): void {
    const slot = this.ops.push(atMs, kind, user, home, video, device, watchMs, session, route)
    if (slot !== NO_SLOT && this.behaviour.duplicateP > 0 && this.sessions.chance(this.behaviour.duplicateP)) {
      const duplicate = this.ops.push(atMs + this.sessions.between(10, 300), kind, user, home, video, device, watchMs, session, route)
      if (duplicate !== NO_SLOT) this.ops.markDuplicate(slot, duplicate)
    }
  }
}
