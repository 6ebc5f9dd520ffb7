// Asynchronous replication between regions. Every origin (each region, plus the purge job)
// appends its writes to its own log (origin-log.ts); each (origin, destination) link is a cursor
// into that log that delivers entries `lagMs` after they were written. A durable log pauses a link
// across a partition or an outage and catches up afterwards; a volatile one drops what it could
// not deliver, as a fire-and-forget queue does.
//
// Bounds: a log keeps only what some link has yet to deliver (compacted as links pass), and a
// paused link keeps at most `backlogMaxEntries` of a region's writes. Past that the link
// overflows: its backlog is let go (counted), and when the link comes back the destination takes
// a full copy of the origin region's like set and view counts instead (anti-entropy, counted with
// the pairs it copied), so an outage costs a resync, never a lost write. The purge job's log is
// exempt: each of its entries removes a like that exists, so it is bounded by the like set.
import { AT_KIND, AT_LIKED, AT_STAMP, AT_TS, AT_USER, AT_VIDEO, F64_PER_ENTRY, I32_PER_ENTRY, OriginLog } from './origin-log.ts'

export const ENTRY_LIKE_STATE = 0
export const ENTRY_VIEW = 1

export interface ReplicaSink {
  applyEntry(kind: number, video: number, user: number, stamp: number, liked: boolean, origin: number): void
  /**
   * Anti-entropy after an overflow: take everything `source` (the origin region's replica) holds of
   * the origin's writes. Returns the (video, user) pairs copied.
   */
  mergeFrom(source: this, origin: number): number
}

/** Appends per origin between two looks at whether its log can be compacted. */
const COMPACT_EVERY = 4096

interface Link {
  readonly origin: number
  readonly destination: number
  readonly lagMs: number
  cursor: number
  /** Durable log: the link waits. */
  paused: boolean
  /** Volatile log: the link discards what comes due. */
  dropping: boolean
  /** Durable log: the backlog passed its bound and was let go; the destination resyncs on resume. */
  overflowed: boolean
  /** When the link stopped delivering (for the watermark of an idle paused link). */
  stoppedAtMs: number
  /** Planted defect: drop every Nth delivered entry (0 = off). */
  dropEveryN: number
  delivered: number
}

export interface ReplicationStats {
  applied: number
  dropped: number
  /** Links whose paused backlog passed backlogMaxEntries. */
  overflows: number
  /** Entries let go by overflowed links (each replaced by the resync that follows). */
  overflowedEntries: number
  /** Full copies of an origin's data into a destination after an overflow. */
  resyncs: number
  /** (video, user) pairs those copies went through. */
  resyncedPairs: number
}

export class ReplicationLog {
  private readonly logs: OriginLog[]
  private readonly links: Link[]
  private readonly linksByDestination: Link[][]
  private readonly linksByOrigin: Link[][]
  private readonly sinks: readonly ReplicaSink[]
  private readonly durable: boolean
  private readonly backlogMaxEntries: number
  /** Per origin, the lag of its shortest link (Infinity when it has none). */
  private readonly minLagMs: Float64Array
  /** Per origin, its paused links that have not overflowed (the ones whose backlog grows). */
  private readonly pausedLinks: Int32Array
  private nextDueMs = Infinity
  readonly stats: ReplicationStats = { applied: 0, dropped: 0, overflows: 0, overflowedEntries: 0, resyncs: 0, resyncedPairs: 0 }

