// An append-only list of ids without a JS string each: their UTF-16 code units side by side in one
// array and an end offset per id. The directory of a world of 850,000 accounts keeps its ids in
// ~16 bytes each this way instead of a ~40-byte string and an 8-byte array slot (issue 20); an id
// is made into a string again only when someone asks for it (a reply, a report).
//
// sim/packed-strings.ts does the same for the world, but mock-server imports nothing of sim/
// (docs/architecture.md), and the core must hold any id a caller gives it, not only ASCII:
// code units stay one byte each while every one is below 256, and the list widens to two bytes
// each the first time one is not.
import { grown } from './typed-arrays.ts'

/** Offsets are 32-bit. */
const UNITS_MAX = 2 ** 32 - 1
const BYTE_UNIT_MAX = 0xff

export class PackedIds {
  private units: Uint8Array | Uint16Array = new Uint8Array(256)
  /** End offset (exclusive) of each id in `units`; id i starts where id i - 1 ends. */
  private ends = new Uint32Array(16)
  private count = 0

  get length(): number {
    return this.count
  }

  /** Room for `count` ids in all without growing the offsets (the characters still grow as they come). */
  reserve(count: number): void {
    if (count > this.ends.length) this.ends = grown(this.ends, new Uint32Array(count))
  }

  /** Appends `text`; returns its position. */
  push(text: string): number {
    const start = this.startOf(this.count)
    const end = start + text.length
    if (end > UNITS_MAX) throw new RangeError(`PackedIds holds at most ${UNITS_MAX} characters in all`)
    if (this.units instanceof Uint8Array && !fitsBytes(text)) this.widen()
    if (end > this.units.length) this.growUnits(end)
    if (this.count === this.ends.length) this.ends = grown(this.ends, new Uint32Array(this.ends.length * 2))
    const units = this.units
    for (let i = 0; i < text.length; i++) units[start + i] = text.charCodeAt(i)
    this.ends[this.count] = end
    return this.count++
  }

  /** The id at `position` (0..length-1), as a new string with the same code units it was given with. */
  at(position: number): string {
    if (!(position >= 0 && position < this.count)) throw new RangeError(`PackedIds has no position ${position} (length ${this.count})`)
    return String.fromCharCode.apply(null, this.units.subarray(this.startOf(position), this.ends[position]) as unknown as number[])
  }

  /** The ids from `start` up to (not including) `end`, as Array's `slice` gives them for positions from 0 on. */
  slice(start: number, end: number): string[] {
    const ids: string[] = []
    for (let position = start; position < Math.min(end, this.count); position++) ids.push(this.at(position))
    return ids
  }

  /** Whether the id at `position` is `text`, without making a string. */
  equals(position: number, text: string): boolean {
    const start = this.startOf(position)
    if ((this.ends[position] as number) - start !== text.length) return false
    const units = this.units
    for (let i = 0; i < text.length; i++) if (units[start + i] !== text.charCodeAt(i)) return false
    return true
  }

  /** String order (what `<` on the ids says: code unit by code unit, a prefix first) of the ids at two positions, without making them. */
  compare(a: number, b: number): number {
    const startA = this.startOf(a)
    const startB = this.startOf(b)
    const lengthA = (this.ends[a] as number) - startA
    const lengthB = (this.ends[b] as number) - startB
    const units = this.units
    for (let i = 0; i < lengthA && i < lengthB; i++) {
      const unitDiff = (units[startA + i] as number) - (units[startB + i] as number)
      if (unitDiff !== 0) return unitDiff
    }
    return lengthA - lengthB
  }

  private widen(): void {
    const wide = new Uint16Array(this.units.length)
    wide.set(this.units)
    this.units = wide
  }

  private startOf(position: number): number {
    return position === 0 ? 0 : (this.ends[position - 1] as number)
  }

  /**
   * Ids of one directory are much alike in length, so the room the offsets were reserved for, at
   * the mean length so far, is nearly what all of them need: grow to that at once (no doubling
   * that would leave up to half of it unused), and by half again when they turn out longer.
   */
  private growUnits(needed: number): void {
    const predicted = Math.ceil((needed / (this.count + 1)) * this.ends.length)
    const size = Math.min(UNITS_MAX, Math.max(needed, predicted, Math.floor(this.units.length * 1.5)))
    this.units = this.units instanceof Uint8Array ? grown(this.units, new Uint8Array(size)) : grown(this.units, new Uint16Array(size))
  }
}

function fitsBytes(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > BYTE_UNIT_MAX) return false
  return true
}
