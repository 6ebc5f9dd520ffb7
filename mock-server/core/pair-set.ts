// A set of (video, user) pairs in a pair table (pair-table.ts), for any non-negative ids: the
// view log (viewed-pairs.ts) keeps the pairs of users too large for its 4-byte slots here. A Set
// per video would hold pairs as boxed entries in separately grown tables, where this costs one
// probe sequence over a flat array and nothing for the garbage collector to trace. A slot keeps
// its video and user side by side, so each probe is one trip to memory, not two.
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
