// Every creator's inbox of delivered notifications, newest last, at most `inboxMax` each (the
// oldest goes when a new one would pass it). A soak at --scale 40 delivers ~470,000 of them: as an
// object each in an array per creator that was ~95 bytes a notification (an object, two boxed
// times, an array slot); here a notification is a row of typed columns (video, liker, two times,
// two links: 32 bytes), the rows of one inbox chained oldest to newest, and a row freed by an
// eviction is reused by the next delivery (issue 20).
import { grown } from './typed-arrays.ts'

const NONE = -1
const ROWS_MIN = 1024

/** A delivered notification, by handle. */
export interface InboxItem {
  readonly video: number
  readonly fromUser: number
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

export class Inboxes {
  private video = new Int32Array(ROWS_MIN)
  private fromUser = new Int32Array(ROWS_MIN)
  private likedAtMs = new Float64Array(ROWS_MIN)
  private deliveredAtMs = new Float64Array(ROWS_MIN)
  /** The next older and the next newer row of the same inbox (NONE at either end); a free row's `older` chains the free list. */
  private older = new Int32Array(ROWS_MIN)
  private newer = new Int32Array(ROWS_MIN)
  private rowsUsed = 0
  private freeRow = NONE
  /** A creator's oldest row, newest row and count, at 3 x the creator's position in `positionOf`. */
  private ends = new Int32Array(3 * 64)
  /** Only creators who were notified have an inbox: a few percent of the accounts. */
  private readonly positionOf = new Map<number, number>()

  /** @param inboxMax notifications kept per creator (0: none, each is evicted as it lands) */
  constructor(private readonly inboxMax: number) {
    if (!(Number.isInteger(inboxMax) && inboxMax >= 0)) throw new Error(`inboxes: inboxMax must be a whole number >= 0, got ${inboxMax}`)
  }

  /** Deliver one notification to `creator`'s inbox; true when it pushed the oldest one out. */
  deliver(creator: number, item: InboxItem): boolean {
    if (this.inboxMax === 0) return true
    const at = this.endsOf(creator)
    const row = this.takeRow()
    this.video[row] = item.video
    this.fromUser[row] = item.fromUser
    this.likedAtMs[row] = item.likedAtMs
    this.deliveredAtMs[row] = item.deliveredAtMs
    const newest = this.ends[at + 1] as number
    this.older[row] = newest
    this.newer[row] = NONE
    if (newest === NONE) this.ends[at] = row
    else this.newer[newest] = row
    this.ends[at + 1] = row
    const count = (this.ends[at + 2] as number) + 1
    if (count <= this.inboxMax) {
      this.ends[at + 2] = count
      return false
    }
    this.evictOldest(at)
    return true
  }

  /** `creator`'s latest `limit` notifications, newest first. */
  latest(creator: number, limit: number): InboxItem[] {
    const position = this.positionOf.get(creator)
    const out: InboxItem[] = []
    if (position === undefined) return out
    for (let row = this.ends[3 * position + 1] as number; row !== NONE && out.length < limit; row = this.older[row] as number) {
      out.push({ video: this.video[row] as number, fromUser: this.fromUser[row] as number, likedAtMs: this.likedAtMs[row] as number, deliveredAtMs: this.deliveredAtMs[row] as number })
    }
    return out
  }

  /** Where `creator`'s ends are kept (an empty inbox is made on first use). */
  private endsOf(creator: number): number {
    let position = this.positionOf.get(creator)
    if (position === undefined) {
      position = this.positionOf.size
      this.positionOf.set(creator, position)
      if (3 * position === this.ends.length) this.ends = grown(this.ends, new Int32Array(this.ends.length * 2))
      this.ends.fill(NONE, 3 * position, 3 * position + 2)
      this.ends[3 * position + 2] = 0
    }
    return 3 * position
  }

  private evictOldest(at: number): void {
    const oldest = this.ends[at] as number
    const next = this.newer[oldest] as number
    this.ends[at] = next
    this.older[next] = NONE
    this.older[oldest] = this.freeRow
    this.freeRow = oldest
  }

  private takeRow(): number {
    if (this.freeRow !== NONE) {
      const row = this.freeRow
      this.freeRow = this.older[row] as number
      return row
    }
    if (this.rowsUsed === this.video.length) {
      const size = this.rowsUsed * 2
      this.video = grown(this.video, new Int32Array(size))
      this.fromUser = grown(this.fromUser, new Int32Array(size))
      this.likedAtMs = grown(this.likedAtMs, new Float64Array(size))
      this.deliveredAtMs = grown(this.deliveredAtMs, new Float64Array(size))
      this.older = grown(this.older, new Int32Array(size))
      this.newer = grown(this.newer, new Int32Array(size))
    }
    return this.rowsUsed++
  }
}
