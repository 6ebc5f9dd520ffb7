// The position of each string of an append-only list, as one open-addressing table of positions
// (about 6 bytes a string) instead of a Map entry each (~40 bytes): the directory of a world of
// millions of accounts keeps its ids once, packed in its list (packed-ids.ts), and finds them
// through this (issue 20).

/** The table grows when it is 70% full, so a probe stays short and always meets an empty slot. */
const LOAD_MAX = 0.7
const SLOTS_MAX = 2 ** 30
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** The list an index finds positions in: it tells whether a position holds a text, and reads one back to rehash. */
export interface IndexedStrings {
  equals(position: number, text: string): boolean
  at(position: number): string
}

export class StringIndex {
  /** Position + 1 of a string in each slot, 0 for an empty slot. */
  private slots = new Int32Array(16)
  private count = 0

  /** `strings`: the list this indexes, owned by the caller, who appends what `claim` gives a position. */
  constructor(private readonly strings: IndexedStrings) {}

  /** Position of `text` in the list, -1 when it is not there. */
  get(text: string): number {
    const mask = this.slots.length - 1
    for (let slot = hashOf(text) & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number
      if (held === 0) return -1
      if (this.strings.equals(held - 1, text)) return held - 1
    }
  }

  /**
   * The position of `text` if the list holds it; otherwise `position`, which the index now gives
   * `text`: the caller appends `text` there before its next call. One hash for a lookup and an add.
   */
  claim(text: string, position: number): number {
    if (this.count + 1 > this.slots.length * LOAD_MAX) this.resize(this.slots.length * 2)
    const mask = this.slots.length - 1
    let slot = hashOf(text) & mask
    for (;;) {
      const held = this.slots[slot] as number
      if (held === 0) break
      if (this.strings.equals(held - 1, text)) return held - 1
      slot = (slot + 1) & mask
    }
    this.slots[slot] = position + 1
    this.count++
    return position
  }

  /** Room for `count` strings in all without growing (a loader that knows how many are coming). */
  reserve(count: number): void {
    let slotCount = this.slots.length
    while (count > slotCount * LOAD_MAX && slotCount < SLOTS_MAX) slotCount *= 2
    if (slotCount > this.slots.length) this.resize(slotCount)
  }

  private resize(slotCount: number): void {
    if (slotCount > SLOTS_MAX) throw new RangeError(`StringIndex holds at most ${SLOTS_MAX * LOAD_MAX} strings`)
    const old = this.slots
    this.slots = new Int32Array(slotCount)
    const mask = slotCount - 1
    for (const held of old) {
      if (held === 0) continue
      // A string made per id held, once per doubling; a loader that reserves first makes none.
      let slot = hashOf(this.strings.at(held - 1)) & mask
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask
      this.slots[slot] = held
    }
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(text: string): number {
  let hash = FNV_OFFSET
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME)
  return hash >>> 0
}
