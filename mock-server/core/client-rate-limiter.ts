// Per-client rate limiting at a region's edge: a token bucket per client /24 block, refilled at
// `ratePerS` up to `burst`. A flood from a few blocks is refused with 429 before it costs any
// capacity, so genuine clients keep their goodput. Buckets live in typed arrays indexed by the
// interned block id, so checking one costs a few array reads.

export interface ClientRateLimit {
  readonly ratePerS: number
  readonly burst: number
}

export class ClientRateLimiter {
  private readonly ratePerMs: number
  private readonly burst: number
  private tokens = new Float64Array(0)
  private lastMs = new Float64Array(0)

  constructor(limit: ClientRateLimit) {
    this.ratePerMs = limit.ratePerS / 1000
    this.burst = limit.burst
  }

  /** Take a token for the block; returns 0 when allowed, else the ms until a token is back. */
  take(block: number, nowMs: number): number {
    if (block >= this.tokens.length) this.grow(block + 1)
    const elapsed = nowMs - (this.lastMs[block] as number)
    let tokens = this.tokens[block] as number
    if (elapsed > 0) {
      tokens = Math.min(this.burst, tokens + elapsed * this.ratePerMs)
      this.lastMs[block] = nowMs
    }
    if (tokens >= 1) {
      this.tokens[block] = tokens - 1
      return 0
    }
    this.tokens[block] = tokens
    return Math.ceil((1 - tokens) / this.ratePerMs)
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.tokens.length * 2, 1024)
    const tokens = new Float64Array(capacity).fill(this.burst)
    tokens.set(this.tokens)
    const lastMs = new Float64Array(capacity).fill(-Infinity)
    lastMs.set(this.lastMs)
    this.tokens = tokens
    this.lastMs = lastMs
  }
}
