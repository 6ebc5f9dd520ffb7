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
import { ArrivalIntensity } from './arrival-intensity.ts'
import { logNormal } from './distributions.ts'
import { generateFanOps, generateFarmOps, type FarmOps } from './farm-traffic.ts'
import { SESSION_MS } from './session-timing.ts'
import { CalendarQueue } from './calendar-queue.ts'
import type { FaultSpec } from './faults.ts'
import { OperationColumns } from './operation-columns.ts'
import { OpKind, newOperationRecord, type Operation, type OperationRecord, type OperationSource, type PlannedOperation } from './operation.ts'
import type { Population } from './population.ts'
import type { RateProfile } from './rate-profile.ts'
import type { AliasTable } from './alias-table.ts'
import type { RandomStream, Rng } from './rng.ts'
import type { BehaviourSpec, WorldSpec } from './world-spec.ts'

/** What the traffic needs of the population: who lives where, how active, what is popular, the farms. */
export type TrafficPopulation = Pick<Population, 'farms' | 'fanGroups' | 'regionUsers' | 'regionActivity' | 'popularity' | 'rankToVideo' | 'userRegion'>

export interface TrafficOptions {
  readonly spec: WorldSpec
  readonly population: TrafficPopulation
  readonly faults: readonly FaultSpec[]
  readonly rate: RateProfile
  readonly durationS: number
  readonly rng: Rng
}

const NONE = -1

/**
 * Where the next event comes from, as one number: a region's session arrivals (its index), a
 * flash crowd (crowdBase + its index) or a farm (farmBase + its index). Regions are at most 8
 * and crowds and farms at most 999 each (WORLD_LIMITS in sim/world-spec.ts).
 */
const SOURCE = { crowdBase: 1000, farmBase: 2000 } as const

/** take(): the staged operation (a session's first read or a farm request) is next. */
const STAGED = -2

/**
 * Read it with `next()` (a fresh Operation each time, `original` linking a network duplicate to
 * its first copy) or, in a hot loop, with `nextInto(record)` (one reused record, the duplicate's
 * key as `keyId`); use one of the two per generator.
 */
export class TrafficGenerator implements OperationSource {
  /** Follow-ups planned but not yet due: slots of the queue, their fields in `pending`. */
  private readonly queue = new CalendarQueue()
  private readonly pending: OperationColumns
  /**
   * The operation a source has just produced (a session's first read, a farm request). A source
   * is only started when it is due before the queue's head, so that operation is always the next
   * one: it skips the queue and waits here in row 0.
   */
  private readonly staged = new OperationColumns(1)
  private stagedReady = false
  /** For `next()`: the Operation each pending network duplicate was copied from, by the duplicate's slot. */
  private readonly originals = new Map<number, Operation>()
  private readonly scratch: OperationRecord = newOperationRecord()
  /** The operation push and stage are writing (one record, filled again for each). */
  private readonly planned: PlannedOperation = newOperationRecord()
  private readonly spec: WorldSpec
  private readonly behaviour: BehaviourSpec
  private readonly population: TrafficPopulation
  private readonly intensity: ArrivalIntensity
  private readonly rate: RateProfile
  private readonly durationMs: number
  private readonly sessions: RandomStream
  private readonly arrivals: RandomStream
  private readonly regionShare: Float64Array
  private readonly regionMaxRate: Float64Array
  private readonly crowdMaxRate: Float64Array
  private readonly farmOps: FarmOps[]
  /**
   * Per region, the activity-weighted draw of a genuine user answering the user itself (null
   * for a region without genuine users); and the popularity draw answering the video. The
   * population's tables answer positions (in the member list, in the popularity ranking); these
   * answer the same draws with the ids, sparing a lookup (a cache miss) per session.
   */
  private readonly userPickers: ReadonlyArray<AliasTable | null>
  private readonly videoPicker: AliasTable
  private readonly videoShare: Float64Array
  /** Next session arrival per region, per flash crowd (Infinity when that source is done). */
  private readonly rootNextMs: Float64Array
  private readonly crowdNextMs: Float64Array
  /** The nearest other region of each region (where a second device connects). */
  private readonly neighbour: Int32Array
  private nextId = 0
  /** The next operation is known: staged, or the queue's head (no source is due before it). */
  private settled = false
  private nextSession = 0