  /**
   * @param origins number of origins (regions first, then extra origins such as the purge job)
   * @param sinks one replica per region (destinations are regions only)
   * @param lagMs lag for a link, or undefined when the pair is not linked
   * @param backlogMaxEntries bound on a paused link's backlog of a region's writes (default: none)
   */
  constructor({
    origins,
    sinks,
    durable,
    lagMs,
    backlogMaxEntries = Infinity,
  }: {
    origins: number
    sinks: readonly ReplicaSink[]
    durable: boolean
    lagMs: (origin: number, destination: number) => number | undefined
    backlogMaxEntries?: number
  }) {
    this.sinks = sinks
    this.durable = durable
    this.backlogMaxEntries = backlogMaxEntries
    this.logs = Array.from({ length: origins }, () => new OriginLog())
    this.links = []
    this.linksByDestination = sinks.map(() => [])
    this.linksByOrigin = this.logs.map(() => [])
    this.pausedLinks = new Int32Array(origins)
    for (let origin = 0; origin < origins; origin++) {
      for (let destination = 0; destination < sinks.length; destination++) {
        const lag = lagMs(origin, destination)
        if (lag === undefined) continue
        const link: Link = {
          origin,
          destination,
          lagMs: lag,
          cursor: 0,
          paused: false,
          dropping: false,
          overflowed: false,
          stoppedAtMs: 0,
          dropEveryN: 0,
          delivered: 0,
        }
        this.links.push(link)
        this.linksByDestination[destination]?.push(link)
        this.linksByOrigin[origin]?.push(link)
      }
    }
    this.minLagMs = Float64Array.from(this.linksByOrigin, (links) => Math.min(...links.map((link) => link.lagMs)))
  }

  append(origin: number, kind: number, video: number, user: number, stamp: number, liked: boolean, nowMs: number): void {
    // An origin without links (a single region) has no reader: nothing to keep.
    if ((this.linksByOrigin[origin] as Link[]).length === 0) return
    const log = this.logs[origin] as OriginLog
    log.append(kind, video, user, stamp, liked, nowMs)
    // The entry is due first on the origin's shortest link.
    const dueMs = nowMs + (this.minLagMs[origin] as number)
    if (dueMs < this.nextDueMs) this.nextDueMs = dueMs
    if (this.pausedLinks[origin] !== 0) this.boundBacklogs(origin)
    if (log.end % COMPACT_EVERY === 0) this.compact(origin)
  }

