// A set of (video, user) pairs in a pair table (pair-table.ts): the viewer
// dedup behind unique-viewer counts. A run records about a million first views; a Set per video
// would hold them as boxed entries in thousands of separately grown tables, where this costs one
// probe sequence over a flat array and nothing for the garbage collector to trace. A slot keeps
// its video and user side by side: the table is far larger than a core's cache, so each probe
// is likely a trip to main memory, and it should be one trip, not two.
import { EMPTY, PairTable, probePair } from './pair-table.ts'

const STRIDE = 2

export class PairSet extends PairTable {
  constructor(initialCapacity = 1 << 12) {
    // Three quarters full at most: the view log is the core's largest table (a pair per first
    // view: ~40 million in a 100-million-operation run), and nearly every probe is a first view.
    super(STRIDE, initialCapacity, { maxLoadQuarters: 3 })
  }

  has(video: number, user: number): boolean {
    return this.slots[probePair(this.slots, this.mask, STRIDE, video, user)] !== EMPTY
  }

  /** Adds the pair; true when it was not there before. Ids are non-negative integers. */
  add(video: number, user: number): boolean {
    this.roomForOne()
    const slots = this.slots
    const at = probePair(slots, this.mask, STRIDE, video, user)
    if (slots[at] !== EMPTY) return false
    slots[at] = video
    slots[at + 1] = user
    this.count++
    return true
  }
}
