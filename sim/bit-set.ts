// A set of small non-negative integers, one bit each (operation ids: a run has hundreds of millions).

export class BitSet {
  private readonly bits: Uint8Array

  constructor(size: number) {
    this.bits = new Uint8Array((size >>> 3) + 1)
  }

  /** Add `n`; true when it was not in the set before. */
  add(n: number): boolean {
    const bit = 1 << (n & 7)
    const byte = this.bits[n >>> 3] as number
    if ((byte & bit) !== 0) return false
    this.bits[n >>> 3] = byte | bit
    return true
  }
}
