// A calendar queue (Brown, 1988) for the traffic's pending operations: a ring of 1 ms buckets
// covering the next ~65 s, each sorted only when it becomes current, with a heap for anything
// further out. Push and pop are O(1) amortised and touch memory in time order, which matters
// when tens of thousands of follow-ups are pending. Order is (atMs, insertion order), exactly
// as a binary heap's. Peeking never moves the ring forward, so an item may still be pushed for
// any time from the current bucket on.
//
// The queue holds slots, not objects: `push` hands out a slot number, the caller keeps what the
// item carries in its own columns indexed by that slot (sized by `capacity`), and gives the slot
// back with `free` once it has read it. A bucket is a chain of slots through `link`, so a
// million pushes allocate nothing and leave nothing for the garbage collector.
import { EventQueue } from './event-queue.ts'

const BUCKETS = 1 << 16
const MASK = BUCKETS - 1
const WIDTH_MS = 1
const NONE = -1
const INITIAL_SLOTS = 1 << 12

/** A far-future slot parked in the overflow heap (rare: only items more than a ring ahead). */
interface FarSlot {
  readonly atMs: number
  readonly slot: number
}

export class CalendarQueue {
  private timeMs = new Float64Array(INITIAL_SLOTS)
  /** Insertion number by slot: the tie-break for equal times. */
  private seq = new Float64Array(INITIAL_SLOTS)
  /** Next slot in the same bucket's chain, or in the free list. */
  private link = new Int32Array(INITIAL_SLOTS)
  private freeHead = NONE
  /** Slots handed out so far (the high-water mark; freed slots are reused first). */
  private slotsUsed = 0
  /** First slot of each bucket's chain (unsorted, newest first). */
  private readonly heads = new Int32Array(BUCKETS).fill(NONE)
  private readonly overflow = new EventQueue<FarSlot>()
  /** The current bucket's slots in order, once it is sorted. */
  private sorted = new Int32Array(64)
  private sortedLength = 0
  /** Next unread position in `sorted`; -1 while the current bucket is not sorted. */
  private position = NONE
  /** Start time of the current bucket. */
  private baseMs = 0
  private current = 0
  private inRing = 0
  private inserted = 0
  /** Offset of the first non-empty bucket after the current one (a peek's finding), -1 if unknown. */
  private ahead = NONE

  get size(): number {
    return this.inRing + this.overflow.size
  }

  /** Slot numbers stay below this: callers size their columns to it after each push. */
  get capacity(): number {
    return this.timeMs.length
  }

  /** Queue an item due at `atMs`; returns its slot. */
  push(atMs: number): number {
    const offset = Math.floor((atMs - this.baseMs) / WIDTH_MS)
    if (offset < 0) throw new Error(`calendar queue: item at ${atMs} ms is before the current bucket (${this.baseMs} ms)`)
    const slot = this.allocate()
    this.timeMs[slot] = atMs
    this.seq[slot] = this.inserted++
    if (offset >= BUCKETS) {
      this.overflow.push({ atMs, slot })
      return slot
    }
    this.inRing++
    if (this.ahead >= 0 && offset < this.ahead) this.ahead = offset === 0 ? NONE : offset
    if (offset === 0 && this.position >= 0) this.insertIntoCurrent(slot)
    else this.chain(slot, (this.current + offset) & MASK)
    return slot
  }

  /** Give a popped slot back (its columns may be overwritten by the next push). */
  free(slot: number): void {
    this.link[slot] = this.freeHead
    this.freeHead = slot
  }

  /** Due time of a queued slot. */
  timeOf(slot: number): number {
    return this.timeMs[slot] as number
  }

  peekTimeMs(): number {
    const head = this.peek()
    return head === NONE ? Infinity : (this.timeMs[head] as number)
  }

  /** The next slot without committing to it; -1 when empty. */
  peek(): number {
    if (this.position < 0 && this.heads[this.current] !== NONE) this.sortCurrent()
    if (this.position >= 0 && this.position < this.sortedLength) return this.sorted[this.position] as number
    if (this.inRing === 0) return this.overflow.peek()?.slot ?? NONE
    if (this.ahead < 0) {
      let offset = 1
      while (this.heads[(this.current + offset) & MASK] === NONE) offset++
      this.ahead = offset
    }
    return this.smallestIn(this.heads[(this.current + this.ahead) & MASK] as number)
  }

