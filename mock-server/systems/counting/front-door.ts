// A counting system's front door in each region: its per-client rate limit and its shedding bound
// over the environment's queue. Returns a queueing delay (>= 0) or a rejection, written into the
// reply by `reject`.
import { ClientRateLimiter } from '../../core/client-rate-limiter.ts'
import type { SystemEnv, SystemReply } from '../system.ts'
import type { CountingDesign } from './design.ts'

/** Admission outcomes below zero. */
const REJECT_SHED = -2
const REJECT_LIMITED = -3

export interface FrontDoorCounters {
  shed: number
  rateLimited: number
}

export class FrontDoor {
  private readonly env: SystemEnv
  private readonly queueMaxMs: number
  private readonly limiters: (ClientRateLimiter | null)[]
  /** Retry-After of the last rate-limited request. */
  private limitedRetryMs = 0
  readonly counters: FrontDoorCounters = { shed: 0, rateLimited: 0 }

  constructor(env: SystemEnv, design: CountingDesign) {
    this.env = env
    this.queueMaxMs = design.queueMaxMs
    const limit = design.clientRateLimit
    this.limiters = env.regions.map(() => (limit === null ? null : new ClientRateLimiter(limit)))
  }

  /** Rate limit (by the client's network, else the user's registered one), then admission. */
  gate(region: number, user: number, clientBlock: number): number {
    const limiter = this.limiters[region]
    if (limiter !== null && limiter !== undefined) {
      const block = clientBlock >= 0 ? clientBlock : user >= 0 ? this.env.directory.ipBlockOf(user) : -1
      if (block >= 0) {
        const waitMs = limiter.take(block, this.env.nowMs())
        if (waitMs > 0) {
          this.counters.rateLimited++
          this.limitedRetryMs = waitMs
          return REJECT_LIMITED
        }
      }
    }
    return this.admit(region)
  }

  /** Admission only (reads of lists and inboxes are not rate limited). */
  admit(region: number): number {
    const queueMs = this.env.admit(region, this.queueMaxMs)
    if (queueMs < 0) {
      this.counters.shed++
      return REJECT_SHED
    }
    return queueMs
  }

  reject(reply: SystemReply, region: number, reason: number): SystemReply {
    if (reason === REJECT_LIMITED) return reply.fail('LS_CORE_RATE_LIMITED', 1, Math.max(1000, this.limitedRetryMs))
    return reply.fail('LS_CORE_OVERLOADED', 1, this.env.retryAfterMs(region, this.queueMaxMs))
  }

  /** A region past half its bound, or whose cache call would time out now, is overloaded (notifications are deferred). */
  overloaded(region: number, queueMs: number): boolean {
    return queueMs > this.queueMaxMs / 2 || this.env.cacheDelayMs(region) > this.env.cacheTimeoutMs
  }

  /**
   * Overloaded past a burst (notifications are dropped): the queue past half its bound, or a cache
   * call that would time out now while the cache is failing (`cacheFailing`: a sustained share of
   * its recent calls timed out, cache-timeouts.ts; asked only when the call would time out).
   */
  overloadedForLong(region: number, queueMs: number, cacheFailing: () => boolean): boolean {
    return queueMs > this.queueMaxMs / 2 || (this.env.cacheDelayMs(region) > this.env.cacheTimeoutMs && cacheFailing())
  }
}
