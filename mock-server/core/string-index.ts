// The position of each string of an append-only list, as one open-addressing table of positions
// (about 6 bytes a string) instead of a Map entry each (~40 bytes): the directory of a world of
// millions of accounts keeps its ids once, in its list, and finds them through this (issue 20).

/** The table grows when it is 70% full, so a probe stays short and always meets an empty slot. */
const LOAD_MAX = 0.7
const SLOTS_MAX = 2 ** 30
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

export class StringIndex {
  /** Position + 1 of a string in each slot, 0 for an empty slot. */
  private slots = new Int32Array(16)
  private count = 0

  /** `strings`: the list this indexes, owned by the caller, who appends and then calls `add`. */
  constructor(private readonly strings: readonly string[]) {}

  /** Position of `text` in the list, -1 when it is not there. */
  get(text: string): number {
    const mask = this.slots.length - 1
    for (let slot = hashOf(text) & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number
      if (held === 0) return -1
      if (this.strings[held - 1] === text) return held - 1
    }
  }

  /** Indexes the string at `position` (just appended; a string already indexed keeps its first position). */
  add(position: number): void {
    if (this.count + 1 > this.slots.length * LOAD_MAX) this.grow()
    if (this.insert(position)) this.count++
  }

  private insert(position: number): boolean {
    const text = this.strings[position] as string
    const mask = this.slots.length - 1
    let slot = hashOf(text) & mask
    for (;;) {
      const held = this.slots[slot] as number
      if (held === 0) break
      if (this.strings[held - 1] === text) return false
      slot = (slot + 1) & mask
    }
    this.slots[slot] = position + 1
    return true
  }

  private grow(): void {
    if (this.slots.length >= SLOTS_MAX) throw new RangeError(`StringIndex holds at most ${SLOTS_MAX * LOAD_MAX} strings`)
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    for (const held of old) if (held !== 0) this.insert(held - 1)
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(text: string): number {
  let hash = FNV_OFFSET
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME)
  return hash >>> 0
}
