// Per-bucket counters for the charts: offered and served rates, shed, failures, timeouts, stale
// and zero reads, and latency percentiles from a small log-binned histogram per bucket (quarter
// octaves from 0.25 ms), so memory is fixed per bucket whatever the rate.

const BINS = 80
const BIN_BASE_MS = 0.25

function binOf(latencyMs: number): number {
  if (!(latencyMs > BIN_BASE_MS)) return 0
  const bin = Math.floor(4 * Math.log2(latencyMs / BIN_BASE_MS))
  return bin >= BINS ? BINS - 1 : bin
}

function binUpperMs(bin: number): number {
  return BIN_BASE_MS * 2 ** ((bin + 1) / 4)
}

export class TimeSeries {
  readonly bucketMs: number
  readonly buckets: number
  readonly offered: Int32Array
  readonly served: Int32Array
  readonly shed: Int32Array
  readonly failed: Int32Array
  readonly timeouts: Int32Array
  readonly staleReads: Int32Array
  readonly zeroLikeReads: Int32Array
  private readonly latencyBins: Uint32Array

  constructor({ durationMs, bucketMs }: { durationMs: number; bucketMs: number }) {
    this.bucketMs = bucketMs
    this.buckets = Math.max(1, Math.ceil(durationMs / bucketMs))
    this.offered = new Int32Array(this.buckets)
    this.served = new Int32Array(this.buckets)
    this.shed = new Int32Array(this.buckets)
    this.failed = new Int32Array(this.buckets)
    this.timeouts = new Int32Array(this.buckets)
    this.staleReads = new Int32Array(this.buckets)
    this.zeroLikeReads = new Int32Array(this.buckets)
    this.latencyBins = new Uint32Array(this.buckets * BINS)
  }

  bucketOf(tMs: number): number {
    const bucket = Math.floor(tMs / this.bucketMs)
    return bucket < 0 ? 0 : bucket >= this.buckets ? this.buckets - 1 : bucket
  }

  served1(tMs: number, latencyMs: number): number {
    const bucket = this.bucketOf(tMs)
    this.served[bucket] = (this.served[bucket] as number) + 1
    const slot = bucket * BINS + binOf(latencyMs)
    this.latencyBins[slot] = (this.latencyBins[slot] as number) + 1
    return bucket
  }

  count(series: Int32Array, tMs: number): void {
    const bucket = this.bucketOf(tMs)
    series[bucket] = (series[bucket] as number) + 1
  }

  /** Latency percentile over buckets [first, end) (upper edge of the bin), null when nothing was served. */
  percentileMs(first: number, end: number, percentile: number): number | null {
    const merged = new Float64Array(BINS)
    let total = 0
    for (let bucket = first; bucket < end; bucket++) {
      for (let bin = 0; bin < BINS; bin++) {
        const n = this.latencyBins[bucket * BINS + bin] as number
        merged[bin] = (merged[bin] as number) + n
        total += n
      }
    }
    if (total === 0) return null
    const rank = Math.ceil((percentile / 100) * total)
    let seen = 0
    for (let bin = 0; bin < BINS; bin++) {
      seen += merged[bin] as number
      if (seen >= rank) return Math.round(binUpperMs(bin) * 1000) / 1000
    }
    return Math.round(binUpperMs(BINS - 1) * 1000) / 1000
  }
}