  /** Take the next slot (read its columns, then `free` it); -1 when empty. */
  pop(): number {
    if (this.peek() === NONE) return NONE
    if (this.position < 0 || this.position >= this.sortedLength) {
      this.moveTo(this.inRing === 0 ? NONE : this.ahead)
      this.sortCurrent()
    }
    this.inRing--
    return this.sorted[this.position++] as number
  }

  private before(a: number, b: number): boolean {
    const ta = this.timeMs[a] as number
    const tb = this.timeMs[b] as number
    return ta < tb || (ta === tb && (this.seq[a] as number) < (this.seq[b] as number))
  }

  private allocate(): number {
    if (this.freeHead !== NONE) {
      const slot = this.freeHead
      this.freeHead = this.link[slot] as number
      return slot
    }
    if (this.slotsUsed === this.timeMs.length) this.grow()
    return this.slotsUsed++
  }

  private grow(): void {
    const size = this.timeMs.length * 2
    const timeMs = new Float64Array(size)
    timeMs.set(this.timeMs)
    this.timeMs = timeMs
    const seq = new Float64Array(size)
    seq.set(this.seq)
    this.seq = seq
    const link = new Int32Array(size)
    link.set(this.link)
    this.link = link
  }

  private chain(slot: number, bucket: number): void {
    this.link[slot] = this.heads[bucket] as number
    this.heads[bucket] = slot
  }

  /** The current bucket is sorted and being read: insert in order after what was read. */
  private insertIntoCurrent(slot: number): void {
    if (this.sortedLength === this.sorted.length) this.growSorted()
    const sorted = this.sorted
    let at = this.sortedLength
    while (at > this.position && this.before(slot, sorted[at - 1] as number)) {
      sorted[at] = sorted[at - 1] as number
      at--
    }
    sorted[at] = slot
    this.sortedLength++
  }

  /** Move the current bucket's chain into `sorted`, in insertion order, then insertion-sort it
   *  (buckets hold a handful of items; the sort is stable and ties keep insertion order anyway). */
  private sortCurrent(): void {
    let count = 0
    for (let slot = this.heads[this.current] as number; slot !== NONE; slot = this.link[slot] as number) count++
    while (count > this.sorted.length) this.growSorted()
    // The chain is newest first: fill from the back.
    const sorted = this.sorted
    let at = count
    for (let slot = this.heads[this.current] as number; slot !== NONE; slot = this.link[slot] as number) sorted[--at] = slot
    this.heads[this.current] = NONE
    for (let i = 1; i < count; i++) {
      const slot = sorted[i] as number
      let j = i
      while (j > 0 && this.before(slot, sorted[j - 1] as number)) {
        sorted[j] = sorted[j - 1] as number
        j--
      }
      sorted[j] = slot
    }
    this.sortedLength = count
    this.position = 0
  }

  private growSorted(): void {
    const sorted = new Int32Array(this.sorted.length * 2)
    sorted.set(this.sorted)
    this.sorted = sorted
  }

  private smallestIn(chainHead: number): number {
    let best = chainHead
    for (let slot = this.link[chainHead] as number; slot !== NONE; slot = this.link[slot] as number) {
      if (this.before(slot, best)) best = slot
    }
    return best
  }

  /** Commit: the bucket `offset` ahead becomes current (-1: jump to the overflow's first item). */
  private moveTo(offset: number): void {
    this.sortedLength = 0
    this.position = NONE
    this.ahead = NONE
    if (offset < 0) {
      this.baseMs = Math.floor(this.overflow.peekTimeMs() / WIDTH_MS) * WIDTH_MS
      this.current = 0
    } else {
      this.current = (this.current + offset) & MASK
      this.baseMs += offset * WIDTH_MS
    }
    const horizonMs = this.baseMs + BUCKETS * WIDTH_MS
    while (this.overflow.peekTimeMs() < horizonMs) {
      const far = this.overflow.pop() as FarSlot
      const at = Math.floor((far.atMs - this.baseMs) / WIDTH_MS)
      this.chain(far.slot, (this.current + at) & MASK)
      this.inRing++
    }
  }
}
