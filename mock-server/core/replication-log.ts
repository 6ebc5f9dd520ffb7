// Asynchronous replication between regions. Every origin (each region, plus the purge job)
// appends its writes to its own log, one 32-byte row per entry in typed arrays; each (origin, destination)
// link is a cursor into that log that delivers entries `lagMs` after they were written. A
// durable log pauses a link across a partition or an outage and catches up afterwards; a
// volatile one drops what it could not deliver, as a fire-and-forget queue does.

export const ENTRY_LIKE_STATE = 0
export const ENTRY_VIEW = 1

export interface ReplicaSink {
  applyEntry(kind: number, video: number, user: number, stamp: number, liked: boolean): void
}

const INITIAL_CAPACITY = 1024
const COMPACT_MIN = 1 << 16

/**
 * An entry is 32 bytes, read through two views of one buffer: time and stamp as doubles (words 0
 * and 1 of the Float64Array view), video, user, kind and liked as integers (words 4 to 7 of the
 * Int32Array view). One cache line holds two whole entries, so appending and delivering stream
 * through memory instead of touching six columns.
 */
const F64_PER_ENTRY = 4
const I32_PER_ENTRY = 8
const AT_TS = 0
const AT_STAMP = 1
const AT_VIDEO = 4
const AT_USER = 5
const AT_KIND = 6
const AT_LIKED = 7

class OriginLog {
  f64 = new Float64Array(INITIAL_CAPACITY * F64_PER_ENTRY)
  i32 = new Int32Array(this.f64.buffer)
  /** Absolute index of slot 0 (entries before it were compacted away). */
  base = 0
  /** Absolute index one past the last entry. */
  end = 0

  get capacity(): number {
    return this.f64.length / F64_PER_ENTRY
  }

  append(kind: number, video: number, user: number, stamp: number, liked: boolean, tsMs: number): void {
    const slot = this.end - this.base
    if (slot === this.capacity) this.grow()
    this.f64[slot * F64_PER_ENTRY + AT_TS] = tsMs
    this.f64[slot * F64_PER_ENTRY + AT_STAMP] = stamp
    const at = slot * I32_PER_ENTRY
    this.i32[at + AT_VIDEO] = video
    this.i32[at + AT_USER] = user
    this.i32[at + AT_KIND] = kind
    this.i32[at + AT_LIKED] = liked ? 1 : 0
    this.end++
  }

  /** Write time of the entry at absolute index `index`. */
  tsMs(index: number): number {
    return this.f64[(index - this.base) * F64_PER_ENTRY + AT_TS] as number
  }

  /** Drop entries every link has passed. */
  compact(minCursor: number): void {
    const drop = minCursor - this.base
    if (drop < COMPACT_MIN || drop * 2 < this.end - this.base) return
    const live = this.end - minCursor
    this.f64.copyWithin(0, drop * F64_PER_ENTRY, (drop + live) * F64_PER_ENTRY)
    this.base = minCursor
  }

  private grow(): void {
    const f64 = new Float64Array(this.f64.length * 2)
    f64.set(this.f64)
    this.f64 = f64
    this.i32 = new Int32Array(f64.buffer)
  }
}

interface Link {
  readonly origin: number
  readonly destination: number
  readonly lagMs: number
  cursor: number
  /** Durable log: the link waits. */
  paused: boolean
  /** Volatile log: the link discards what comes due. */
  dropping: boolean
  /** When the link stopped delivering (for the watermark of an idle paused link). */
  stoppedAtMs: number
  /** Planted defect: drop every Nth delivered entry (0 = off). */
  dropEveryN: number
  delivered: number
}

export interface ReplicationStats {
  applied: number
  dropped: number
}

export class ReplicationLog {
  private readonly logs: OriginLog[]
  private readonly links: Link[]
  private readonly linksByDestination: Link[][]
  private readonly linksByOrigin: Link[][]
  private readonly sinks: readonly ReplicaSink[]
  private readonly durable: boolean
  /** Per origin, the lag of its shortest link (Infinity when it has none). */
  private readonly minLagMs: Float64Array
  private nextDueMs = Infinity
  private advances = 0
  readonly stats: ReplicationStats = { applied: 0, dropped: 0 }

  /**
   * @param origins number of origins (regions first, then extra origins such as the purge job)
   * @param sinks one replica per region (destinations are regions only)
   * @param lagMs lag for a link, or undefined when the pair is not linked
   */
  constructor({
    origins,
    sinks,
    durable,
    lagMs,
  }: {
    origins: number
    sinks: readonly ReplicaSink[]
    durable: boolean
    lagMs: (origin: number, destination: number) => number | undefined
  }) {
    this.sinks = sinks
    this.durable = durable
    this.logs = Array.from({ length: origins }, () => new OriginLog())
    this.links = []
    this.linksByDestination = sinks.map(() => [])
    this.linksByOrigin = this.logs.map(() => [])
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
    const log = this.logs[origin] as OriginLog
    log.append(kind, video, user, stamp, liked, nowMs)
    // The entry is due first on the origin's shortest link.
    const dueMs = nowMs + (this.minLagMs[origin] as number)
    if (dueMs < this.nextDueMs) this.nextDueMs = dueMs
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
    if (++this.advances % 4096 === 0) for (let origin = 0; origin < this.logs.length; origin++) this.maybeCompact(origin)
  }

  /** Time up to which every origin's writes are applied at this destination (exclusive bound). */
  watermarkMs(destination: number, nowMs: number): number {
    let watermark = nowMs
    for (const link of this.linksByDestination[destination] as Link[]) {
      const log = this.logs[link.origin] as OriginLog
      let linkMark: number
      if (link.cursor < log.end) linkMark = log.tsMs(link.cursor)
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
      if (this.durable) link.paused = true
      else link.dropping = true
    }
  }

  resumeLink(origin: number, destination: number, nowMs: number): void {
    for (const link of this.linksByOrigin[origin] as Link[]) {
      if (link.destination !== destination) continue
      if (link.dropping) {
        // What was due while the link was down is gone; what is still in flight survives.
        this.advanceLink(link, nowMs)
      }
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

  /** Entries written but not yet applied at the destination. */
  pendingFor(destination: number): number {
    let pending = 0
    for (const link of this.linksByDestination[destination] as Link[]) {
      pending += (this.logs[link.origin] as OriginLog).end - link.cursor
    }
    return pending
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
        )
        this.stats.applied++
      }
      cursor++
    }
    link.cursor = cursor
    return cursor < end ? log.tsMs(cursor) + link.lagMs : Infinity
  }

  private maybeCompact(origin: number): void {
    const log = this.logs[origin] as OriginLog
    if (log.end - log.base < COMPACT_MIN * 2) return
    let minCursor = log.end
    for (const link of this.linksByOrigin[origin] as Link[]) if (link.cursor < minCursor) minCursor = link.cursor
    log.compact(minCursor)
  }
}
