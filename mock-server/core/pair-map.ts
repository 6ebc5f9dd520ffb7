// A map from (video, user) pairs to small non-negative integers (a replica's like-set slots), in
// one open-addressing hash table of typed arrays: a slot keeps video, user and value side by
// side, so a lookup is one probe sequence through one array, not a Map per video.

export const EMPTY = -1
const STRIDE = 3

export class PairMap {
  /** Slot i holds video (EMPTY when free), user and value at STRIDE * i + 0, 1, 2. */
  private slots: Int32Array
  private mask: number
  private count = 0

  constructor(initialCapacity = 1 << 10) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)))
    this.slots = new Int32Array(capacity * STRIDE).fill(EMPTY)
    this.mask = capacity - 1
  }

  get size(): number {
    return this.count
  }

  /** The pair's value, or -1 when the pair is absent. */
  get(video: number, user: number): number {
    const at = probePair(this.slots, this.mask, STRIDE, video, user)
    return this.slots[at] === EMPTY ? -1 : (this.slots[at + 2] as number)
  }

  /** Set a pair's value (ids and values are non-negative integers). */
  set(video: number, user: number, value: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow()
    const slots = this.slots
    const at = probePair(slots, this.mask, STRIDE, video, user)
    if (slots[at] === EMPTY) {
      slots[at] = video
      slots[at + 1] = user
      this.count++
    }
    slots[at + 2] = value
  }

  /** Double the table (load stays at most one half, so probe sequences stay short). */
  private grow(): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2).fill(EMPTY)
    this.mask = (old.length * 2) / STRIDE - 1
    this.count = 0
    for (let at = 0; at < old.length; at += STRIDE) {
      const video = old[at] as number
      if (video !== EMPTY) this.set(video, old[at + 1] as number, old[at + 2] as number)
    }
  }
}

/**
 * Shared by the pair tables (slots of `stride` ints, video first, EMPTY when free; load at most
 * one half): the offset of the pair's slot, or of the free slot where it would go.
 */
export function probePair(slots: Int32Array, mask: number, stride: number, video: number, user: number): number {
  for (let slot = hashPair(video, user) & mask; ; slot = (slot + 1) & mask) {
    const at = slot * stride
    const held = slots[at] as number
    if (held === EMPTY || (held === video && slots[at + 1] === user)) return at
  }
}

/** Shared by the pair tables: mixes both ids so neighbouring pairs land far apart. */
export function hashPair(video: number, user: number): number {
  let h = Math.imul(video, 0x9e3779b1) ^ user
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return h ^ (h >>> 16)
}
