// One API request through the core: pick the region (the listener's own, or the one named by
// X-LikeStorm-Region), measure the modelled wait it meets, call the core at the server clock's
// now, and reply — success as the route's schema, failure as `{ code, message }` with the core's
// status (shed: 503, rate-limited: 429, both with Retry-After and sent at once: refusing must be
// fast). Admitted requests are replied to after their modelled wait.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EngagementCore } from '../core/engagement-core.ts'
import type { CoreResult } from '../core/types.ts'
import { errorBody, ERRORS, retryAfterS } from './errors.ts'
import type { LiveWorld } from './live-world.ts'
import type { ServerMetrics } from './metrics.ts'
import { afterWait, waitAt, type WaitKind } from './modelled-wait.ts'

export interface RegionContext {
  /** The region this listener serves. */
  readonly region: string
  readonly world: LiveWorld
  readonly metrics: ServerMetrics
  /** Bound on an enacted wait. */
  readonly waitMsMax: number
  /** Wall ms per modelled ms (1 unless the server runs on a scaled clock). */
  readonly waitScale: number
}

const REGION_HEADER = 'x-likestorm-region'

export function callCore<T>(
  ctx: RegionContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: WaitKind,
  call: (core: EngagementCore, nowMs: number, region: string) => CoreResult<T>,
): void {
  const header = request.headers[REGION_HEADER]
  const region = typeof header === 'string' ? header : ctx.region
  const core = ctx.world.core
  const nowMs = ctx.world.clock.nowMs()
  const waitMs = waitAt(core, region, nowMs, kind) * ctx.waitScale
  const result = call(core, nowMs, region)
  if (result.ok) {
    if ((result.value as { stale?: unknown }).stale === true) ctx.metrics.countStaleRead(ctx.region, request.routeOptions.url ?? '')
    // A replay was answered from the key store without queueing: it is sent at once.
    if (waitMs === 0 || result.replayed) reply.send(result.value)
    else afterWait(waitMs, ctx.waitMsMax, () => reply.send(result.value))
    return
  }
  const { code } = result
  if (result.retryAfterMs !== undefined) reply.header('retry-after', String(retryAfterS(result.retryAfterMs)))
  reply.code(ERRORS[code].status)
  if (code === 'LS_CORE_OVERLOADED') ctx.metrics.countShed(region, 'capacity')
  else if (code === 'LS_CORE_RATE_LIMITED') ctx.metrics.countShed(region, 'rate-limited')
  // Refused before admission (shed, rate-limited, region down, unknown region): no queue was waited on.
  if (code === 'LS_CORE_OVERLOADED' || code === 'LS_CORE_RATE_LIMITED' || code === 'LS_CORE_REGION_DOWN' || code === 'LS_CORE_UNKNOWN_REGION') {
    reply.send(errorBody(code))
    return
  }
  afterWait(waitMs, ctx.waitMsMax, () => reply.send(errorBody(code)))
}
