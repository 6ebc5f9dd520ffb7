// Millions of short ASCII strings (account ids, handles) without a JS string each: the characters
// side by side in one byte buffer, an end offset per string, and an open-addressing hash index
// (string -> position) over the same bytes. A world of 4 million accounts keeps its ids in ~16 bytes
// each instead of a ~40-byte string plus an array slot, and a lookup table in ~6 more instead of a
// Map entry (issue 20). Strings are decoded on demand: callers that need one get a fresh string.
// Plain typed arrays, no Node Buffer: sim/ also runs inside k6 scripts.

/** Offsets are 32-bit: the bytes of all strings together stay under 4 GiB. */
const BYTES_MAX = 2 ** 32 - 1
/** The index grows when it is 70% full, so a probe stays short. */
const INDEX_LOAD_MAX = 0.7
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

export class PackedStrings implements Iterable<string> {
  private bytes: Uint8Array
  private ends: Uint32Array
  private count = 0
  /** Position + 1 of the string in each slot, 0 for an empty slot. */
  private slots: Int32Array

  constructor({ expectedCount = 16, bytesPerString = 16 }: { expectedCount?: number; bytesPerString?: number } = {}) {
    this.ends = new Uint32Array(Math.max(16, expectedCount))
    this.bytes = new Uint8Array(Math.max(256, expectedCount * bytesPerString))
    this.slots = new Int32Array(slotCountFor(expectedCount))
  }

  get length(): number {
    return this.count
  }

  /** Appends `text` (ASCII only) and returns its position; a string already held is still appended (see `indexOf`). */
  push(text: string): number {
    const start = this.endOf(this.count - 1)
    const end = start + text.length
    if (end > BYTES_MAX) throw new RangeError(`PackedStrings holds at most ${BYTES_MAX} bytes`)
    if (this.count === 0x7fffffff) throw new RangeError('PackedStrings holds at most 2^31 - 1 strings')
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) throw new RangeError(`PackedStrings holds ASCII only: ${JSON.stringify(text)}`)
    if (end > this.bytes.length) this.bytes = grown(this.bytes, new Uint8Array(Math.min(BYTES_MAX, Math.max(end, this.bytes.length * 2))))
    if (this.count === this.ends.length) this.ends = grown(this.ends, new Uint32Array(this.ends.length * 2))
    for (let i = 0; i < text.length; i++) this.bytes[start + i] = text.charCodeAt(i)
    this.ends[this.count] = end
    const position = this.count++
    if (this.count > this.slots.length * INDEX_LOAD_MAX) this.rehash(this.slots.length * 2)
    else this.insertSlot(position, text)
    return position
  }

  /** Appends `text` unless it is held already (as a Set adds); its position either way. */
  add(text: string): number {
    const held = this.indexOf(text)
    return held >= 0 ? held : this.push(text)
  }

  /** The string at `position`; undefined outside 0..length-1 (no counting from the end). */
  get(position: number): string | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= this.count) return undefined
    return String.fromCharCode.apply(null, this.bytes.subarray(this.endOf(position - 1), this.endOf(position)) as unknown as number[])
  }

  /** The first position holding `text`, -1 when none does. */
  indexOf(text: string): number {
    const mask = this.slots.length - 1
    for (let slot = hashOf(text) & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number
      if (held === 0) return -1
      if (this.equals(held - 1, text)) return held - 1
    }
  }

  has(text: string): boolean {
    return this.indexOf(text) >= 0
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let position = 0; position < this.count; position++) yield this.get(position) as string
  }

  private endOf(position: number): number {
    return position < 0 ? 0 : (this.ends[position] as number)
  }

  /** Whether the string at `position` is `text`, without decoding it. */
  equals(position: number, text: string): boolean {
    if (!Number.isInteger(position) || position < 0 || position >= this.count) return false
    const start = this.endOf(position - 1)
    if (this.endOf(position) - start !== text.length) return false
    for (let i = 0; i < text.length; i++) if (this.bytes[start + i] !== text.charCodeAt(i)) return false
    return true
  }

  /** Later duplicates are not indexed: `indexOf` finds the first. */
  private insertSlot(position: number, text: string): void {
    const mask = this.slots.length - 1
    let slot = hashOf(text) & mask
    for (;;) {
      const held = this.slots[slot] as number
      if (held === 0) break
      if (this.equals(held - 1, text)) return
      slot = (slot + 1) & mask
    }
    this.slots[slot] = position + 1
  }

  private rehash(slotCount: number): void {
    this.slots = new Int32Array(slotCount)
    for (let position = 0; position < this.count; position++) this.insertSlot(position, this.get(position) as string)
  }
}

/** FNV-1a over the characters (ASCII: the same as over the bytes). */
function hashOf(text: string): number {
  let hash = FNV_OFFSET
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME)
  return hash >>> 0
}

function slotCountFor(expectedCount: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(16, expectedCount / INDEX_LOAD_MAX + 1)))
}

function grown<T extends Uint8Array | Uint32Array>(old: T, next: T): T {
  next.set(old)
  return next
}
