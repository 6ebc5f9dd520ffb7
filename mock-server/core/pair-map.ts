// A map from (video, user) pairs to small non-negative integers (a replica's like-set slots): a
// pair table whose slot keeps video, user and value side by side.
import { EMPTY, PairTable, probePair } from './pair-table.ts'

const STRIDE = 3

export class PairMap extends PairTable {
  constructor(initialCapacity = 1 << 10) {
    super(STRIDE, initialCapacity)
  }

  /** The pair's value, or -1 when the pair is absent. */
  get(video: number, user: number): number {
    const at = probePair(this.slots, this.mask, STRIDE, video, user)
    return this.slots[at] === EMPTY ? -1 : (this.slots[at + 2] as number)
  }

  /** Set a pair's value (ids and values are non-negative integers). */
  set(video: number, user: number, value: number): void {
    this.roomForOne()
    const slots = this.slots
    const at = probePair(slots, this.mask, STRIDE, video, user)
    if (slots[at] === EMPTY) {
      slots[at] = video
      slots[at + 1] = user
      this.count++
    }
    slots[at + 2] = value
  }

  /** Visit every pair with its value (in table order). */
  forEachPair(visit: (video: number, user: number, value: number) => void): void {
    const slots = this.slots
    for (let at = 0; at < slots.length; at += STRIDE) {
      const video = slots[at] as number
      if (video !== EMPTY) visit(video, slots[at + 1] as number, slots[at + 2] as number)
    }
  }
}
