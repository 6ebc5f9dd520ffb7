// The choices a counting system makes that robust and naive make differently (their replication
// protocol aside, which each passes as its own module). Everything here is the system's to decide;
// the environment's capacity, cache and network are not.
import type { ClientRateLimit } from '../../core/client-rate-limiter.ts'

export interface CountingDesign {
  /** Replay the stored response for a repeated Idempotency-Key instead of applying again. */
  readonly honourIdempotencyKeys: boolean
  /** Count = |likers| derived from the (user, video) set; otherwise a separate +1/-1 counter. */
  readonly countFromLikeSet: boolean
  /** What a count read serves when the counter cache times out. */
  readonly degradedRead: 'last-known-good' | 'zero'
  /** Reads say how fresh they are (stale flag, asOfMs = replication watermark). */
  readonly reportsStaleness: boolean
  /** Shedding policy: requests that would queue longer are refused with 503 + Retry-After. */
  readonly queueMaxMs: number
  /** Notifications when the region is overloaded: deferred until it recovers, or dropped. */
  readonly notificationsOnOverload: 'defer' | 'drop'
  /** Per-client (/24) token bucket at each region's edge, or none. */
  readonly clientRateLimit: ClientRateLimit | null
  /** Shards of each video's counter: write capacity per key is shards x the per-shard rate. */
  readonly counterShards: number
  /** Taking a video down evicts its counters (the cache was the only copy of the count). */
  readonly takedownEvictsCounts: boolean
  /** A purge's removal reaches a region that is down once it is back (else it never does). */
  readonly durablePurges: boolean
  /**
   * A purge removes the account's views as well as its likes (account-views.ts); otherwise its
   * views keep counting. The module declares the same (SystemModule.removesPurgedViews).
   */
  readonly removesPurgedViews: boolean
}
