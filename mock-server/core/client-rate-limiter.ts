// Per-client rate limiting at a region's edge: a token bucket per client /24 block, refilled at
// `ratePerS` up to `burst`. A flood from a few blocks is refused with 429 before it costs any
// capacity, so genuine clients keep their goodput. Buckets live in one typed array indexed by the
// interned block id, a bucket's tokens and last refill side by side, so checking one costs a
// single cache line.

export interface ClientRateLimit {
  readonly ratePerS: number
  readonly burst: number
}

export class ClientRateLimiter {
  private readonly ratePerMs: number
  private readonly burst: number
  /** Bucket b: tokens at 2b, time of the last refill at 2b + 1. */
  private buckets = new Float64Array(0)

  constructor(limit: ClientRateLimit) {
    this.ratePerMs = limit.ratePerS / 1000
    this.burst = limit.burst
  }

  /** Take a token for the block; returns 0 when allowed, else the ms until a token is back. */
  take(block: number, nowMs: number): number {
    if (2 * block >= this.buckets.length) this.grow(block + 1)
    const buckets = this.buckets
    const elapsed = nowMs - (buckets[2 * block + 1] as number)
    let tokens = buckets[2 * block] as number
    if (elapsed > 0) {
      tokens = Math.min(this.burst, tokens + elapsed * this.ratePerMs)
      buckets[2 * block + 1] = nowMs
    }
    if (tokens >= 1) {
      buckets[2 * block] = tokens - 1
      return 0
    }
    buckets[2 * block] = tokens
    return Math.ceil((1 - tokens) / this.ratePerMs)
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.buckets.length, 1024)
    const buckets = new Float64Array(capacity * 2)
    // New buckets start full, never refilled.
    for (let block = 0; block < capacity; block++) {
      buckets[2 * block] = this.burst
      buckets[2 * block + 1] = -Infinity
    }
    buckets.set(this.buckets)
    this.buckets = buckets
  }
}
