// A set of (video, user) pairs in one open-addressing hash table of typed arrays: the viewer
// dedup behind unique-viewer counts. A run records about a million first views; a Set per video
// would hold them as boxed entries in thousands of separately grown tables, where this costs one
// probe sequence over a flat array and nothing for the garbage collector to trace. A slot keeps
// its video and user side by side: the table is far larger than a core's cache, so each probe
// is likely a trip to main memory, and it should be one trip, not two.
import { EMPTY, probePair } from './pair-map.ts'

const INITIAL_CAPACITY = 1 << 12

export class PairSet {
  /** Slot i holds its video at 2i (EMPTY when free) and its user at 2i + 1. */
  private slots: Int32Array
  private mask: number
  private count = 0

  constructor(initialCapacity = INITIAL_CAPACITY) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)))
    this.slots = new Int32Array(capacity * 2).fill(EMPTY)
    this.mask = capacity - 1
  }

  get size(): number {
    return this.count
  }

  has(video: number, user: number): boolean {
    return this.slots[probePair(this.slots, this.mask, 2, video, user)] !== EMPTY
  }

  /** Adds the pair; true when it was not there before. Ids are non-negative integers. */
  add(video: number, user: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow()
    const slots = this.slots
    const at = probePair(slots, this.mask, 2, video, user)
    if (slots[at] !== EMPTY) return false
    slots[at] = video
    slots[at + 1] = user
    this.count++
    return true
  }

  /** Room for `pairs` pairs in all without growing (a sizing hint: doubling up to it copies the table each time). */
  reserve(pairs: number): void {
    let capacity = this.mask + 1
    while (pairs * 2 > capacity) capacity *= 2
    if (capacity > this.mask + 1) this.grow(capacity)
  }

  /** Double the table (load stays at most one half, so probe sequences stay short). */
  private grow(capacity = (this.mask + 1) * 2): void {
    const old = this.slots
    this.slots = new Int32Array(capacity * 2).fill(EMPTY)
    this.mask = capacity - 1
    this.count = 0
    for (let i = 0; i < old.length; i += 2) {
      const video = old[i] as number
      if (video !== EMPTY) this.add(video, old[i + 1] as number)
    }
  }
}
