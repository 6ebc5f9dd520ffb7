// An open-addressing hash index from small integer keys to sequence numbers, in one typed array:
// one probe sequence per lookup instead of the two or three dependent loads of a Map with
// hundreds of thousands of entries. Entries are never deleted: a slot whose sequence number has
// fallen behind the owner's `oldestLiveSeq` is dead and gets reused by the next insert that
// probes it, so the table stays bounded by the live entries.
//
// Memory, not arithmetic, is what a lookup costs here: a table of a million slots is far larger
// than a core's cache, and every slot a probe touches may be a trip to main memory. So a slot
// keeps its key and its sequence number side by side (8 bytes: 8 slots to a cache line), and the
// hash keeps runs of consecutive keys in consecutive slots: in-process drivers use operation ids,
// which are dense and increasing, so the live keys form a sliding window that a multiplicative
// hash alone would scatter over the whole table. Blocks of 2^BLOCK_BITS keys are scattered instead.
//
// A slot keeps the low 32 bits of its sequence number; sequence numbers themselves grow without
// bound (a long `likestorm serve`). An entry's age is read modulo 2^32 against `oldestLiveSeq`,
// as a signed 32-bit distance, which is right while no entry, live or dead, is 2^31 or more
// behind it. The owner keeps that so: it holds at most 2^30 live entries, and asks `needsRebuild`
// for every sequence number it hands out (set here or not), so that the table is rebuilt, every
// dead entry dropped, at least every 2^30 of them.

import { powerOfTwoAtLeast } from './typed-arrays.ts'

/** A free slot's key (keys are >= 0). */
const EMPTY = -1
/** Keys per block kept together (a power of two): 32 slots of 8 bytes are 4 cache lines. */
const BLOCK_BITS = 5
const BLOCK_MASK = (1 << BLOCK_BITS) - 1
/** The longest run of sequence numbers between two rebuilds: see the note at the top. */
export const REBUILD_EVERY_SEQS = 2 ** 30
/** Slots per live key after a rebuild: the table rebuilds at half full, so the live keys have
 *  room to slide along before the next one. */
const SLOTS_PER_LIVE_KEY = 4

export class NumericKeyIndex {
  /** Slot i holds its key at 2i (EMPTY when the slot is free) and its sequence number's low 32 bits at 2i + 1. */
  private slots: Int32Array
  private mask: number
  /** Slots holding a key, live or dead. */
  private used = 0
  /** The sequence number the table was last rebuilt at (the one stored right after). */
  private rebuiltAtSeq = 0

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
    const capacity = capacityFor(keys, this.mask + 1)
    if (capacity === this.mask + 1) return
    this.slots = emptySlots(capacity)
    this.mask = capacity - 1
  }

  /** The live sequence number stored for a key, or -1. */
  get(key: number, oldestLiveSeq: number): number {
    const slots = this.slots
    const mask = this.mask
    const oldest = oldestLiveSeq | 0
    for (let slot = home(key) & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot] as number
      if (stored === EMPTY) return -1
      // A key has at most one slot (`set` replaces it in place), live or dead.
      if (stored === key) {
        const ahead = ((slots[2 * slot + 1] as number) - oldest) | 0
        return ahead >= 0 ? oldestLiveSeq + ahead : -1
      }
    }
  }

  /**
   * Whether the table must be rebuilt (`reset`, then `set` every live key again) before `seq` is
   * set: half its slots are taken, or `seq` is REBUILD_EVERY_SEQS past the last rebuild.
   */
  needsRebuild(seq: number): boolean {
    return (this.used + 1) * 2 > this.mask + 1 || seq - this.rebuiltAtSeq >= REBUILD_EVERY_SEQS
  }

  /**
   * Empty the table for a rebuild at `seq`, with room for `liveKeys` (it doubles when they would
   * fill more than a quarter of it, and never shrinks). The owner then sets its live keys again:
   * it keeps them anyway, so the index parks nothing of its own.
   */
  reset(liveKeys: number, seq: number): void {
    const capacity = capacityFor(liveKeys + 1, this.mask + 1)
    if (capacity === this.mask + 1) {
      this.slots.fill(EMPTY)
    } else {
      this.slots = emptySlots(capacity)
      this.mask = capacity - 1
    }
    this.used = 0
    this.rebuiltAtSeq = seq
  }

  /** Map `key` to `seq`. The table must have room (`needsRebuild` false, or just `reset`). */
  set(key: number, seq: number, oldestLiveSeq: number): void {
    // A full table would make the probe below go round for ever: a bug in the owner.
    if (this.used >= this.mask) throw new Error('numeric key index is full: its owner must rebuild it when needsRebuild says so')
    const slots = this.slots
    const mask = this.mask
    const oldest = oldestLiveSeq | 0
    let reuse = -1
    for (let slot = home(key) & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot] as number
      if (stored === EMPTY) {
        const target = reuse >= 0 ? reuse : slot
        if (reuse < 0) this.used++
        slots[2 * target] = key
        slots[2 * target + 1] = seq | 0
        return
      }
      if (stored === key) {
        slots[2 * slot + 1] = seq | 0
        return
      }
      if (reuse < 0 && (((slots[2 * slot + 1] as number) - oldest) | 0) < 0) reuse = slot
    }
  }
}

/** The smallest power of two, `capacity` or above, with SLOTS_PER_LIVE_KEY slots for each of `keys`. */
function capacityFor(keys: number, capacity: number): number {
  let wanted = capacity
  while (keys * SLOTS_PER_LIVE_KEY > wanted) wanted *= 2
  return wanted
}

function emptySlots(capacity: number): Int32Array {
  // Sequence numbers are EMPTY too, which nothing reads (a probe reads one only past a used key);
  // one fill beats a loop over every other element.
  return new Int32Array(capacity * 2).fill(EMPTY)
}

/** Home slot: the key's block scattered by a multiplicative hash, its place in the block kept. */
function home(key: number): number {
  let h = Math.imul((key >>> BLOCK_BITS) ^ (key >>> 16), 0x45d9f3b)
  h ^= h >>> 16
  return (h << BLOCK_BITS) | (key & BLOCK_MASK)
}
