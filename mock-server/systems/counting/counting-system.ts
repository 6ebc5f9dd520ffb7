// A counting system: one replica per region (the like set with LWW stamps, counts, views), its
// front door, idempotency keys, notifications and a replication protocol. robust.ts and naive.ts
// are this class with their own design and protocol; it knows nothing of the harness beyond the
// environment it is handed. It serves the requests; its parts live beside it: the front door
// (front-door.ts), idempotency keys (keyed-writes.ts), stamps (lww-stamps.ts), the counts it
// answers (count-answers.ts), refusals (id-refusals.ts), notifications (like-notifier.ts), purges
// (account-purges.ts, account-views.ts) and its counters (system-counters.ts).
import { pairKey } from '../../core/directory.ts'
import { HotKeys } from '../../core/hot-keys.ts'
import { NotificationService } from '../../core/notifications.ts'
import { PairIndex } from '../../core/pair-index.ts'
import { ENTRY_LIKE_STATE, ENTRY_VIEW, RegionReplica, lwwStamp } from '../../core/region-replica.ts'
import type { Replicator } from '../replication/replicator.ts'
import type { EngagementSystem, InboxItem, PurgedPair, PurgedViews, RegionObservation, SeedLike, SystemEnv, SystemMessage, SystemReply, SystemRequest, SystemSettings } from '../system.ts'
import { AccountPurges } from './account-purges.ts'
import { AccountViews } from './account-views.ts'
import { CACHE_TIMEOUTS_DEFAULTS, CacheTimeouts } from './cache-timeouts.ts'
import { answerCounts, answerLastKnownGood, answerZeroCounts, shown } from './count-answers.ts'
import type { CountingDesign } from './design.ts'
import { FrontDoor } from './front-door.ts'
import { refused } from './id-refusals.ts'
import { KeyedWrites } from './keyed-writes.ts'
import { LikeNotifier } from './like-notifier.ts'
import { clampLimit, likedPageOf } from './liked-page.ts'
import { LwwStamps } from './lww-stamps.ts'
import { type ReadCounters, systemCounters } from './system-counters.ts'

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
  private readonly notifier: LikeNotifier<M>
  private readonly stamps: LwwStamps
  /** Each account's views, for purges to remove: only when the design removes them and a purge may run. */
  private readonly accountViews: AccountViews | undefined
  private readonly purges: AccountPurges
  private readonly stats: ReadCounters = { staleReads: 0, degradedZeroReads: 0, cacheTimeouts: 0 }

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
    this.notifier = new LikeNotifier({ env, settings, design, door: this.door, inbox: this.inbox, cacheTimeouts: this.cacheTimeouts })
    this.stamps = new LwwStamps({ regions: origins })
    this.accountViews = design.removesPurgedViews && settings.purgesMayRun ? new AccountViews({ regions: origins }) : undefined
    this.purges = new AccountPurges({ replicas: this.replicas, durable: design.durablePurges, accountViews: this.accountViews })
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
      return answerCounts(reply, replica, video, asOfMs)
    }
    this.stats.cacheTimeouts++
    latencyMs += this.env.cacheTimeoutMs
    if (this.design.degradedRead === 'zero') {
      this.stats.degradedZeroReads++
      reply.succeed(latencyMs, false)
      return answerZeroCounts(reply, this.env.nowMs())
    }
    const lkgAsOfMs = replica.lkgAsOfMs[video] as number
    if (Number.isNaN(lkgAsOfMs)) return reply.fail('LS_CORE_COUNT_UNAVAILABLE', latencyMs, 1000)
    this.stats.staleReads++
    reply.succeed(latencyMs, false)
    return answerLastKnownGood(reply, replica, video, lkgAsOfMs)
  }

  readLike(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, user, video } = request
    const queueMs = this.door.gate(region, user, request.clientBlock)
    if (queueMs < 0) return this.door.reject(reply, region, queueMs)
    const latencyMs = this.env.serviceMs() + queueMs
    if (refused(this.env.directory, reply, user, video, latencyMs)) return reply
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
    this.purges.outage(region)
    this.replication.onOutage(region)
  }

  onRecover(region: number): void {
    this.purges.recover(region)
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
    const stamp = lwwStamp(like.atMs, this.stamps.purgeOrigin)
    let changed = false
    for (const replica of this.replicas) changed = replica.applyLikeState(like.video, like.user, stamp, true) || changed
    return changed
  }

  purgeAccount(user: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void {
    this.purges.purge(user, this.stamps.next(this.env.nowMs(), this.stamps.purgeOrigin), removed, removedViews)
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
      replicationPending: this.replication.pendingFor(region) + this.purges.pendingFor(region),
      resyncPending: this.replication.resyncPending(region),
    }
  }

  counters(): Readonly<Record<string, number>> {
    return systemCounters({ door: this.door.counters, reads: this.stats, keys: this.keys.counters, replication: this.replication.counters, notifications: this.inbox.counters })
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
    const stamp = this.stamps.next(nowMs, region)
    const changed = replica.applyLikeState(video, user, stamp, liked)
    this.replication.append(region, ENTRY_LIKE_STATE, video, user, stamp, liked, nowMs)
    if (liked && changed) this.notifier.notify(region, video, user, nowMs, queueMs)
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

  /**
   * An admitted write's service time, the refusals of unknown, deleted or taken-down ids, and its
   * video's hot counter key: the write's latency so far, or -1 when it is refused (the reply says why).
   */
  private serveWrite(request: SystemRequest, reply: SystemReply, queueMs: number, nowMs: number): number {
    const { region, user, video } = request
    const latencyMs = this.env.serviceMs() + queueMs
    if (refused(this.env.directory, reply, user, video, latencyMs)) return -1
    return latencyMs + (this.hotKeys[region] as HotKeys).write(video, nowMs)
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
}
