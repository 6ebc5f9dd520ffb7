// What the (video, user) pair tables share: one open-addressing hash table of typed arrays, a
// slot of `stride` ints with video and user first (video EMPTY when free) and any value after,
// so a lookup is one probe sequence through one array, not a Map per video. Load stays at most
// one half by default, so probe sequences stay short; a table that is mostly looked up for pairs
// it does not hold yet and is the largest thing a run keeps (the view log) may ask for three
// quarters: its probes stay within a cache line or two, and it takes half the memory.
import { powerOfTwoAtLeast } from './typed-arrays.ts'

export const EMPTY = -1

export abstract class PairTable {
  protected slots: Int32Array
  protected mask: number
  protected count = 0

  /** Most pairs per slot, as a fraction: quarters (2: one half, 3: three quarters). */
  private readonly loadQuarters: number

  constructor(
    private readonly stride: number,
    initialCapacity: number,
    { maxLoadQuarters = 2 }: { maxLoadQuarters?: 2 | 3 } = {},
  ) {
    this.loadQuarters = maxLoadQuarters
    const capacity = powerOfTwoAtLeast(initialCapacity)
    this.slots = new Int32Array(capacity * stride).fill(EMPTY)
    this.mask = capacity - 1
  }

  get size(): number {
    return this.count
  }

  /** Slots in the table (held and free). */
  get capacity(): number {
    return this.mask + 1
  }

  /** Room for `pairs` pairs in all without growing (a sizing hint: doubling up to it copies the table each time). */
  reserve(pairs: number): void {
    let capacity = this.mask + 1
    while (pairs * 4 > capacity * this.loadQuarters) capacity *= 2
    if (capacity > this.mask + 1) this.grow(capacity)
  }

  /** Make room for one more pair (call before inserting). */
  protected roomForOne(): void {
    if ((this.count + 1) * 4 > (this.mask + 1) * this.loadQuarters) this.grow((this.mask + 1) * 2)
  }

  private grow(capacity: number): void {
    const old = this.slots
    const stride = this.stride
    const slots = new Int32Array(capacity * stride).fill(EMPTY)
    for (let from = 0; from < old.length; from += stride) {
      const video = old[from] as number
      if (video === EMPTY) continue
      const to = probePair(slots, capacity - 1, stride, video, old[from + 1] as number)
      for (let k = 0; k < stride; k++) slots[to + k] = old[from + k] as number
    }
    this.slots = slots
    this.mask = capacity - 1
  }
}

/** The offset of the pair's slot, or of the free slot where it would go. */
export function probePair(slots: Int32Array, mask: number, stride: number, video: number, user: number): number {
  for (let slot = hashPair(video, user) & mask; ; slot = (slot + 1) & mask) {
    const at = slot * stride
    const held = slots[at] as number
    if (held === EMPTY || (held === video && slots[at + 1] === user)) return at
  }
}

/** Mixes both ids so neighbouring pairs land far apart. */
export function hashPair(video: number, user: number): number {
  let h = Math.imul(video, 0x9e3779b1) ^ user
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return h ^ (h >>> 16)
}