  /** Deliver everything due by nowMs. Cheap when nothing is due. */
  advanceTo(nowMs: number): void {
    if (nowMs < this.nextDueMs) return
    let nextDue = Infinity
    const links = this.links
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as Link
      if (link.paused) continue
      const log = this.logs[link.origin] as OriginLog
      if (link.cursor === log.end) continue
      const headDue = log.tsMs(link.cursor) + link.lagMs
      const due = headDue > nowMs ? headDue : this.advanceLink(link, nowMs)
      if (due < nextDue) nextDue = due
    }
    // Deliveries are batched per millisecond of (virtual) time: an entry may land up to 1 ms after
    // its lag, which the watermark reports honestly. It spares a pass over every link per request.
    this.nextDueMs = nextDue > nowMs + 1 ? nextDue : nowMs + 1
  }

  /** Time up to which every origin's writes are applied at this destination (exclusive bound). */
  watermarkMs(destination: number, nowMs: number): number {
    let watermark = nowMs
    for (const link of this.linksByDestination[destination] as Link[]) {
      const log = this.logs[link.origin] as OriginLog
      let linkMark: number
      // An overflowed link holds what was delivered up to its stop and nothing since.
      if (link.overflowed) linkMark = link.stoppedAtMs
      else if (link.cursor < log.end) linkMark = log.tsMs(link.cursor)
      else linkMark = link.paused ? link.stoppedAtMs : nowMs
      if (linkMark < watermark) watermark = linkMark
    }
    return watermark
  }

  /** A partition or an outage stops the links between two ends (each direction separately). */
  stopLink(origin: number, destination: number, nowMs: number): void {
    for (const link of this.linksByOrigin[origin] as Link[]) {
      if (link.destination !== destination) continue
      this.advanceLink(link, nowMs)
      link.stoppedAtMs = nowMs
      if (this.durable) {
        link.paused = true
        this.pausedLinks[origin] = (this.pausedLinks[origin] as number) + 1
      } else {
        link.dropping = true
      }
    }
  }

  resumeLink(origin: number, destination: number, nowMs: number): void {
    for (const link of this.linksByOrigin[origin] as Link[]) {
      if (link.destination !== destination) continue
      if (link.dropping) {
        // What was due while the link was down is gone; what is still in flight survives.
        this.advanceLink(link, nowMs)
      }
      if (link.overflowed) this.resync(link)
      else if (link.paused) this.pausedLinks[origin] = (this.pausedLinks[origin] as number) - 1
      link.paused = false
      link.dropping = false
    }
    this.nextDueMs = Math.min(this.nextDueMs, nowMs)
  }

  /** Volatile logs lose what a dead origin had not shipped yet. */
  discardUnshipped(origin: number): void {
    if (this.durable) return
    const log = this.logs[origin] as OriginLog
    for (const link of this.linksByOrigin[origin] as Link[]) {
      this.stats.dropped += log.end - link.cursor
      link.cursor = log.end
    }
  }

  plantDropDefect(destination: number, everyN: number): void {
    for (const link of this.linksByDestination[destination] as Link[]) link.dropEveryN = everyN
  }

  /** Entries written but not yet applied at the destination (an overflowed link's are let go: 0). */
  pendingFor(destination: number): number {
    let pending = 0
    for (const link of this.linksByDestination[destination] as Link[]) {
      if (!link.overflowed) pending += (this.logs[link.origin] as OriginLog).end - link.cursor
    }
    return pending
  }

  /** The destination will take a full copy from an origin when its links come back. */
  resyncPending(destination: number): boolean {
    return (this.linksByDestination[destination] as Link[]).some((link) => link.overflowed)
  }

  /** Entries the logs hold now, over every origin. */
  get retainedEntries(): number {
    let retained = 0
    for (const log of this.logs) retained += log.retained
    return retained
  }

  private advanceLink(link: Link, nowMs: number): number {
    const log = this.logs[link.origin] as OriginLog
    if (link.paused) return Infinity
    const sink = this.sinks[link.destination] as ReplicaSink
    const horizon = nowMs - link.lagMs
    let cursor = link.cursor
    const end = log.end
    const base = log.base
    const f64 = log.f64
    const i32 = log.i32
    while (cursor < end) {
      const slot = cursor - base
      if ((f64[slot * F64_PER_ENTRY + AT_TS] as number) > horizon) break
      if (link.dropping) {
        this.stats.dropped++
      } else if (link.dropEveryN > 0 && ++link.delivered % link.dropEveryN === 0) {
        this.stats.dropped++
      } else {
        const at = slot * I32_PER_ENTRY
        sink.applyEntry(
          i32[at + AT_KIND] as number,
          i32[at + AT_VIDEO] as number,
          i32[at + AT_USER] as number,
          f64[slot * F64_PER_ENTRY + AT_STAMP] as number,
          i32[at + AT_LIKED] === 1,
          link.origin,
        )
        this.stats.applied++
      }
      cursor++
    }
    link.cursor = cursor
    return cursor < end ? log.tsMs(cursor) + link.lagMs : Infinity
  }

  /** Let go of a paused link's backlog past the bound (region origins only: see the header). */
  private boundBacklogs(origin: number): void {
    if (origin >= this.sinks.length) return
    const log = this.logs[origin] as OriginLog
    for (const link of this.linksByOrigin[origin] as Link[]) {
      if (!link.paused || link.overflowed || log.end - link.cursor <= this.backlogMaxEntries) continue
      link.overflowed = true
      this.pausedLinks[origin] = (this.pausedLinks[origin] as number) - 1
      this.stats.overflows++
      this.stats.overflowedEntries += log.end - link.cursor
      link.cursor = log.end
    }
  }

  /** An overflowed link comes back: the destination copies the origin region's data, then follows the log from its end. */
  private resync(link: Link): void {
    const destination = this.sinks[link.destination] as ReplicaSink
    const source = this.sinks[link.origin] as ReplicaSink
    this.stats.resyncedPairs += destination.mergeFrom(source, link.origin)
    this.stats.resyncs++
    this.stats.overflowedEntries += (this.logs[link.origin] as OriginLog).end - link.cursor
    link.cursor = (this.logs[link.origin] as OriginLog).end
    link.overflowed = false
  }

  private compact(origin: number): void {
    const log = this.logs[origin] as OriginLog
    let minCursor = log.end
    for (const link of this.linksByOrigin[origin] as Link[]) if (!link.overflowed && link.cursor < minCursor) minCursor = link.cursor
    log.compact(minCursor)
  }
}
