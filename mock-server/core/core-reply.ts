// One answer of the engagement core, written in place: the allocation-free twin of CoreResult for
// in-process drivers that make millions of calls (`EngagementCore.*Into`). The caller owns the
// reply and reads it before its next call; fields an operation does not produce keep their
// "none" value (-1 counts, NaN times, false flags).
import type { HarnessReplyCode, SystemErrorCode, SystemReply } from '../systems/system.ts'

export class CoreReply implements SystemReply {
  ok = false
  /** The failure's code; '' on success. */
  code: SystemErrorCode | HarnessReplyCode | '' = ''
  /** Modelled time until the client has its answer (service time on success). */
  latencyMs = 0
  /** Shed and rate-limited requests: when to retry; NaN otherwise. */
  retryAfterMs = Number.NaN
  /** An Idempotency-Key replayed a stored response. */
  replayed = false
  likeCount = -1
  viewCount = -1
  uniqueViewers = -1
  /** Likes and like reads: the pair's liked state (the request's, for a like or unlike). */
  liked = false
  stale = false
  /** As of when the counts hold (a read's replication watermark); NaN when not reported. */
  asOfMs = Number.NaN
  /** A like or unlike that changed the stored state. */
  changed = false

  /** A success with no values yet: the operation sets the ones it produces. */
  succeed(latencyMs: number, replayed: boolean): this {
    this.ok = true
    this.code = ''
    this.latencyMs = latencyMs
    this.retryAfterMs = Number.NaN
    this.replayed = replayed
    this.clearValues()
    return this
  }

  fail(code: SystemErrorCode | HarnessReplyCode, latencyMs: number, retryAfterMs = Number.NaN): this {
    this.ok = false
    this.code = code
    this.latencyMs = latencyMs
    this.retryAfterMs = retryAfterMs
    this.replayed = false
    this.clearValues()
    return this
  }

  private clearValues(): void {
    this.likeCount = -1
    this.viewCount = -1
    this.uniqueViewers = -1
    this.liked = false
    this.stale = false
    this.asOfMs = Number.NaN
    this.changed = false
  }
}
