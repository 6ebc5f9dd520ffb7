// The guard around a user's system (`--system`): every call the harness makes into the module goes
// through here, once, so that whatever the module does — throw, write a malformed reply, return a
// page of ids nobody has — is the system's failure, recorded, and never a crash of the harness.
//   - A request handler that throws or writes a malformed reply (reply-check.ts) is answered
//     LS_CORE_SYSTEM_FAULT, a 500: the client records it as a server error, possibly applied (the
//     module may have changed its state before it threw), and retries with the same key.
//   - A background call that throws (a message, a timer, an outage, a purge, an observation) is
//     counted; what it should have returned is replaced by a harmless value (no observation:
//     not caught up; no seeded like; the purge's removals, likes and views, as far as they are well formed).
// Every fault goes into the system's fault log (fault-log.ts): counted by call, the first few kept
// as examples; `counters().systemFaults` reports the count wherever counters go (result.json's
// metrics.system, the admin state). The `system-faults` check turns either into the verdict.
// An infinite loop cannot be caught on the thread it runs on: see docs/systems.md.
// The built-in systems are ours and not guarded (the conformance suite holds them to the same rules).
import { describeThrown, SystemFaultLog, type SystemFaultReport } from './fault-log.ts'
import { inboxProblem, isPurgedPair, observationProblem, pageProblem, replyProblem, type RequestCall } from './reply-check.ts'
import type { EngagementSystem, InboxItem, PurgedPair, PurgedViews, RegionObservation, SeedLike, SystemEnv, SystemMessage, SystemModule, SystemReply, SystemRequest } from './system.ts'

const EMPTY_PAGE = { videos: [] as readonly number[], more: false }
const NO_ITEMS: readonly InboxItem[] = []
/** What an observer sees of a region whose observe() failed: nothing caught up, nothing equal. */
const NO_OBSERVATION: RegionObservation = { likeTotal: 0, viewTotal: 0, countsDigest: 'system-fault', watermarkMs: 0, replicationPending: 0, resyncPending: false }
/** Latency of a fault answer whose own latency is unusable. */
const FAULT_LATENCY_MS = 1

/** A module whose systems are guarded; its `create` is guarded too (a throw there names the module). */
export function guardModule<M extends SystemMessage>(module: SystemModule<M>): SystemModule<M> {
  return {
    interfaceVersion: module.interfaceVersion,
    name: module.name,
    description: module.description,
    writesWaitOnCache: module.writesWaitOnCache,
    ...(module.honoursDeadlines === undefined ? {} : { honoursDeadlines: module.honoursDeadlines }),
    ...(module.removesPurgedViews === undefined ? {} : { removesPurgedViews: module.removesPurgedViews }),
    create: (env, settings) => {
      let inner: EngagementSystem<M>
      try {
        inner = module.create(env, settings)
      } catch (thrown) {
        // No system, no run: the module cannot run with this scenario (the command line's LS_BAD_SYSTEM).
        throw new SystemCreateError(`system ${module.name}: create() ${describeThrown(thrown)}`)
      }
      return new GuardedSystem(inner, env)
    },
  }
}

/** A guarded module's create() threw: the run cannot start. */
export class SystemCreateError extends Error {
  readonly code = 'LS_BAD_SYSTEM'
}

/** The fault log of a system, when it is a guarded one. */
export function faultReportOf(system: EngagementSystem): SystemFaultReport | undefined {
  return system instanceof GuardedSystem ? system.faults.report() : undefined
}

export class GuardedSystem<M extends SystemMessage> implements EngagementSystem<M> {
  readonly faults = new SystemFaultLog()

  constructor(
    private readonly inner: EngagementSystem<M>,
    private readonly env: SystemEnv<M>,
  ) {}

  like(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.answer('like', request, reply)
  }

  unlike(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.answer('unlike', request, reply)
  }

  view(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.answer('view', request, reply)
  }

  readCounts(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.answer('readCounts', request, reply)
  }

  readLike(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.answer('readLike', request, reply)
  }

  likedPage(request: SystemRequest, reply: SystemReply): { readonly videos: readonly number[]; readonly more: boolean } {
    blank(reply)
    let page: unknown
    try {
      page = this.inner.likedPage(request, reply)
    } catch (thrown) {
      this.refuse('likedPage', request, reply, describeThrown(thrown))
      return EMPTY_PAGE
    }
    const problem = replyProblem('likedPage', reply) ?? (reply.ok ? pageProblem(page, this.env.directory.videoCount) : undefined)
    if (problem === undefined) return reply.ok ? (page as { videos: readonly number[]; more: boolean }) : EMPTY_PAGE
    this.refuse('likedPage', request, reply, problem)
    return EMPTY_PAGE
  }

  notifications(request: SystemRequest, reply: SystemReply): readonly InboxItem[] {
    blank(reply)
    let items: unknown
    try {
      items = this.inner.notifications(request, reply)
    } catch (thrown) {
      this.refuse('notifications', request, reply, describeThrown(thrown))
      return NO_ITEMS
    }
    const problem = replyProblem('notifications', reply) ?? (reply.ok ? inboxProblem(items, this.env.directory) : undefined)
    if (problem === undefined) return reply.ok ? (items as readonly InboxItem[]) : NO_ITEMS
    this.refuse('notifications', request, reply, problem)
    return NO_ITEMS
  }

  onMessage(to: number, from: number, message: M): void {
    try {
      this.inner.onMessage(to, from, message)
    } catch (thrown) {
      this.background('onMessage', to, describeThrown(thrown))
    }
  }

