// A calendar queue (Brown, 1988) for the traffic's pending operations: a ring of 1 ms buckets
// covering the next ~65 s, each sorted only when it becomes current, with a heap for anything
// further out. Push and pop are O(1) amortised and touch memory in time order, which matters
// when tens of thousands of follow-ups are pending. Order is (atMs, insertion order), exactly
// as a binary heap's. Peeking never moves the ring forward, so an item may still be pushed for
// any time from the current bucket on.
import { EventQueue } from './event-queue.ts'

export interface Sequenced {
  readonly atMs: number
  seq: number
}

const BUCKETS = 1 << 16
const MASK = BUCKETS - 1
const WIDTH_MS = 1

function before(a: Sequenced, b: Sequenced): number {
  return a.atMs - b.atMs || a.seq - b.seq
}

export class CalendarQueue<T extends Sequenced> {
  private readonly buckets: T[][] = Array.from({ length: BUCKETS }, () => [])
  private readonly overflow = new EventQueue<T>()
  /** Start time of the current bucket. */
  private baseMs = 0
  private current = 0
  /** Next unread position in the current bucket once it is sorted; -1 while it is not. */
  private position = -1
  private inRing = 0
  private inserted = 0
  /** Offset of the first non-empty bucket after the current one (a peek's finding), -1 if unknown. */
  private ahead = -1

  get size(): number {
    return this.inRing + this.overflow.size
  }

  push(item: T): void {
    item.seq = this.inserted++
    const offset = Math.floor((item.atMs - this.baseMs) / WIDTH_MS)
    if (offset < 0) throw new Error(`calendar queue: item at ${item.atMs} ms is before the current bucket (${this.baseMs} ms)`)
    if (offset >= BUCKETS) {
      this.overflow.push(item)
      return
    }
    const bucket = this.buckets[(this.current + offset) & MASK] as T[]
    this.inRing++
    if (this.ahead >= 0 && offset < this.ahead) this.ahead = offset === 0 ? -1 : offset
    if (offset === 0 && this.position >= 0) {
      // The current bucket is sorted and being read: insert in order after what was read.
      let lo = this.position
      let hi = bucket.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (before(bucket[mid] as T, item) <= 0) lo = mid + 1
        else hi = mid
      }
      bucket.splice(lo, 0, item)
    } else {
      bucket.push(item)
    }
  }

  peekTimeMs(): number {
    const head = this.peek()
    return head === undefined ? Infinity : head.atMs
  }

  /** The next item without committing to it. */
  peek(): T | undefined {
    const current = this.buckets[this.current] as T[]
    if (this.position < 0 && current.length > 0) {
      if (current.length > 1) current.sort(before)
      this.position = 0
    }
    if (this.position >= 0 && this.position < current.length) return current[this.position]
    if (this.inRing === 0) return this.overflow.peek()
    if (this.ahead < 0) {
      let offset = 1
      while ((this.buckets[(this.current + offset) & MASK] as T[]).length === 0) offset++
      this.ahead = offset
    }
    return smallest(this.buckets[(this.current + this.ahead) & MASK] as T[])
  }

  pop(): T | undefined {
    if (this.peek() === undefined) return undefined
    let current = this.buckets[this.current] as T[]
    if (this.position < 0 || this.position >= current.length) {
      this.moveTo(this.inRing === 0 ? -1 : this.ahead)
      current = this.buckets[this.current] as T[]
      if (current.length > 1) current.sort(before)
      this.position = 0
    }
    this.inRing--
    return current[this.position++]
  }

  /** Commit: the bucket `offset` ahead becomes current (-1: jump to the overflow's first item). */
  private moveTo(offset: number): void {
    ;(this.buckets[this.current] as T[]).length = 0
    this.position = -1
    this.ahead = -1
    if (offset < 0) {
      this.baseMs = Math.floor((this.overflow.peekTimeMs() as number) / WIDTH_MS) * WIDTH_MS
      this.current = 0
    } else {
      this.current = (this.current + offset) & MASK
      this.baseMs += offset * WIDTH_MS
    }
    const horizonMs = this.baseMs + BUCKETS * WIDTH_MS
    while (this.overflow.peekTimeMs() < horizonMs) {
      const item = this.overflow.pop() as T
      const at = Math.floor((item.atMs - this.baseMs) / WIDTH_MS)
      ;(this.buckets[(this.current + at) & MASK] as T[]).push(item)
      this.inRing++
    }
  }
}

function smallest<T extends Sequenced>(bucket: readonly T[]): T | undefined {
  let best = bucket[0]
  for (let i = 1; i < bucket.length; i++) if (before(bucket[i] as T, best as T) < 0) best = bucket[i]
  return best
}
