// A set of pair keys (video * 2^22 + user, as sim/history.ts makes them) that iterates in insertion
// order, as a Set<number> does, in typed columns: the keys in the order added (8 bytes each) and an
// open-addressing table of their positions (4 bytes a slot, at most three quarters full). The final
// reads list every region's liked pairs — 9.4 million entries over four regions at soak --scale 200
// — and a Set<number> of keys past 2^31 holds each as a boxed number in a hash entry, ~40 bytes
// (issue 20). The order matters: the checks name their examples in it.

/** What the checks read of a set of pair keys; a Set<number> is one too. */
export interface PairKeys extends Iterable<number> {
  has(pair: number): boolean
  readonly size: number
}

const EMPTY = -1
/** Pair keys are video * 2^22 + user (sim/history.ts pairOf). */
const USER_SPAN = 2 ** 22

export class PairKeySet implements PairKeys {
  private keys = new Float64Array(1024)
  private table = new Int32Array(2048).fill(EMPTY)
  private count = 0

  constructor(pairs: Iterable<number> = []) {
    for (const pair of pairs) this.add(pair)
  }

  get size(): number {
    return this.count
  }

  has(pair: number): boolean {
    return this.table[this.slotOf(pair)] !== EMPTY
  }

  add(pair: number): this {
    const slot = this.slotOf(pair)
    if (this.table[slot] !== EMPTY) return this
    if (this.count === this.keys.length) {
      const keys = new Float64Array(this.count * 2)
      keys.set(this.keys)
      this.keys = keys
    }
    this.keys[this.count] = pair
    this.table[slot] = this.count++
    if (this.count * 4 > this.table.length * 3) this.rehash(this.table.length * 2)
    return this
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let at = 0; at < this.count; at++) yield this.keys[at] as number
  }

  /** The table slot holding the pair, or the free slot where it would go. */
  private slotOf(pair: number): number {
    const mask = this.table.length - 1
    const video = Math.floor(pair / USER_SPAN)
    let h = Math.imul(video, 0x9e3779b1) ^ (pair - video * USER_SPAN)
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
    for (let slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
      const at = this.table[slot] as number
      if (at === EMPTY || this.keys[at] === pair) return slot
    }
  }

  private rehash(slots: number): void {
    this.table = new Int32Array(slots).fill(EMPTY)
    for (let at = 0; at < this.count; at++) this.table[this.slotOf(this.keys[at] as number)] = at
  }
}
