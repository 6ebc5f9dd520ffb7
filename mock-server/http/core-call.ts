// One API request through the core: pick the region (the listener's own, or the one named by
// X-LikeStorm-Region), measure the modelled wait it meets, call the core at the server clock's
// now, and reply — success as the route's schema, failure as `{ code, message }` with the core's
// status (shed: 503, rate-limited: 429, both with Retry-After and sent at once: refusing must be
// fast). Admitted requests are replied to after their modelled wait.
//
// A request whose client's deadline (X-LikeStorm-Deadline-Ms, request-deadline.ts) would pass
// before its answer could reach it is answered at once with 504 LS_HTTP_DEADLINE_EXCEEDED and not
// executed: nothing applied, no idempotency key stored. The check is here, at the edge that knows
// wall time, so the core stays pure and the sim (which has no such header) is unchanged. It
// counts the whole modelled wait, so a retry that the core would answer from its key store (no
// wait) is refused too when the queue is long: the client has given up on that attempt either way.
//
// On a lossy path (the network-loss fault, client-loss.ts) a share of the requests to a region is
// lost: before the core sees them, or after it answered, when the answer would have been sent. The
// connection is reset instead of answered, as a lost packet's connection would end, and the
// client cannot tell whether it was applied. (Our clients never pipeline: one request a connection.)
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EngagementCore } from '../core/engagement-core.ts'
import type { ClientLoss } from '../env/client-loss.ts'
import type { CoreResult } from '../core/types.ts'
import { errorBody, ERRORS, retryAfterS } from './errors.ts'
import type { LiveWorld } from './live-world.ts'
import type { ServerMetrics } from './metrics.ts'
import { afterWait, enactedWaitMs, waitAt, type WaitKind } from './modelled-wait.ts'
import { DEADLINE_HEADER, deadlinePassed, parseDeadline } from './request-deadline.ts'

export interface RegionContext {
  /** The region this listener serves. */
  readonly region: string
  readonly world: LiveWorld
  readonly metrics: ServerMetrics
  /** Bound on an enacted wait. */
  readonly waitMsMax: number
  /** Wall ms per modelled ms (1 unless the server runs on a scaled clock). */
  readonly waitScale: number
  /** The clients' lossy paths to the regions (the admin API's network-loss fault). */
  readonly loss: ClientLoss
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
  const deadline = parseDeadline(request.headers[DEADLINE_HEADER])
  if (!deadline.ok) {
    reply.code(ERRORS.LS_HTTP_BAD_DEADLINE.status).send(errorBody('LS_HTTP_BAD_DEADLINE', deadline.detail))
    return
  }
  const fate = ctx.loss.fate(region)
  if (fate === 'lose-request') return loseConnection(reply)
  // The answer, or in its place the reset of a lost one.
  const send = fate === 'lose-answer' ? () => loseConnection(reply) : (body: unknown) => void reply.send(body)
  const core = ctx.world.core
  const nowMs = ctx.world.clock.nowMs()
  const waitMs = waitAt(core, region, nowMs, kind) * ctx.waitScale
  // A system that does not honour deadlines (naive) executes the attempt whatever is left of it.
  if (core.strategy.honoursDeadlines !== false && deadlinePassed({ deadlineMs: deadline.deadlineMs, elapsedMs: reply.elapsedTime, waitMs: enactedWaitMs(waitMs, ctx.waitMsMax) })) {
    ctx.metrics.countShed(region, 'deadline')
    reply.code(ERRORS.LS_HTTP_DEADLINE_EXCEEDED.status)
    send(errorBody('LS_HTTP_DEADLINE_EXCEEDED', `${deadline.deadlineMs} ms`))
    return
  }
  const result = call(core, nowMs, region)
  if (result.ok) {
    if ((result.value as { stale?: unknown }).stale === true) ctx.metrics.countStaleRead(ctx.region, request.routeOptions.url ?? '')
    // A replay was answered from the key store without queueing: it is sent at once.
    if (waitMs === 0 || result.replayed) send(result.value)
    else afterWait(waitMs, ctx.waitMsMax, () => send(result.value))
    return
  }
  const { code } = result
  if (result.retryAfterMs !== undefined) reply.header('retry-after', String(retryAfterS(result.retryAfterMs)))
  reply.code(ERRORS[code].status)
  if (code === 'LS_CORE_OVERLOADED') ctx.metrics.countShed(region, 'capacity')
  else if (code === 'LS_CORE_RATE_LIMITED') ctx.metrics.countShed(region, 'rate-limited')
  // Refused before admission (shed, rate-limited, region down, unknown region): no queue was waited on.
  if (code === 'LS_CORE_OVERLOADED' || code === 'LS_CORE_RATE_LIMITED' || code === 'LS_CORE_REGION_DOWN' || code === 'LS_CORE_UNKNOWN_REGION') {
    send(errorBody(code))
    return
  }
  afterWait(waitMs, ctx.waitMsMax, () => send(errorBody(code)))
}

/** Nothing is sent: the connection is reset, as the client of a lost request or answer sees it. */
function loseConnection(reply: FastifyReply): void {
  reply.hijack()
  const socket = reply.raw.socket
  // inject()'s stand-in socket cannot send a reset: its response is destroyed instead.
  if (socket !== null && typeof socket.resetAndDestroy === 'function') {
    if (!socket.destroyed) socket.resetAndDestroy()
  } else reply.raw.destroy()
}
