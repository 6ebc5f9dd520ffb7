// The modelled waiting a request meets, enacted for real. The core models each region's front
// door and counter cache as fluid queues and returns, for a request arriving now, how long it
// would queue (core.waitMs). The service time itself stays a number in the model; the *waiting*
// is what makes an overloaded region slow on the wire, so the reply is held back by that much
// (bounded). Below a couple of ms nothing is scheduled: with no overload the hot path has no timer.
import type { EngagementCore } from '../core/engagement-core.ts'

/** Waits at or below this are not enacted (timer resolution and cost would dominate). */
export const WAIT_THRESHOLD_MS = 2

/**
 * What a request waits on: `count-read` (a video's counts, a view's counts) goes through the
 * counter cache; `write` (like, unlike) does only when the strategy counts through the cache
 * (naive); `read` (liked?, likes page, notifications) never does.
 */
export type WaitKind = 'count-read' | 'write' | 'read'

export interface WaitModel {
  readonly queueMs: number
  readonly cacheMs: number
  /** A cache call slower than this is abandoned: nobody waits longer on the cache. */
  readonly cacheTimeoutMs: number
  readonly countsThroughCache: boolean
}

/** The wait a request of this kind meets, in ms (pure). */
export function modelledWaitMs(kind: WaitKind, model: WaitModel): number {
  const cacheWaitMs = Math.min(model.cacheMs, model.cacheTimeoutMs)
  if (kind === 'count-read') return model.queueMs + cacheWaitMs
  if (kind === 'write' && model.countsThroughCache) return model.queueMs + cacheWaitMs
  return model.queueMs
}

/** The wait at `region` for a request arriving at `nowMs`; call before the core admits it. */
export function waitAt(core: EngagementCore, region: string, nowMs: number, kind: WaitKind): number {
  const { queueMs, cacheMs } = core.waitMs(region, nowMs)
  if (queueMs <= WAIT_THRESHOLD_MS && (kind === 'read' || cacheMs <= WAIT_THRESHOLD_MS)) return 0
  return modelledWaitMs(kind, {
    queueMs,
    cacheMs,
    cacheTimeoutMs: core.config.cacheTimeoutMs,
    countsThroughCache: core.strategy.writesWaitOnCache,
  })
}

/** How long a reply is really held for a modelled wait: nothing below the threshold, at most waitMsMax. */
export function enactedWaitMs(waitMs: number, waitMsMax: number): number {
  return waitMs <= WAIT_THRESHOLD_MS ? 0 : Math.min(waitMs, waitMsMax)
}

/** Run `send` now, or after the wait (capped at waitMsMax) when it is long enough to matter. */
export function afterWait(waitMs: number, waitMsMax: number, send: () => void): void {
  const heldMs = enactedWaitMs(waitMs, waitMsMax)
  if (heldMs === 0) {
    send()
    return
  }
  // unref: a pending reply never keeps a closing process alive past its drain bound.
  setTimeout(send, heldMs).unref()
}
