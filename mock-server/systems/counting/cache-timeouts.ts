// The share of each region's counter-cache calls that timed out over the last ten seconds, kept as
// a circuit breaker keeps its dependency's error rate: a rolling window of fixed buckets with a
// minimum volume. It tells a cache that is failing (a sustained share of its calls time out) from
// one that a burst pushed past its timeout for a few milliseconds: at small capacities a handful of
// requests arriving together does that (90 cache calls/s serve one per 11 ms, so five at once meet
// a 50 ms backlog), and which request meets that instant is decided by a millisecond of pacing.
// Memory: regions x buckets x 3 numbers. The clock is handed in.

export interface CacheTimeoutsOptions {
  readonly regions: number
  /** Span of the rolling window. */
  readonly windowMs: number
  /** Buckets the window is kept in (the window rolls by windowMs / buckets). */
  readonly buckets: number
  /** Calls in the window below which the cache is never judged failing (too few to tell). */
  readonly minCalls: number
  /** Share of the window's calls that must have timed out for the cache to be failing. */
  readonly failingShare: number
}

/**
 * Ten seconds, a circuit breaker's usual rolling window; failing at 5% of at least 10 calls. Over
 * any ten seconds a region of baseline sees at most 3.5% of its cache calls time out at scale 0.1
 * (none at scale 1), while 9 in 10 of the likes that meet flash-crowd's cache past its timeout
 * meet it with more than 5% timed out (seed 7, scale 1).
 */
export const CACHE_TIMEOUTS_DEFAULTS: Omit<CacheTimeoutsOptions, 'regions'> = { windowMs: 10_000, buckets: 10, minCalls: 10, failingShare: 0.05 }

export class CacheTimeouts {
  private readonly buckets: number
  private readonly bucketMs: number
  private readonly minCalls: number
  private readonly failingShare: number
  /** Which bucket of time (floor(nowMs / bucketMs)) each slot holds; NaN when never used. */
  private readonly slotOf: Float64Array
  private readonly calls: Float64Array
  private readonly timeouts: Float64Array

  constructor({ regions, windowMs, buckets, minCalls, failingShare }: CacheTimeoutsOptions) {
    this.buckets = buckets
    this.bucketMs = windowMs / buckets
    this.minCalls = minCalls
    this.failingShare = failingShare
    this.slotOf = new Float64Array(regions * buckets).fill(Number.NaN)
    this.calls = new Float64Array(regions * buckets)
    this.timeouts = new Float64Array(regions * buckets)
  }

  /** A cache call of `region` made at `nowMs`, and whether it timed out. */
  record(region: number, nowMs: number, timedOut: boolean): void {
    const bucket = Math.floor(nowMs / this.bucketMs)
    const at = region * this.buckets + (((bucket % this.buckets) + this.buckets) % this.buckets)
    if (this.slotOf[at] !== bucket) {
      this.slotOf[at] = bucket
      this.calls[at] = 0
      this.timeouts[at] = 0
    }
    this.calls[at] = (this.calls[at] as number) + 1
    if (timedOut) this.timeouts[at] = (this.timeouts[at] as number) + 1
  }

  /** Whether at least `failingShare` of the region's calls in the window up to `nowMs` timed out. */
  failing(region: number, nowMs: number): boolean {
    const bucket = Math.floor(nowMs / this.bucketMs)
    let calls = 0
    let timeouts = 0
    for (let at = region * this.buckets; at < (region + 1) * this.buckets; at++) {
      const slot = this.slotOf[at] as number
      if (slot > bucket - this.buckets && slot <= bucket) {
        calls += this.calls[at] as number
        timeouts += this.timeouts[at] as number
      }
    }
    return calls >= this.minCalls && timeouts >= this.failingShare * calls
  }
}
