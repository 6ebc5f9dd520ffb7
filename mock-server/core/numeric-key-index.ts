// An open-addressing hash index from small integer keys to sequence numbers, in one typed array:
// one probe sequence per lookup instead of the two or three dependent loads of a Map with
// hundreds of thousands of entries. Entries are never deleted: a slot whose sequence number has
// fallen behind the owner's `oldestLiveSeq` is dead and gets reused by the next insert that
// probes it, so the table stays bounded by the live entries.
//
// Memory, not arithmetic, is what a lookup costs here: a table of a million slots is far larger
// than a core's cache, and every slot a probe touches may be a trip to main memory. So a slot
// keeps its key and its sequence number side by side (one cache line, not two arrays), and the
// hash keeps runs of consecutive keys in consecutive slots: in-process drivers use operation ids,
// which are dense and increasing, so the live keys form a sliding window that a multiplicative
// hash alone would scatter over the whole table. Blocks of 2^BLOCK_BITS keys are scattered instead.

import { powerOfTwoAtLeast } from './typed-arrays.ts'

const EMPTY = -1
/** Keys per block kept together (a power of two): 32 slots of 16 bytes are 8 cache lines. */
const BLOCK_BITS = 5
const BLOCK_MASK = (1 << BLOCK_BITS) - 1

export class NumericKeyIndex {
  /** Slot i holds its key at 2i and its sequence number at 2i + 1 (EMPTY when the slot is free). */
  private slots: Float64Array
  private mask: number
  private used = 0
  /** Live entries parked during a rebuild, kept between rebuilds: reallocating tens of megabytes
   *  every few seconds of a run would make the GC run a full mark each time. */
  private parked: Float64Array = new Float64Array(0)

  constructor(initialCapacity = 1 << 12) {
    const capacity = powerOfTwoAtLeast(initialCapacity)
    this.slots = emptySlots(capacity)
    this.mask = capacity - 1
  }

  /** Slots in the table (live, dead and free). */
  get capacity(): number {
    return this.mask + 1
  }

  /** Keys this index can hold: integers in [0, 2^31). */
  static accepts(key: number): boolean {
    return key >= 0 && key <= 0x7fffffff && Number.isInteger(key)
  }

  /** Start with room for `keys` live keys (a sizing hint, heeded only while the index is empty). */
  reserve(keys: number): void {
    if (this.used > 0) return
    let capacity = this.mask + 1
    while (keys * 4 > capacity) capacity *= 2
    if (capacity === this.mask + 1) return
    this.slots = emptySlots(capacity)
    this.mask = capacity - 1
  }

  /** The live sequence number stored for a key, or -1. */
  get(key: number, oldestLiveSeq: number): number {
    const slots = this.slots
    const mask = this.mask
    for (let slot = home(key) & mask; ; slot = (slot + 1) & mask) {
      const seq = slots[2 * slot + 1] as number
      if (seq === EMPTY) return -1
      if (slots[2 * slot] === key && seq >= oldestLiveSeq) return seq
    }
  }

  set(key: number, seq: number, oldestLiveSeq: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.rebuild(oldestLiveSeq)
    const slots = this.slots
    const mask = this.mask
    let reuse = -1
    for (let slot = home(key) & mask; ; slot = (slot + 1) & mask) {
      const current = slots[2 * slot + 1] as number
      if (current === EMPTY) {
        const target = reuse >= 0 ? reuse : slot
        if (reuse < 0) this.used++
        slots[2 * target] = key
        slots[2 * target + 1] = seq
        return
      }
      if (slots[2 * slot] === key) {
        slots[2 * slot + 1] = seq
        return
      }
      if (current < oldestLiveSeq && reuse < 0) reuse = slot
    }
  }

  /** Re-insert live entries into a table sized for them (doubling when mostly live), in place
   *  unless the table must grow. */
  private rebuild(oldestLiveSeq: number): void {
    const old = this.slots
    const oldCapacity = old.length / 2
    let live = 0
    for (let slot = 0; slot < oldCapacity; slot++) {
      const seq = old[2 * slot + 1] as number
      if (seq < oldestLiveSeq) continue
      if (2 * live + 1 >= this.parked.length) this.parked = grownParking(this.parked, 2 * live + 2)
      this.parked[2 * live] = old[2 * slot] as number
      this.parked[2 * live + 1] = seq
      live++
    }
    let capacity = oldCapacity
    while ((live + 1) * 4 > capacity) capacity *= 2
    if (capacity === oldCapacity) {
      for (let slot = 0; slot < capacity; slot++) old[2 * slot + 1] = EMPTY
    } else {
      this.slots = emptySlots(capacity)
      this.mask = capacity - 1
    }
    this.used = 0
    for (let i = 0; i < live; i++) this.set(this.parked[2 * i] as number, this.parked[2 * i + 1] as number, oldestLiveSeq)
  }
}

function emptySlots(capacity: number): Float64Array {
  // Keys are EMPTY too, which nothing reads (a probe looks at a key only past a used sequence
  // number); one fill beats a loop over every other element.
  return new Float64Array(capacity * 2).fill(EMPTY)
}

function grownParking(old: Float64Array, size: number): Float64Array {
  const parked = new Float64Array(Math.max(size, old.length * 2, 1024))
  parked.set(old)
  return parked
}

/** Home slot: the key's block scattered by a multiplicative hash, its place in the block kept. */
function home(key: number): number {
  let h = Math.imul((key >>> BLOCK_BITS) ^ (key >>> 16), 0x45d9f3b)
  h ^= h >>> 16
  return (h << BLOCK_BITS) | (key & BLOCK_MASK)
}
