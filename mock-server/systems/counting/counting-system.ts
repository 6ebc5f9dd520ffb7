// A counting system: one replica per region (the like set with LWW stamps, counts, views), its
// front door, idempotency keys, notifications and a replication protocol. robust.ts and naive.ts
// are this class with their own design and protocol; it knows nothing of the harness beyond the
// environment it is handed.
import { pairKey } from '../../core/directory.ts'
import { HotKeys } from '../../core/hot-keys.ts'
import { NotificationService } from '../../core/notifications.ts'
import { PairIndex } from '../../core/pair-index.ts'
import { ENTRY_LIKE_STATE, ENTRY_VIEW, RegionReplica, lwwStamp } from '../../core/region-replica.ts'
import type { Replicator } from '../replication/replicator.ts'
import type { EngagementSystem, InboxItem, PurgedPair, PurgedViews, RegionObservation, SeedLike, SystemEnv, SystemMessage, SystemReply, SystemRequest, SystemSettings } from '../system.ts'
import { AccountViews } from './account-views.ts'
import { CACHE_TIMEOUTS_DEFAULTS, CacheTimeouts } from './cache-timeouts.ts'
import type { CountingDesign } from './design.ts'
import { FrontDoor } from './front-door.ts'
import { KeyedWrites } from './keyed-writes.ts'
import { clampLimit, likedPageOf } from './liked-page.ts'

const WATCH_MS_MAX = 86_400_000
const OP_LIKE = 1
const OP_UNLIKE = 2
const OP_VIEW = 3

export class CountingSystem<M extends SystemMessage> implements EngagementSystem<M> {
  private readonly env: SystemEnv<M>
  private readonly settings: SystemSettings
  private readonly design: CountingDesign
  private readonly replicas: RegionReplica[]
  /** The (video, user) pairs any region has written: the replicas keep their state of each by its id. */
  private readonly pairs = new PairIndex()
  private readonly hotKeys: HotKeys[]
  private readonly replication: Replicator<M>
  private readonly door: FrontDoor
  private readonly keys: KeyedWrites
  private readonly inbox: NotificationService
  private readonly cacheTimeouts: CacheTimeouts
  /** Last LWW stamp per origin (regions, then purges): strictly increasing per origin. */
  private readonly lastStamp: Float64Array
  private readonly purgeOrigin: number
  /** Purge removals a region missed while down (applied when it is back), when purges are durable. */
  private readonly missedPurges: number[][]
  /** Each account's views, for purges to remove: only when the design removes them and a purge may run. */
  private readonly accountViews: AccountViews | undefined
  /** Regions the environment said are down. */
  private readonly down = new Set<number>()
  private readonly stats = { staleReads: 0, degradedZeroReads: 0, cacheTimeouts: 0 }

  constructor(env: SystemEnv<M>, settings: SystemSettings, design: CountingDesign, replication: (replicas: readonly RegionReplica[]) => Replicator<M>) {
    this.env = env
    this.settings = settings
    this.design = design
    const origins = env.regions.length
    this.replicas = env.regions.map((id, index) => new RegionReplica({ id, index, countFromLikeSet: design.countFromLikeSet, origins, pairs: this.pairs }))
    this.hotKeys = env.regions.map(() => new HotKeys({ writesPerS: settings.counterWritesPerSPerShard, shards: design.counterShards }))
    this.replication = replication(this.replicas)
    this.door = new FrontDoor(env, design)
    this.keys = new KeyedWrites(env, settings)
    this.inbox = new NotificationService({ inboxMax: settings.inboxMax })
    this.cacheTimeouts = new CacheTimeouts({ regions: origins, ...CACHE_TIMEOUTS_DEFAULTS })
    this.purgeOrigin = origins
    this.lastStamp = new Float64Array(origins + 1).fill(-Infinity)
    this.missedPurges = env.regions.map(() => [])
    this.accountViews = design.removesPurgedViews && settings.purgesMayRun ? new AccountViews({ regions: origins }) : undefined
  }

  like(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.write(request, reply, true)
  }

  unlike(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.write(request, reply, false)
  }