  constructor(options: TrafficOptions) {
    const { spec, population, faults, rate, durationS, rng } = options
    this.spec = spec
    this.behaviour = spec.behaviour
    this.population = population
    this.rate = rate
    this.durationMs = durationS * 1000
    this.pending = new OperationColumns(this.queue.capacity)
    this.sessions = rng.stream('sessions')
    this.arrivals = rng.stream('arrivals')
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
    this.userPickers = population.regionActivity.map((table, region) => {
      const members = population.regionUsers[region] as Int32Array
      return members.length === 0 ? null : table.mapOutcomes(members)
    })
    this.videoPicker = population.popularity.mapOutcomes(population.rankToVideo)
    // Fan groups' views and likes merge like a farm's (after the farms: their sources follow).
    this.farmOps = [
      ...population.farms.map((farm) => generateFarmOps(farm.index, population, this.durationMs, rng.stream(`farm-ops-${farm.index}`), {
        behaviour: spec.behaviour,
        dayLengthS: spec.dayLengthS,
        traits: rng.stream(`farm-trait-ops-${farm.index}`),
      })),
      ...population.fanGroups.map((group) => generateFanOps(group, population, this.durationMs, rng.stream(`fan-ops-${group.index}`))),
    ]
    const regionIndex = new Map(spec.regions.map((region, i) => [region.id, i]))
    this.neighbour = Int32Array.from(spec.regions.map((region, i) => regionIndex.get(region.failoverOrder[0] ?? '') ?? i))
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
    return this.stagedReady ? this.staged.atMsOf(0) : this.queue.peekTimeMs()
  }

  next(): Operation | undefined {
    const slot = this.take()
    if (slot === NONE) return undefined
    const record = this.scratch
    const id = this.nextId++
    if (slot === STAGED) {
      this.staged.read(0, id, record)
      return toOperation(record, null)
    }
    this.pending.read(slot, id, record)
    const original = this.originals.get(slot) ?? null
    if (original !== null) this.originals.delete(slot)
    const op = toOperation(record, original)
    const duplicate = this.pending.duplicateOf(slot)
    if (duplicate >= 0) {
      this.pending.giveKey(duplicate, id)
      this.originals.set(duplicate, op)
    }
    this.queue.free(slot)
    return op
  }

  /** The next operation into `out` (no allocation); false when the stream is done. */
  nextInto(out: OperationRecord): boolean {
    const slot = this.take()
    if (slot === NONE) return false
    const id = this.nextId++
    if (slot === STAGED) {
      this.staged.read(0, id, out)
      return true
    }
    this.pending.read(slot, id, out)
    // A network duplicate carries its original's key: the original is always emitted first.
    const duplicate = this.pending.duplicateOf(slot)
    if (duplicate >= 0) this.pending.giveKey(duplicate, id)
    this.queue.free(slot)
    return true
  }

  /** Nothing to let go of in-process. */
  close(): void {}

  /** The next operation's place: STAGED, a queue slot (the caller frees it), or NONE when done. */
  private take(): number {
    if (!this.settled) this.settle()
    this.settled = false
    if (this.stagedReady) {
      this.stagedReady = false
      return STAGED
    }
    return this.queue.pop()
  }

  /** Operations handed out so far (each takes the next id). */
  get emitted(): number {
    return this.nextId
  }

