// The value of a given rank among float32 values (the history's latencies), exactly, in two
// passes over them and a fixed 512 KB: a radix select on the values' bits, the high 16 bits
// counted on the first pass, the low 16 bits of those in the chosen bucket on the second. The
// same answer as sorting them all, without keeping them (a run has millions).
const BUCKETS = 1 << 16
const scratch = new Float32Array(1)
const bits = new Uint32Array(scratch.buffer)

/** The value's bits as an unsigned key that orders as the values do (negatives flipped). */
function keyOf(value: number): number {
  scratch[0] = value
  const raw = bits[0] as number
  return raw >= 0x80000000 ? ~raw >>> 0 : (raw | 0x80000000) >>> 0
}

function valueOf(key: number): number {
  bits[0] = key >= 0x80000000 ? (key & 0x7fffffff) >>> 0 : ~key >>> 0
  return scratch[0] as number
}

export class Float32Rank {
  private readonly high = new Uint32Array(BUCKETS)
  private readonly low = new Uint32Array(BUCKETS)
  /** Values seen on the first pass. */
  count = 0
  private bucket = -1
  private rankInBucket = 0

  /** First pass: every value. */
  countFirst(value: number): void {
    const bucket = keyOf(value) >>> 16
    this.high[bucket] = (this.high[bucket] as number) + 1
    this.count++
  }

  /** Between the passes: the rank wanted (0-based, among the values of the first pass). */
  choose(rank: number): void {
    this.bucket = -1
    if (rank < 0) return
    let before = 0
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const inBucket = this.high[bucket] as number
      if (rank < before + inBucket) {
        this.bucket = bucket
        this.rankInBucket = rank - before
        return
      }
      before += inBucket
    }
  }

  /** Second pass: the same values again. */
  countSecond(value: number): void {
    const key = keyOf(value)
    if (key >>> 16 !== this.bucket) return
    const low = key & 0xffff
    this.low[low] = (this.low[low] as number) + 1
  }

  /** The value of the chosen rank; null when there were no values (or the rank was beyond them). */
  value(): number | null {
    if (this.bucket < 0) return null
    let before = 0
    for (let low = 0; low < BUCKETS; low++) {
      before += this.low[low] as number
      if (this.rankInBucket < before) return valueOf(((this.bucket << 16) | low) >>> 0)
    }
    return null
  }
}
