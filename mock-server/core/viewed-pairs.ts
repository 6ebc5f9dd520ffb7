// The view log's distinct (video, user) pairs, behind unique-viewer counts: the largest table a
// run keeps (~9 million pairs in soak --scale 40). A pair table (pair-set.ts) spends 8 bytes a
// slot on video and user side by side and doubles as one block (old and new alive together while
// it copies: 64 + 128 MB at that scale). Here the videos are split into buckets of 512 by their
// high bits, each bucket its own open-addressing table whose slot holds the user and the video's
// low 9 bits in one int32: 4 bytes a slot, and each growth copies one bucket (issue 20). The
// videos are shuffled over popularity ranks (sim/population.ts), so buckets fill about evenly.
import { PairSet } from './pair-set.ts'

const VIDEO_LOW_BITS = 9
const VIDEO_LOW_MASK = (1 << VIDEO_LOW_BITS) - 1
/**
 * Users below this fit a slot beside the video's low bits as a non-negative int32 (the world's
 * accounts are at most 2^22, WORLD_LIMITS); a larger user index, which only a directory loaded
 * over HTTP could have, goes to a pair table instead.
 */
const USER_LIMIT = 2 ** (31 - VIDEO_LOW_BITS)
const EMPTY = -1
const BUCKET_SLOTS_MIN = 64

export class ViewedPairs {
  /** By video >>> VIDEO_LOW_BITS: the bucket's slots (undefined until its first pair). */
  private readonly buckets: Array<Int32Array | undefined> = []
  private readonly bucketCounts: number[] = []
  private readonly wide = new PairSet(16)
  private count = 0

  get size(): number {
    return this.count + this.wide.size
  }

  /** Adds the pair; true when it was not there before. Ids are non-negative integers. */
  add(video: number, user: number): boolean {
    if (user >= USER_LIMIT) return this.wide.add(video, user)
    const bucket = video >>> VIDEO_LOW_BITS
    let slots = this.buckets[bucket]
    const held = this.bucketCounts[bucket] ?? 0
    // Three quarters full at most, as the pair table: nearly every probe is for a first view.
    if (slots === undefined || (held + 1) * 4 > slots.length * 3) slots = this.grow(bucket, slots)
    const key = slotKey(video, user)
    const at = probe(slots, key)
    if (slots[at] !== EMPTY) return false
    slots[at] = key
    this.bucketCounts[bucket] = held + 1
    this.count++
    return true
  }

  has(video: number, user: number): boolean {
    if (user >= USER_LIMIT) return this.wide.has(video, user)
    const slots = this.buckets[video >>> VIDEO_LOW_BITS]
    return slots !== undefined && slots[probe(slots, slotKey(video, user))] !== EMPTY
  }

  private grow(bucket: number, old: Int32Array | undefined): Int32Array {
    const slots = new Int32Array(old === undefined ? BUCKET_SLOTS_MIN : old.length * 2).fill(EMPTY)
    if (old !== undefined) for (const key of old) if (key !== EMPTY) slots[probe(slots, key)] = key
    this.buckets[bucket] = slots
    return slots
  }
}

/** The user and the video's low bits as one non-negative int32 (the bucket says the rest of the video). */
function slotKey(video: number, user: number): number {
  return user * (VIDEO_LOW_MASK + 1) + (video & VIDEO_LOW_MASK)
}

/** The index of the key's slot, or of the free slot where it would go. */
function probe(slots: Int32Array, key: number): number {
  const mask = slots.length - 1
  for (let slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
    const held = slots[slot] as number
    if (held === EMPTY || held === key) return slot
  }
}

/** Spreads neighbouring keys (a user's videos differ in the low bits) over the table. */
function mix(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return h ^ (h >>> 16)
}