  /**
   * Start every session (and release every farm request) due before the queue's head until one
   * of them stages an operation, which is then the next one; or find none, and the queue's head
   * is next. Sources are a handful of next-times scanned linearly.
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
        this.rootNextMs[source] = this.nextRootMs(source, sourceMs)
      } else if (source < SOURCE.farmBase) {
        const index = source - SOURCE.crowdBase
        const video = this.population.rankToVideo[(this.spec.flashCrowds[index] as { videoRank: number }).videoRank - 1] as number
        this.startSession(this.pickRegion(), sourceMs, video)
        this.crowdNextMs[index] = this.nextCrowdMs(index, sourceMs)
      } else {
        this.stageFarmOp(source - SOURCE.farmBase)
      }
      if (this.stagedReady) break
    }
    this.settled = true
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

  private stageFarmOp(index: number): void {
    const ops = this.farmOps[index] as FarmOps
    const i = ops.cursor++
    this.stage(ops.atMs[i] as number, ops.kind[i] as OpKind, ops.user[i] as number, ops.home[i] as number, ops.video[i] as number, ops.watchMs[i] as number, this.nextSession++)
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
    const b = this.behaviour
    const users = this.userPickers[region]
    if (users === null || users === undefined) return
    const user = users.sample(s)
    const video = fixedVideo >= 0 ? fixedVideo : this.videoPicker.sample(s)
    const session = this.nextSession++
    this.stage(atMs, OpKind.ReadVideo, user, region, video, 0, session)
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
    if (s.chance(b.readBackP)) this.push(likeAt + s.between(...SESSION_MS.readBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
    if (s.chance(b.rereadP)) this.push(likeAt + s.between(...SESSION_MS.reread), OpKind.ReadVideo, user, region, video, 0, 0, session, -1)
    if (s.chance(b.unlikeP)) {
      const unlikeAt = likeAt + s.between(...SESSION_MS.unlike)
      this.pushWrite(unlikeAt, OpKind.Unlike, user, region, video, 0, 0, session, -1)
      if (s.chance(b.readBackP)) this.push(unlikeAt + s.between(...SESSION_MS.readBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
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
    this.push(t + s.between(...SESSION_MS.flapReadBack), OpKind.ReadLiked, user, region, video, 0, 0, session, -1)
    this.push(t + s.between(...SESSION_MS.flapReadBack), OpKind.ReadLiked, user, region, video, 1, 0, session, otherRegion)
  }

  /** A write, which the network may deliver twice (the copy carries the same idempotency key). */
  private pushWrite(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): void {
    const slot = this.push(atMs, kind, user, home, video, device, watchMs, session, route)
    if (slot !== NONE && this.behaviour.duplicateP > 0 && this.sessions.chance(this.behaviour.duplicateP)) {
      const duplicate = this.push(atMs + this.sessions.between(10, 300), kind, user, home, video, device, watchMs, session, route)
      if (duplicate !== NONE) this.pending.markDuplicate(slot, duplicate)
    }
  }

  /** Queue a follow-up; returns its slot, or NONE when it falls after the run. */
  private push(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): number {
    if (atMs >= this.durationMs) return NONE
    const slot = this.queue.push(atMs)
    if (slot >= this.pending.rows) this.pending.ensure(this.queue.capacity)
    this.pending.write(slot, this.plan(atMs, kind, user, home, video, device, watchMs, session, route))
    return slot
  }

  private plan(atMs: number, kind: OpKind, user: number, home: number, video: number, device: number, watchMs: number, session: number, route: number): PlannedOperation {
    const planned = this.planned
    planned.atMs = atMs
    planned.kind = kind
    planned.user = user
    planned.home = home
    planned.video = video
    planned.device = device
    planned.watchMs = watchMs
    planned.session = session
    planned.route = route
    return planned
  }

  /** A source's own operation (a session's first read, a farm request): the next one out. */
  private stage(atMs: number, kind: OpKind, user: number, home: number, video: number, watchMs: number, session: number): void {
    if (atMs >= this.durationMs) return
    this.staged.write(0, this.plan(atMs, kind, user, home, video, 0, watchMs, session, -1))
    this.stagedReady = true
  }
}

function toOperation(record: OperationRecord, original: Operation | null): Operation {
  const { id, atMs, kind, user, video, device, watchMs, session, route } = record
  return { id, atMs, kind, user, video, device, watchMs, session, route, original }
}