  view(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, user, video, key, watchMs } = request
    if (!Number.isInteger(watchMs) || watchMs < 0 || watchMs > WATCH_MS_MAX) return reply.fail('LS_CORE_BAD_WATCH_MS', 1)
    const fingerprint = pairKey(video, user) * 4 + OP_VIEW
    const keyed = this.design.honourIdempotencyKeys ? this.keys.keyed(user, key, fingerprint, watchMs) : undefined
    if (this.keys.answered(reply, video, keyed)) {
      if (reply.replayed) {
        reply.viewCount = this.keys.answer.viewCount
        reply.uniqueViewers = this.keys.answer.uniqueViewers
      }
      return reply
    }
    const queueMs = this.door.gate(region, user, request.clientBlock)
    if (queueMs < 0) return this.door.reject(reply, region, queueMs)
    const nowMs = this.env.nowMs()
    let latencyMs = this.serveWrite(request, reply, queueMs, nowMs)
    if (latencyMs < 0) return reply
    const replica = this.replicas[region] as RegionReplica
    const first = this.env.firstView(video, user)
    replica.applyView(video, first)
    this.accountViews?.record(video, user, first)
    this.replication.append(region, ENTRY_VIEW, video, user, 0, first, nowMs)
    const cacheMs = this.cacheCall(region)
    const zero = cacheMs < 0 && this.design.degradedRead === 'zero'
    if (cacheMs < 0) this.stats.cacheTimeouts++
    latencyMs += cacheMs < 0 ? (this.design.countFromLikeSet ? 0 : this.env.cacheTimeoutMs) : cacheMs
    reply.succeed(latencyMs, false)
    reply.viewCount = zero ? 0 : shown(replica.viewCount[video] as number)
    reply.uniqueViewers = zero ? 0 : shown(replica.uniqueViewers[video] as number)
    if (keyed !== undefined) this.keys.remember(keyed, reply)
    return reply
  }

  readCounts(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, video } = request
    const queueMs = this.door.gate(region, request.user, request.clientBlock)
    if (queueMs < 0) return this.door.reject(reply, region, queueMs)
    let latencyMs = this.env.serviceMs() + queueMs
    if (video < 0) return reply.fail('LS_CORE_UNKNOWN_VIDEO', latencyMs)
    if (this.env.directory.isTakenDown(video)) return reply.fail('LS_CORE_VIDEO_UNAVAILABLE', latencyMs)
    const replica = this.replicas[region] as RegionReplica
    const cacheMs = this.cacheCall(region)
    if (cacheMs >= 0) {
      const asOfMs = this.asOfMs(region)
      replica.rememberGood(video, asOfMs)
      reply.succeed(latencyMs + cacheMs, false)
      reply.likeCount = replica.likeCount[video] as number
      reply.viewCount = shown(replica.viewCount[video] as number)
      reply.uniqueViewers = shown(replica.uniqueViewers[video] as number)
      reply.asOfMs = asOfMs
      return reply
    }
    this.stats.cacheTimeouts++
    latencyMs += this.env.cacheTimeoutMs
    if (this.design.degradedRead === 'zero') {
      // The 2020-07-23 symptom: a timed-out cache read is taken for "no likes yet".
      this.stats.degradedZeroReads++
      reply.succeed(latencyMs, false)
      reply.likeCount = 0
      reply.viewCount = 0
      reply.uniqueViewers = 0
      reply.asOfMs = this.env.nowMs()
      return reply
    }
    const lkgAsOfMs = replica.lkgAsOfMs[video] as number
    if (Number.isNaN(lkgAsOfMs)) return reply.fail('LS_CORE_COUNT_UNAVAILABLE', latencyMs, 1000)
    this.stats.staleReads++
    reply.succeed(latencyMs, false)
    reply.likeCount = replica.lkgLikes[video] as number
    reply.viewCount = shown(replica.lkgViews[video] as number)
    reply.uniqueViewers = shown(replica.lkgUniques[video] as number)
    reply.stale = true
    reply.asOfMs = lkgAsOfMs
    return reply
  }

  readLike(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, user, video } = request
    const queueMs = this.door.gate(region, user, request.clientBlock)
    if (queueMs < 0) return this.door.reject(reply, region, queueMs)
    const latencyMs = this.env.serviceMs() + queueMs
    if (this.refused(reply, user, video, latencyMs)) return reply
    reply.succeed(latencyMs, false)
    reply.liked = (this.replicas[region] as RegionReplica).isLiked(video, user)
    reply.asOfMs = this.asOfMs(region)
    return reply
  }

  likedPage(request: SystemRequest, reply: SystemReply): { readonly videos: readonly number[]; readonly more: boolean } {
    const { region, user } = request
    const queueMs = this.door.admit(region)
    if (queueMs < 0) {
      this.door.reject(reply, region, queueMs)
      return { videos: [], more: false }
    }
    const latencyMs = this.env.serviceMs() + queueMs
    // An unknown user fails after admission, as a request's body is read after the request is let in.
    if (user < 0) {
      reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
      return { videos: [], more: false }
    }
    const page = likedPageOf(this.replicas[region] as RegionReplica, this.env.directory, request)
    reply.succeed(latencyMs, false)
    reply.asOfMs = this.asOfMs(region)
    return page
  }

  notifications(request: SystemRequest, reply: SystemReply): readonly InboxItem[] {
    const queueMs = this.door.admit(request.region)
    if (queueMs < 0) {
      this.door.reject(reply, request.region, queueMs)
      return []
    }
    const latencyMs = this.env.serviceMs() + queueMs
    if (request.user < 0) {
      reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
      return []
    }
    this.inbox.advanceTo(this.env.nowMs())
    reply.succeed(latencyMs, false)
    return this.inbox.inbox(request.user, clampLimit(request.limit, this.settings.inboxMax))
  }

  onMessage(to: number, from: number, message: M): void {
    this.replication.onMessage(to, from, message)
  }

  onTick(region: number, nowMs: number): void {
    this.replication.onTick(region, nowMs)
    this.inbox.advanceTo(nowMs)
  }

  onOutage(region: number): void {
    this.down.add(region)
    this.replication.onOutage(region)
  }

  onRecover(region: number): void {
    this.down.delete(region)
    const missed = this.missedPurges[region] as number[]
    const replica = this.replicas[region] as RegionReplica
    for (let at = 0; at < missed.length; at += 3) replica.applyLikeState(missed[at] as number, missed[at + 1] as number, missed[at + 2] as number, false)
    this.missedPurges[region] = []
    this.accountViews?.recover(region, replica)
  }

  onDirectory(): void {
    this.pairs.reserveUsers(this.env.directory.userCount)
    for (const replica of this.replicas) replica.ensureVideos(this.env.directory.videoCount)
  }

  onTakedown(videos: readonly number[], takenDown: boolean): void {
    if (!takenDown || !this.design.takedownEvictsCounts) return
    // The cached counter was the only copy of the count: it is gone when the video goes.
    for (const video of videos) for (const replica of this.replicas) replica.evictCounts(video)
  }

  seedLike(like: SeedLike): boolean {
    const stamp = lwwStamp(like.atMs, this.purgeOrigin)
    let changed = false
    for (const replica of this.replicas) changed = replica.applyLikeState(like.video, like.user, stamp, true) || changed
    return changed
  }

  purgeAccount(user: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void {
    const videos = new Set<number>()
    for (const replica of this.replicas) for (const video of replica.likedVideos(user) ?? []) videos.add(video)
    const stamp = this.nextStamp(this.env.nowMs(), this.purgeOrigin)
    for (const video of Array.from(videos).sort((a, b) => a - b)) {
      this.replicas.forEach((replica, region) => {
        if (!this.down.has(region)) replica.applyLikeState(video, user, stamp, false)
        else if (this.design.durablePurges) (this.missedPurges[region] as number[]).push(video, user, stamp)
      })
      removed.push({ user, video })
    }
    this.accountViews?.purge(user, { replicas: this.replicas, isDown: (region) => this.down.has(region), durable: this.design.durablePurges }, removedViews)
  }

  observe(region: number): RegionObservation {
    const replica = this.replicas[region] as RegionReplica
    const videoCount = this.env.directory.videoCount
    const totals = replica.totals(videoCount)
    return {
      likeTotal: totals.likes,
      viewTotal: totals.views,
      countsDigest: replica.countsDigest(videoCount),
      watermarkMs: this.replication.watermarkMs(region, this.env.nowMs()),
      replicationPending: this.replication.pendingFor(region) + (this.missedPurges[region] as number[]).length / 3 + (this.accountViews?.pendingFor(region) ?? 0),
      resyncPending: this.replication.resyncPending(region),
    }
  }

  counters(): Readonly<Record<string, number>> {
    const replication = this.replication.counters
    const notifications = this.inbox.counters
    return {
      ...this.door.counters,
      ...this.stats,
      ...this.keys.counters,
      replicationApplied: replication.applied,
      replicationDropped: replication.dropped,
      replicationOverflows: replication.overflows,
      replicationOverflowedEntries: replication.overflowedEntries,
      replicationResyncs: replication.resyncs,
      replicationResyncedPairs: replication.resyncedPairs,
      replicationLogEntries: replication.retained,
      notificationsSent: notifications.sent,
      notificationsDelivered: notifications.delivered,
      notificationsDropped: notifications.dropped,
    }
  }

  /**
   * A session makes a little over two requests, one of them a view, and about half its requests
   * are writes, whose idempotency keys live for their TTL: the tables start near their size.
   */
  reserve({ requests, durationMs }: { requests: number; durationMs: number }): void {
    if (this.design.honourIdempotencyKeys) this.keys.reserve((requests / 2) * Math.min(1, this.settings.idempotencyTtlMs / Math.max(1, durationMs)))
  }

  private write(request: SystemRequest, reply: SystemReply, liked: boolean): SystemReply {
    const { region, user, video, key } = request
    const fingerprint = pairKey(video, user) * 4 + (liked ? OP_LIKE : OP_UNLIKE)
    const keyed = this.design.honourIdempotencyKeys ? this.keys.keyed(user, key, fingerprint, 0) : undefined
    if (this.keys.answered(reply, video, keyed)) {
      if (reply.replayed) {
        reply.liked = liked
        reply.likeCount = this.keys.answer.likeCount
        reply.asOfMs = this.keys.answer.asOfMs
      }
      return reply
    }
    const queueMs = this.door.gate(region, user, request.clientBlock)
    if (queueMs < 0) return this.door.reject(reply, region, queueMs)
    const nowMs = this.env.nowMs()
    let latencyMs = this.serveWrite(request, reply, queueMs, nowMs)
    if (latencyMs < 0) return reply
    const replica = this.replicas[region] as RegionReplica
    const stamp = this.nextStamp(nowMs, region)
    const changed = replica.applyLikeState(video, user, stamp, liked)
    this.replication.append(region, ENTRY_LIKE_STATE, video, user, stamp, liked, nowMs)
    if (liked && changed) this.notify(region, video, user, nowMs, queueMs)
    const cacheMs = this.cacheCall(region)
    if (cacheMs < 0) this.stats.cacheTimeouts++
    let likeCount = replica.likeCount[video] as number
    let asOfMs = nowMs
    if (this.design.countFromLikeSet) {
      // The count comes from the like set; the cache is only updated, never waited on.
      asOfMs = this.asOfMs(region)
      replica.rememberGood(video, asOfMs)
    } else {
      latencyMs += cacheMs < 0 ? this.env.cacheTimeoutMs : cacheMs
      if (cacheMs < 0) likeCount = 0
    }
    reply.succeed(latencyMs, false)
    reply.liked = liked
    reply.likeCount = likeCount
    reply.asOfMs = asOfMs
    reply.changed = changed
    if (keyed !== undefined) this.keys.remember(keyed, reply)
    return reply
  }

  /** Unknown, deleted or taken-down ids: writes the failure into the reply and returns true. */
  /**
   * An admitted write's service time, the refusals of unknown, deleted or taken-down ids, and its
   * video's hot counter key: the write's latency so far, or -1 when it is refused (the reply says why).
   */
  private serveWrite(request: SystemRequest, reply: SystemReply, queueMs: number, nowMs: number): number {
    const { region, user, video } = request
    const latencyMs = this.env.serviceMs() + queueMs
    if (this.refused(reply, user, video, latencyMs)) return -1
    return latencyMs + (this.hotKeys[region] as HotKeys).write(video, nowMs)
  }

  private refused(reply: SystemReply, user: number, video: number, latencyMs: number): boolean {
    const directory = this.env.directory
    if (user < 0) reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
    else if (directory.isDeleted(user)) reply.fail('LS_CORE_ACCOUNT_DELETED', latencyMs)
    else if (video < 0) reply.fail('LS_CORE_UNKNOWN_VIDEO', latencyMs)
    else if (directory.isTakenDown(video)) reply.fail('LS_CORE_VIDEO_UNAVAILABLE', latencyMs)
    else return false
    return true
  }

  private notify(region: number, video: number, fromUser: number, nowMs: number, queueMs: number): void {
    let deferMs = 0
    if (this.design.notificationsOnOverload === 'drop') {
      // Shed in an overload that lasts, not in a burst that has one call meet the cache's timeout.
      if (this.door.overloadedForLong(region, queueMs, () => this.cacheTimeouts.failing(region, nowMs))) {
        this.inbox.drop()
        return
      }
    } else if (this.door.overloaded(region, queueMs)) {
      // Deferred: the notification waits out the backlog it met.
      deferMs = queueMs + this.env.cacheDelayMs(region) * 10
    }
    const creator = this.env.directory.creatorOf(video)
    this.inbox.enqueue({ creator, video, fromUser, likedAtMs: nowMs, deliverAtMs: nowMs + this.settings.notificationDelayMs + deferMs })
  }

  /** A counter-cache call, counted in its region's timeout window when the design drops notifications on it. */
  private cacheCall(region: number): number {
    const cacheMs = this.env.cacheCall(region)
    if (this.design.notificationsOnOverload === 'drop') this.cacheTimeouts.record(region, this.env.nowMs(), cacheMs < 0)
    return cacheMs
  }

  private asOfMs(region: number): number {
    const nowMs = this.env.nowMs()
    return this.design.reportsStaleness ? this.replication.watermarkMs(region, nowMs) : nowMs
  }

  private nextStamp(nowMs: number, origin: number): number {
    let stamp = lwwStamp(nowMs, origin)
    const last = this.lastStamp[origin] as number
    // The next free stamp of this origin: one microsecond slot later, same origin bits.
    if (stamp <= last) stamp = last + 16
    this.lastStamp[origin] = stamp
    return stamp
  }
}

/**
 * A count as answered: a purge's removal of views can reach a region before a view it removes
 * (still on its way there), which leaves the region's count below zero until it lands.
 */
function shown(count: number): number {
  return count < 0 ? 0 : count
}
