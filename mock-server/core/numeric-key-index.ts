// An open-addressing hash index from small integer keys to sequence numbers, in typed arrays:
// one probe sequence per lookup instead of the two or three dependent loads of a Map with
// hundreds of thousands of entries. Entries are never deleted: a slot whose sequence number has
// fallen behind the owner's `oldestLiveSeq` is dead and gets reused by the next insert that
// probes it, so the table stays bounded by the live entries.

const EMPTY = -1

export class NumericKeyIndex {
  private keys: Int32Array
  private seqs: Float64Array
  private mask: number
  private used = 0

  constructor(initialCapacity = 1 << 12) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)))
    this.keys = new Int32Array(capacity)
    this.seqs = new Float64Array(capacity).fill(EMPTY)
    this.mask = capacity - 1
  }

  /** Keys this index can hold: integers in [0, 2^31). */
  static accepts(key: number): boolean {
    return key >= 0 && key <= 0x7fffffff && Number.isInteger(key)
  }

  /** The live sequence number stored for a key, or -1. */
  get(key: number, oldestLiveSeq: number): number {
    const keys = this.keys
    const seqs = this.seqs
    const mask = this.mask
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const seq = seqs[slot] as number
      if (seq === EMPTY) return -1
      if (keys[slot] === key && seq >= oldestLiveSeq) return seq
    }
  }

  set(key: number, seq: number, oldestLiveSeq: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.rebuild(oldestLiveSeq)
    const keys = this.keys
    const seqs = this.seqs
    const mask = this.mask
    let reuse = -1
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const current = seqs[slot] as number
      if (current === EMPTY) {
        const target = reuse >= 0 ? reuse : slot
        if (reuse < 0) this.used++
        keys[target] = key
        seqs[target] = seq
        return
      }
      if (keys[slot] === key || current < oldestLiveSeq) {
        if (keys[slot] === key) {
          seqs[slot] = seq
          return
        }
        if (reuse < 0) reuse = slot
      }
    }
  }

  /** Re-insert live entries into a table sized for them (doubling when mostly live). */
  private rebuild(oldestLiveSeq: number): void {
    const oldKeys = this.keys
    const oldSeqs = this.seqs
    let live = 0
    for (let slot = 0; slot < oldSeqs.length; slot++) if ((oldSeqs[slot] as number) >= oldestLiveSeq) live++
    let capacity = oldKeys.length
    while ((live + 1) * 4 > capacity) capacity *= 2
    this.keys = new Int32Array(capacity)
    this.seqs = new Float64Array(capacity).fill(EMPTY)
    this.mask = capacity - 1
    this.used = 0
    for (let slot = 0; slot < oldSeqs.length; slot++) {
      const seq = oldSeqs[slot] as number
      if (seq >= oldestLiveSeq) this.set(oldKeys[slot] as number, seq, oldestLiveSeq)
    }
  }
}

function hash(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return h ^ (h >>> 16)
}
