// One origin's replication log: its writes in order, one 32-byte row per entry in typed arrays,
// addressed by absolute index (entries before `base` were compacted away). The links that read it
// live in replication-log.ts.

const INITIAL_CAPACITY = 1024

/**
 * An entry is 32 bytes, read through two views of one buffer: time and stamp as doubles (words 0
 * and 1 of the Float64Array view), video, user, kind and liked as integers (words 4 to 7 of the
 * Int32Array view). One cache line holds two whole entries, so appending and delivering stream
 * through memory instead of touching six columns.
 */
export const F64_PER_ENTRY = 4
export const I32_PER_ENTRY = 8
export const AT_TS = 0
export const AT_STAMP = 1
export const AT_VIDEO = 4
export const AT_USER = 5
export const AT_KIND = 6
export const AT_FLAG = 7
/** The flag word: liked (like entries) or first view (view entries). */
export const AT_LIKED = AT_FLAG

/** Compaction moves at least this many entries' worth of room, so it is not run for a handful. */
const COMPACT_MIN = 1 << 16

export class OriginLog {
  f64 = new Float64Array(INITIAL_CAPACITY * F64_PER_ENTRY)
  i32 = new Int32Array(this.f64.buffer)
  /** Absolute index of slot 0 (entries before it were compacted away). */
  base = 0
  /** Absolute index one past the last entry. */
  end = 0

  get capacity(): number {
    return this.f64.length / F64_PER_ENTRY
  }

  /** Entries held (not yet compacted away). */
  get retained(): number {
    return this.end - this.base
  }

  append(kind: number, video: number, user: number, stamp: number, liked: boolean, tsMs: number): void {
    const slot = this.end - this.base
    if (slot === this.capacity) this.resize(this.capacity * 2)
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

  /**
   * Drop the entries before `minCursor` (every reader has passed them) once that frees enough to
   * be worth a copy, and give back memory a past backlog made the buffer grow to: a log that held
   * an outage's backlog shrinks again when the backlog drains.
   */
  compact(minCursor: number): void {
    const drop = minCursor - this.base
    const live = this.end - minCursor
    if (drop < COMPACT_MIN || drop < live) return
    this.f64.copyWithin(0, drop * F64_PER_ENTRY, (drop + live) * F64_PER_ENTRY)
    this.base = minCursor
    let capacity = this.capacity
    while (capacity > INITIAL_CAPACITY && live * 4 < capacity) capacity /= 2
    if (capacity < this.capacity) this.resize(capacity)
  }

  private resize(capacity: number): void {
    const f64 = new Float64Array(capacity * F64_PER_ENTRY)
    f64.set(this.f64.subarray(0, (this.end - this.base) * F64_PER_ENTRY))
    this.f64 = f64
    this.i32 = new Int32Array(f64.buffer)
  }
}