  onTick(region: number, nowMs: number): void {
    try {
      this.inner.onTick(region, nowMs)
    } catch (thrown) {
      this.background('onTick', region, describeThrown(thrown))
    }
  }

  onOutage(region: number): void {
    try {
      this.inner.onOutage(region)
    } catch (thrown) {
      this.background('onOutage', region, describeThrown(thrown))
    }
  }

  onRecover(region: number): void {
    try {
      this.inner.onRecover(region)
    } catch (thrown) {
      this.background('onRecover', region, describeThrown(thrown))
    }
  }

  onDirectory(): void {
    try {
      this.inner.onDirectory()
    } catch (thrown) {
      this.background('onDirectory', -1, describeThrown(thrown))
    }
  }

  onTakedown(videos: readonly number[], takenDown: boolean): void {
    try {
      this.inner.onTakedown(videos, takenDown)
    } catch (thrown) {
      this.background('onTakedown', -1, describeThrown(thrown))
    }
  }

  seedLike(like: SeedLike): boolean {
    try {
      const changed: unknown = this.inner.seedLike(like)
      if (typeof changed === 'boolean') return changed
      this.background('seedLike', -1, `returned ${typeof changed}: must be a boolean`)
    } catch (thrown) {
      this.background('seedLike', -1, describeThrown(thrown))
    }
    return false
  }

  purgeAccount(user: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void {
    const before = removed.length
    const viewsBefore = removedViews?.length ?? 0
    try {
      // Called as the module was written for: removedViews only when it declared removesPurgedViews.
      if (removedViews === undefined) this.inner.purgeAccount(user, removed)
      else this.inner.purgeAccount(user, removed, removedViews)
    } catch (thrown) {
      this.background('purgeAccount', -1, describeThrown(thrown))
    }
    // The purge's report is what the system says it removed: only pairs of this user and known videos.
    const videoCount = this.env.directory.videoCount
    const bad = removed.findIndex((pair, i) => i >= before && !isPurgedPair(pair, user, videoCount, false))
    if (bad >= 0) {
      this.background('purgeAccount', -1, `removed[${bad - before}] is not { user: ${user}, video: <a video handle> }`)
      removed.length = bad
    }
    const badViews = removedViews?.findIndex((item, i) => i >= viewsBefore && !isPurgedPair(item, user, videoCount, true)) ?? -1
    if (removedViews !== undefined && badViews >= 0) {
      this.background('purgeAccount', -1, `removedViews[${badViews - viewsBefore}] is not { user: ${user}, video: <a video handle>, views: <a whole number >= 1> }`)
      removedViews.length = badViews
    }
  }

  observe(region: number): RegionObservation {
    try {
      const seen: unknown = this.inner.observe(region)
      const problem = observationProblem(seen)
      if (problem === undefined) return seen as RegionObservation
      this.background('observe', region, problem)
    } catch (thrown) {
      this.background('observe', region, describeThrown(thrown))
    }
    return NO_OBSERVATION
  }

  counters(): Readonly<Record<string, number>> {
    const out: Record<string, number> = {}
    try {
      for (const [name, value] of Object.entries(this.inner.counters())) if (Number.isFinite(value)) out[name] = value
    } catch (thrown) {
      this.background('counters', -1, describeThrown(thrown))
    }
    out['systemFaults'] = this.faults.count
    return out
  }

  reserve(plan: { readonly requests: number; readonly durationMs: number }): void {
    try {
      this.inner.reserve?.(plan)
    } catch (thrown) {
      this.background('reserve', -1, describeThrown(thrown))
    }
  }

  /** A request handler, called and its reply checked; a fault is answered LS_CORE_SYSTEM_FAULT. */
  private answer(call: Exclude<RequestCall, 'likedPage' | 'notifications'>, request: SystemRequest, reply: SystemReply): SystemReply {
    blank(reply)
    try {
      this.inner[call](request, reply)
    } catch (thrown) {
      return this.refuse(call, request, reply, describeThrown(thrown))
    }
    const problem = replyProblem(call, reply)
    return problem === undefined ? reply : this.refuse(call, request, reply, problem)
  }

  private refuse(call: RequestCall, request: SystemRequest, reply: SystemReply, problem: string): SystemReply {
    const videoId = request.video >= 0 && request.video < this.env.directory.videoCount ? this.env.directory.videoId(request.video) : undefined
    this.faults.record({ call, region: this.env.regions[request.region] ?? '', atMs: this.env.nowMs(), ...(videoId === undefined ? {} : { videoId }), problem })
    const latencyMs = reply.latencyMs >= 0 && reply.latencyMs < Infinity ? reply.latencyMs : FAULT_LATENCY_MS
    reply.ok = false
    reply.code = 'LS_CORE_SYSTEM_FAULT'
    reply.latencyMs = latencyMs
    reply.retryAfterMs = Number.NaN
    reply.replayed = false
    reply.likeCount = -1
    reply.viewCount = -1
    reply.uniqueViewers = -1
    reply.liked = false
    reply.stale = false
    reply.asOfMs = Number.NaN
    reply.changed = false
    return reply
  }

  private background(call: string, region: number, problem: string): void {
    this.faults.record({ call, region: this.env.regions[region] ?? '', atMs: this.env.nowMs(), problem })
  }
}

/**
 * Before a handler runs: the reply says nothing yet. A handler that writes no answer leaves its
 * latency NaN, so the check after it sees that, not the previous request's answer (replies are
 * reused from call to call).
 */
function blank(reply: SystemReply): void {
  reply.ok = false
  reply.code = ''
  reply.latencyMs = Number.NaN
}
