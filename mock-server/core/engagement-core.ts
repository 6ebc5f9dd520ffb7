// The engagement service's logic, without I/O: regions with their replicas, admission and the
// counter cache, idempotency, replication, notifications, detection and purges. Every method
// takes the current time from its caller and returns a value (expected failures included); it
// never reads a clock or an unseeded random source, so the same calls give the same answers.
import { AdmissionQueue } from './admission-queue.ts'
import { ClientRateLimiter } from './client-rate-limiter.ts'
import { CoreReply } from './core-reply.ts'
import { HotKeys } from './hot-keys.ts'
import { type CoreConfig, replicationLagFor, validateCoreConfig } from './config.ts'
import { CounterCache } from './counter-cache.ts'
import { Directory, pairKey } from './directory.ts'
import { Detector } from './detection/detector.ts'
import { CoreConfigError, type CoreErrorCode } from './errors.ts'
import { IDEMPOTENCY_MISMATCH, IDEMPOTENCY_MISS, IdempotencyStore, type StoredValues } from './idempotency-store.ts'
import { Jitter } from './jitter.ts'
import { NotificationService, type InboxItem } from './notifications.ts'
import { PairSet } from './pair-set.ts'
import { RegionReplica, lwwStamp } from './region-replica.ts'
import { botPurgeSteps, inactivePurgeSteps, PURGE_SLICE_UNITS, PurgeJob, type PurgeTarget } from './purge-job.ts'
import { ENTRY_LIKE_STATE, ENTRY_VIEW, ReplicationLog } from './replication-log.ts'
import type { StrategyBehaviour } from './strategy.ts'
import { WorkSlice } from './work-slice.ts'
import type {
  ActiveFault,
  CoreFailure,
  CoreResult,
  CoreState,
  DirectoryLoad,
  ImportedLike,
  LikedReadRequest,
  LikedResponse,
  LikeRequest,
  LikeResponse,
  LikesPageRequest,
  LikesPageResponse,
  NotificationsRequest,
  NotificationsResponse,
  PurgeReport,
  VideoCountsResponse,
  VideoReadRequest,
  ViewRequest,
  ViewResponse,
} from './types.ts'

const WATCH_MS_MAX = 86_400_000
const LIKES_PAGE_MAX = 1000
const OP_LIKE = 1
const OP_UNLIKE = 2
const OP_VIEW = 3

interface Region {
  readonly replica: RegionReplica
  readonly admission: AdmissionQueue
  readonly cache: CounterCache
  readonly limiter: ClientRateLimiter | null
  readonly hotKeys: HotKeys
}

/** Admission outcome: a queue delay (>= 0) or one of these. */
const REJECT_DOWN = -1
const REJECT_SHED = -2
const REJECT_LIMITED = -3

export class EngagementCore {
  readonly strategy: StrategyBehaviour
  readonly config: CoreConfig
  readonly directory = new Directory()
  private readonly regions: Region[]
  private readonly regionIndex = new Map<string, number>()
  private readonly replication: ReplicationLog
  /** Origin index of the purge job in the replication log (after the regions). */
  private readonly purgeOrigin: number
  private readonly idempotency: IdempotencyStore
  private readonly notifications: NotificationService
  private readonly detector: Detector
  private readonly jitter: Jitter
  private readonly partitions = new Set<string>()
  private readonly stoppedLinks = new Set<string>()
  private readonly slowCaches = new Map<number, number>()
  private readonly overloads = new Map<number, number>()
  /** Who has viewed each video, across regions (the dedup service behind unique viewers). */
  private readonly viewers = new PairSet()
  private readonly scratch: StoredValues = { v1: 0, v2: 0, v3: 0 }
  /** The reply the object-returning wrappers (likeAt, ...) fill before building their result. */
  private readonly reply = new CoreReply()
  private lastMs = -Infinity
  /** Retry-After of the last rate-limited request (set by gate). */
  private limitedRetryMs = 0
  /** Last LWW stamp issued per origin: stamps are strictly increasing per origin, so two writes
   *  to one pair in the same microsecond still resolve in the order they were served. */
  private readonly lastStamp: Float64Array
  private likeSeq = 0
  private readSeq = 0
  private readBackSeq = 0
  private viewSeq = 0
  private notifySeq = 0
  private readonly counters = {
    requests: 0,
    shed: 0,
    rateLimited: 0,
    staleReads: 0,
    degradedZeroReads: 0,
    cacheTimeouts: 0,
    idempotentReplays: 0,
    idempotencyStoreFull: 0,
    purgedAccounts: 0,
    purgedLikes: 0,
  }

  /** What a purge job may do to this core. */
  private readonly purgeTarget: PurgeTarget

  constructor(config: CoreConfig, strategy: StrategyBehaviour) {
    validateCoreConfig(config)
    this.config = config
    this.strategy = strategy
    this.jitter = new Jitter(config.seed)
    this.regions = config.regions.map((region, index) => {
      this.regionIndex.set(region.id, index)
      return {
        replica: new RegionReplica({ id: region.id, index, countFromLikeSet: strategy.countFromLikeSet, origins: config.regions.length }),
        admission: new AdmissionQueue({ capacityRps: region.capacityRps, queueMaxMs: strategy.queueMaxMs }),
        cache: new CounterCache({ capacityOpsPerS: region.cacheCapacityOpsPerS, timeoutMs: config.cacheTimeoutMs }),
        limiter: strategy.clientRateLimit === null ? null : new ClientRateLimiter(strategy.clientRateLimit),
        hotKeys: new HotKeys({ writesPerS: config.counterWritesPerSPerShard, shards: strategy.counterShards }),
      }
    })
    this.purgeOrigin = this.regions.length
    this.lastStamp = new Float64Array(this.regions.length + 1).fill(-Infinity)
    const ids = config.regions.map((region) => region.id)
    this.replication = new ReplicationLog({
      origins: this.regions.length + 1,
      sinks: this.regions.map((region) => region.replica),
      durable: strategy.durableReplication,
      backlogMaxEntries: config.replicationBacklogMaxEntries,
      lagMs: (origin, destination) => {
        if (origin === this.purgeOrigin) return 0
        if (origin === destination) return undefined
        return replicationLagFor(config, ids[origin] as string, ids[destination] as string)
      },
    })
    const drop = strategy.bugs.dropReplicationTo
    if (drop !== undefined) {
      const destination = this.regionIndex.get(drop.region)
      if (destination !== undefined) this.replication.plantDropDefect(destination, drop.everyN)
    }
    this.idempotency = new IdempotencyStore({ ttlMs: config.idempotencyTtlMs, maxKeys: config.idempotencyMaxKeys })
    this.notifications = new NotificationService({ inboxMax: config.inboxMax })
    this.detector = new Detector({ config: config.detection, logCapacity: config.detectionLogMax })
    this.purgeTarget = {
      directory: this.directory,
      replicas: this.regions.map((region) => region.replica),
      stampAt: (nowMs) => this.nextStamp(nowMs, this.purgeOrigin),
      removeLike: (video, user, stamp, nowMs) => this.replication.append(this.purgeOrigin, ENTRY_LIKE_STATE, video, user, stamp, false, nowMs),
      deliver: (nowMs) => this.replication.advanceTo(nowMs),
      count: ({ accounts, likes }) => {
        this.counters.purgedAccounts += accounts
        this.counters.purgedLikes += likes
      },
    }
  }

  get regionIds(): string[] {
    return this.regions.map((region) => region.replica.id)
  }

  // ---- directory -------------------------------------------------------------------------

  loadDirectory(load: DirectoryLoad): { users: number; videos: number; rejectedVideos: string[] } {
    for (const user of load.users) this.directory.addUser(user)
    const rejectedVideos: string[] = []
    for (const video of load.videos) if (this.directory.addVideo(video) < 0) rejectedVideos.push(video.videoId)
    for (const region of this.regions) region.replica.ensureVideos(this.directory.videoCount)
    return { users: this.directory.userCount, videos: this.directory.videoCount, rejectedVideos }
  }

  /** Likes the platform already holds from before the run: written to every region at once. */
  importLikes(likes: readonly ImportedLike[]): { imported: number; rejected: number } {
    let imported = 0
    let rejected = 0
    // Detection reads its log in time order: import oldest first whatever order we were given.
    const ordered = [...likes].sort((a, b) => a.atMs - b.atMs)
    for (const like of ordered) {
      const user = this.directory.user(like.userId)
      const video = this.directory.video(like.videoId)
      if (user < 0 || video < 0) {
        rejected++
        continue
      }
      const stamp = lwwStamp(like.atMs, this.purgeOrigin)
      let changed = false
      for (const region of this.regions) changed = region.replica.applyLikeState(video, user, stamp, true) || changed
      if (changed) this.detector.recordLike(user, video, like.atMs, true)
      imported++
    }
    return { imported, rejected }
  }

  /**
   * A sizing hint from a driver that knows about how many requests it will make over how long:
   * the tables that grow with them (the viewer set, the idempotency keys) start near their size
   * instead of doubling up to it, each doubling a copy of the table and memory for the garbage
   * collector to reclaim. A session makes a little over two requests, one of them a view, and
   * about half its requests are writes, whose idempotency keys live for their TTL. Changes no
   * behaviour.
   */
  reserve({ requests, durationMs }: { requests: number; durationMs: number }): void {
    const writes = requests / 2
    this.viewers.reserve(requests / 2.2)
    if (this.strategy.honourIdempotencyKeys) this.idempotency.reserve(writes * Math.min(1, this.config.idempotencyTtlMs / Math.max(1, durationMs)))
  }

  // ---- time ------------------------------------------------------------------------------

  advanceTo(nowMs: number): void {
    if (nowMs < this.lastMs) return
    this.lastMs = nowMs
    this.replication.advanceTo(nowMs)
    this.notifications.advanceTo(nowMs)
  }

  // ---- the API ---------------------------------------------------------------------------

  like(request: LikeRequest): CoreResult<LikeResponse> {
    const region = this.regionIndex.get(request.region)
    if (region === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    return this.likeAt(request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), request.idempotencyKey, true, this.clientBlock(request.clientIp))
  }

  unlike(request: LikeRequest): CoreResult<LikeResponse> {
    const region = this.regionIndex.get(request.region)
    if (region === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    return this.likeAt(request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), request.idempotencyKey, false, this.clientBlock(request.clientIp))
  }

  view(request: ViewRequest): CoreResult<ViewResponse> {
    const region = this.regionIndex.get(request.region)
    if (region === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    return this.viewAt(request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), request.watchMs, request.idempotencyKey, this.clientBlock(request.clientIp))
  }

  readVideo(request: VideoReadRequest): CoreResult<VideoCountsResponse> {
    const region = this.regionIndex.get(request.region)
    if (region === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reader = request.userId === undefined ? -1 : this.directory.user(request.userId)
    return this.readVideoAt(request.nowMs, region, this.directory.video(request.videoId), reader, this.clientBlock(request.clientIp))
  }

  readLiked(request: LikedReadRequest): CoreResult<LikedResponse> {
    const region = this.regionIndex.get(request.region)
    if (region === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    return this.readLikedAt(request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), this.clientBlock(request.clientIp))
  }

  // ---- the same API by handle ------------------------------------------------------------
  // In-process drivers resolve ids once (regionHandle, directory.user, directory.video) and call
  // these; the HTTP layer uses the id methods above. A handle of -1 is an unknown id. Keys may be
  // strings (HTTP headers) or numbers (in-process operation ids): they never collide.

  regionHandle(regionId: string): number {
    return this.regionIndex.get(regionId) ?? -1
  }

  likeAt(nowMs: number, regionIndex: number, user: number, video: number, key: string | number | undefined, liked: boolean, clientBlock = -1): CoreResult<LikeResponse> {
    const reply = this.likeInto(this.reply, nowMs, regionIndex, user, video, key, liked, clientBlock)
    if (!reply.ok) return failureOf(reply)
    const value: LikeResponse = {
      videoId: this.directory.videoIds[video] as string,
      userId: this.directory.userIds[user] as string,
      liked,
      likeCount: reply.likeCount,
      stale: reply.stale,
      asOfMs: reply.asOfMs,
    }
    return { ok: true, value, latencyMs: reply.latencyMs, replayed: reply.replayed }
  }

  viewAt(nowMs: number, regionIndex: number, user: number, video: number, watchMs: number, key: string | number | undefined, clientBlock = -1): CoreResult<ViewResponse> {
    const reply = this.viewInto(this.reply, nowMs, regionIndex, user, video, watchMs, key, clientBlock)
    if (!reply.ok) return failureOf(reply)
    const value: ViewResponse = { videoId: this.directory.videoIds[video] as string, viewCount: reply.viewCount, uniqueViewers: reply.uniqueViewers }
    return { ok: true, value, latencyMs: reply.latencyMs, replayed: reply.replayed }
  }

  readVideoAt(nowMs: number, regionIndex: number, video: number, reader = -1, clientBlock = -1): CoreResult<VideoCountsResponse> {
    const reply = this.readVideoInto(this.reply, nowMs, regionIndex, video, reader, clientBlock)
    if (!reply.ok) return failureOf(reply)
    const value: VideoCountsResponse = {
      videoId: this.directory.videoIds[video] as string,
      likeCount: reply.likeCount,
      viewCount: reply.viewCount,
      uniqueViewers: reply.uniqueViewers,
      stale: reply.stale,
      asOfMs: reply.asOfMs,
    }
    return ok(value, reply.latencyMs)
  }

  readLikedAt(nowMs: number, regionIndex: number, user: number, video: number, clientBlock = -1): CoreResult<LikedResponse> {
    const reply = this.readLikedInto(this.reply, nowMs, regionIndex, user, video, clientBlock)
    if (!reply.ok) return failureOf(reply)
    return ok({ liked: reply.liked, stale: reply.stale, asOfMs: reply.asOfMs }, reply.latencyMs)
  }

  // ---- the same API in place -------------------------------------------------------------
  // What likeAt, viewAt, readVideoAt and readLikedAt answer, written into a caller-owned reply
  // instead of fresh objects: the sim driver makes millions of these calls. Each returns `reply`.

  likeInto(reply: CoreReply, nowMs: number, regionIndex: number, user: number, video: number, key: string | number | undefined, liked: boolean, clientBlock = -1): CoreReply {
    this.advanceTo(nowMs)
    const region = this.regions[regionIndex] as Region
    const fingerprint = pairKey(video, user) * 4 + (liked ? OP_LIKE : OP_UNLIKE)
    if (this.answeredByKey(reply, { nowMs, region, user, video, key, fingerprint, detail: 0 })) {
      if (reply.replayed) {
        reply.liked = liked
        reply.likeCount = this.scratch.v1
        reply.asOfMs = this.scratch.v2
      }
      return reply
    }
    const queueMs = this.gate(region, nowMs, user, clientBlock)
    if (queueMs < 0) return this.rejection(reply, region, queueMs, nowMs)
    const latencyMs = this.serviceMs() + queueMs
    if (this.refuseIds(reply, user, video, latencyMs)) return reply
    return this.writeLike(reply, { nowMs, regionIndex, region, user, video, key, liked, queueMs, latencyMs })
  }

  viewInto(reply: CoreReply, nowMs: number, regionIndex: number, user: number, video: number, watchMs: number, key: string | number | undefined, clientBlock = -1): CoreReply {
    this.advanceTo(nowMs)
    if (!Number.isInteger(watchMs) || watchMs < 0 || watchMs > WATCH_MS_MAX) return reply.fail('LS_CORE_BAD_WATCH_MS', 1)
    const region = this.regions[regionIndex] as Region
    const fingerprint = pairKey(video, user) * 4 + OP_VIEW
    if (this.answeredByKey(reply, { nowMs, region, user, video, key, fingerprint, detail: watchMs })) {
      if (reply.replayed) {
        reply.viewCount = this.scratch.v1
        reply.uniqueViewers = this.scratch.v2
      }
      return reply
    }
    const queueMs = this.gate(region, nowMs, user, clientBlock)
    if (queueMs < 0) return this.rejection(reply, region, queueMs, nowMs)
    let latencyMs = this.serviceMs() + queueMs
    if (this.refuseIds(reply, user, video, latencyMs)) return reply
    this.directory.touch(user, nowMs)
    latencyMs += region.hotKeys.write(video, nowMs)
    const replica = region.replica
    const doubleEvery = this.strategy.bugs.doubleCountViewEveryN
    const times = doubleEvery !== undefined && ++this.viewSeq % doubleEvery === 0 ? 2 : 1
    for (let i = 0; i < times; i++) {
      const first = this.viewers.add(video, user)
      replica.applyView(video, first)
      this.replication.append(regionIndex, ENTRY_VIEW, video, user, 0, first, nowMs)
    }
    const cacheMs = region.cache.call(nowMs)
    const zero = cacheMs < 0 && this.strategy.degradedRead === 'zero'
    if (cacheMs < 0) this.counters.cacheTimeouts++
    latencyMs += cacheMs < 0 ? (this.strategy.countFromLikeSet ? 0 : this.config.cacheTimeoutMs) : cacheMs
    reply.succeed(latencyMs, false)
    reply.viewCount = zero ? 0 : (replica.viewCount[video] as number)
    reply.uniqueViewers = zero ? 0 : (replica.uniqueViewers[video] as number)
    if (key !== undefined && this.strategy.honourIdempotencyKeys) this.storeKey(user, key, fingerprint, watchMs, reply.viewCount, reply.uniqueViewers, nowMs)
    return reply
  }

  readVideoInto(reply: CoreReply, nowMs: number, regionIndex: number, video: number, reader = -1, clientBlock = -1): CoreReply {
    this.advanceTo(nowMs)
    const region = this.regions[regionIndex] as Region
    const queueMs = this.gate(region, nowMs, reader, clientBlock)
    if (queueMs < 0) return this.rejection(reply, region, queueMs, nowMs)
    let latencyMs = this.serviceMs() + queueMs
    if (video < 0) return reply.fail('LS_CORE_UNKNOWN_VIDEO', latencyMs)
    if (this.directory.isTakenDown(video)) return reply.fail('LS_CORE_VIDEO_UNAVAILABLE', latencyMs)
    const replica = region.replica
    const cacheMs = region.cache.call(nowMs)
    const bugs = this.strategy.bugs
    const seq = ++this.readSeq
    if (cacheMs >= 0) {
      latencyMs += cacheMs
      const asOfMs = this.asOfMs(regionIndex, nowMs)
      replica.rememberGood(video, asOfMs)
      reply.succeed(latencyMs, false)
      reply.likeCount = replica.likeCount[video] as number
      reply.viewCount = replica.viewCount[video] as number
      reply.uniqueViewers = replica.uniqueViewers[video] as number
      reply.asOfMs = asOfMs
      if (bugs.zeroReadEveryN !== undefined && seq % bugs.zeroReadEveryN === 0) {
        reply.likeCount = 0
        reply.viewCount = 0
        reply.uniqueViewers = 0
      } else if (bugs.inflateReadEveryN !== undefined && seq % bugs.inflateReadEveryN === 0) {
        reply.likeCount++
      }
      return reply
    }
    this.counters.cacheTimeouts++
    latencyMs += this.config.cacheTimeoutMs
    if (this.strategy.degradedRead === 'zero') {
      // The 2020-07-23 symptom: a timed-out cache read is taken for "no likes yet".
      this.counters.degradedZeroReads++
      reply.succeed(latencyMs, false)
      reply.likeCount = 0
      reply.viewCount = 0
      reply.uniqueViewers = 0
      reply.asOfMs = nowMs
      return reply
    }
    const lkgAsOfMs = replica.lkgAsOfMs[video] as number
    if (Number.isNaN(lkgAsOfMs)) return reply.fail('LS_CORE_COUNT_UNAVAILABLE', latencyMs, 1000)
    this.counters.staleReads++
    reply.succeed(latencyMs, false)
    reply.likeCount = replica.lkgLikes[video] as number
    reply.viewCount = replica.lkgViews[video] as number
    reply.uniqueViewers = replica.lkgUniques[video] as number
    reply.stale = true
    reply.asOfMs = lkgAsOfMs
    return reply
  }

  readLikedInto(reply: CoreReply, nowMs: number, regionIndex: number, user: number, video: number, clientBlock = -1): CoreReply {
    this.advanceTo(nowMs)
    const region = this.regions[regionIndex] as Region
    const queueMs = this.gate(region, nowMs, user, clientBlock)
    if (queueMs < 0) return this.rejection(reply, region, queueMs, nowMs)
    const latencyMs = this.serviceMs() + queueMs
    if (this.refuseIds(reply, user, video, latencyMs)) return reply
    this.directory.touch(user, nowMs)
    let liked = region.replica.isLiked(video, user)
    const flipEvery = this.strategy.bugs.flipReadBackEveryN
    if (liked && flipEvery !== undefined && ++this.readBackSeq % flipEvery === 0) liked = false
    reply.succeed(latencyMs, false)
    reply.liked = liked
    reply.asOfMs = this.asOfMs(regionIndex, nowMs)
    return reply
  }

  listLikes(request: LikesPageRequest): CoreResult<LikesPageResponse> {
    this.advanceTo(request.nowMs)
    const regionIndex = this.regionIndex.get(request.region)
    if (regionIndex === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reply = this.reply
    const page = this.likesPage(reply, request.nowMs, regionIndex, this.directory.user(request.userId), request.cursor, request.limit)
    if (!reply.ok) return failureOf(reply)
    const videoIds = page.videos.map((video) => this.directory.videoIds[video] as string)
    const nextCursor = page.more ? (videoIds[videoIds.length - 1] as string) : null
    return ok({ userId: request.userId, videoIds, nextCursor, asOfMs: reply.asOfMs }, reply.latencyMs)
  }

  /**
   * listLikes by handle, for in-process drivers: the page's video handles go into `videos`; the
   * result is the next page's cursor (this page's last video), or -1 on the last page or a
   * failure (see `reply`). `cursor` is the previous page's, -1 for the first page.
   */
  likesPageAt(reply: CoreReply, nowMs: number, regionIndex: number, user: number, cursor: number, limit: number, videos: number[]): number {
    this.advanceTo(nowMs)
    const page = this.likesPage(reply, nowMs, regionIndex, user, cursor < 0 ? undefined : this.directory.videoIds[cursor], limit)
    videos.length = 0
    for (const video of page.videos) videos.push(video)
    return page.more ? (page.videos[page.videos.length - 1] as number) : -1
  }

  readNotifications(request: NotificationsRequest): CoreResult<NotificationsResponse> {
    this.advanceTo(request.nowMs)
    const regionIndex = this.regionIndex.get(request.region)
    if (regionIndex === undefined) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const result = this.inboxAt(request.nowMs, regionIndex, this.directory.user(request.userId), request.limit)
    if (!result.ok) return result
    const notifications = result.value.map((item) => ({
      videoId: this.directory.videoIds[item.video] as string,
      fromUserId: this.directory.userIds[item.fromUser] as string,
      likedAtMs: item.likedAtMs,
      deliveredAtMs: item.deliveredAtMs,
    }))
    return ok({ userId: request.userId, notifications }, result.latencyMs)
  }

  /** readNotifications by handle, for in-process drivers: the inbox with video and user handles, newest first. */
  notificationsAt(nowMs: number, regionIndex: number, user: number, limit: number): CoreResult<readonly InboxItem[]> {
    this.advanceTo(nowMs)
    return this.inboxAt(nowMs, regionIndex, user, limit)
  }

  // ---- faults ----------------------------------------------------------------------------

  setRegionUp(regionId: string, up: boolean, nowMs: number): void {
    const index = this.requireRegion(regionId)
    const region = this.regions[index] as Region
    if (region.replica.up === up) return
    this.advanceTo(nowMs)
    region.replica.up = up
    region.admission.reset()
    region.cache.reset()
    if (!up) this.replication.discardUnshipped(index)
    this.refreshLinks(nowMs)
  }

  setPartition(a: string, b: string, partitioned: boolean, nowMs: number): void {
    this.requireRegion(a)
    this.requireRegion(b)
    this.advanceTo(nowMs)
    const key = [a, b].sort().join('|')
    if (partitioned) this.partitions.add(key)
    else this.partitions.delete(key)
    this.refreshLinks(nowMs)
  }

  setSlowCache(regionId: string, latencyMs: number): void {
    const index = this.requireRegion(regionId)
    ;(this.regions[index] as Region).cache.setExtraLatency(latencyMs)
    if (latencyMs > 0) this.slowCaches.set(index, latencyMs)
    else this.slowCaches.delete(index)
  }

  /** Overload emulation for a server that cannot be driven hard enough: capacity / factor. */
  setOverload(regionId: string, factor: number): void {
    if (!(factor >= 1)) throw new CoreConfigError(`overload factor must be >= 1, got ${factor}`)
    const index = this.requireRegion(regionId)
    ;(this.regions[index] as Region).admission.setCapacityFactor(factor)
    if (factor > 1) this.overloads.set(index, factor)
    else this.overloads.delete(index)
  }

  /** Takes videos down (reads and writes refused, likes kept) or restores them. Unknown ids are returned. */
  setTakenDown(videoIds: readonly string[], takenDown: boolean): string[] {
    const unknown: string[] = []
    for (const videoId of videoIds) {
      const video = this.directory.video(videoId)
      if (video < 0) {
        unknown.push(videoId)
        continue
      }
      this.directory.setTakenDown(video, takenDown)
      if (takenDown && this.strategy.takedownEvictsCounts) {
        // The cached counter was the only copy of the count: it is gone when the video goes.
        for (const region of this.regions) region.replica.evictCounts(video)
      }
    }
    return unknown
  }

  // ---- purges ----------------------------------------------------------------------------

  /** Detect bots and purge them now, all at once (in-process callers; the HTTP layer steps beginBotPurge). */
  runBotPurge(nowMs: number): PurgeReport {
    return runPurge(this.beginBotPurge(nowMs, { unitsPerSlice: Number.POSITIVE_INFINITY }), nowMs)
  }

  runInactivePurge(nowMs: number, { idleDays }: { idleDays: number }): PurgeReport {
    return runPurge(this.beginInactivePurge(nowMs, { idleDays, unitsPerSlice: Number.POSITIVE_INFINITY }), nowMs)
  }

  /**
   * A bot purge as of now, to run in slices: call `step(nowMs)` with the current time until it
   * returns true, serving other requests in between if you like, then read `report`. One purge at
   * a time: a second one begun before the first is done would find the same accounts.
   */
  beginBotPurge(nowMs: number, { unitsPerSlice = PURGE_SLICE_UNITS }: { unitsPerSlice?: number } = {}): PurgeJob {
    this.advanceTo(nowMs)
    const dir = this.directory
    const slice = new WorkSlice(unitsPerSlice)
    const facts = { createdAtMs: dir.userCreatedAtMs, uploads: dir.userUploads, followers: dir.userFollowers, ipBlock: dir.ipBlocks() }
    const detect = this.detector.detectSteps(facts, nowMs, slice)
    const purgeUnflaggedEvery = this.strategy.bugs.purgeUnflaggedLikeEveryN
    return new PurgeJob({ kind: 'bot', atMs: nowMs, steps: (clock) => botPurgeSteps(this.purgeTarget, { clock, slice, detect, purgeUnflaggedEvery }) })
  }

  /** An inactive-account purge as of now, to run in slices (see beginBotPurge). */
  beginInactivePurge(nowMs: number, { idleDays, unitsPerSlice = PURGE_SLICE_UNITS }: { idleDays: number; unitsPerSlice?: number }): PurgeJob {
    this.advanceTo(nowMs)
    const slice = new WorkSlice(unitsPerSlice)
    return new PurgeJob({ kind: 'inactive', atMs: nowMs, steps: (clock) => inactivePurgeSteps(this.purgeTarget, { clock, slice, idleDays }) })
  }

  // ---- observation -----------------------------------------------------------------------

  state(nowMs: number): CoreState {
    this.advanceTo(nowMs)
    const videoCount = this.directory.videoCount
    const faults: ActiveFault[] = []
    this.regions.forEach((region, index) => {
      if (!region.replica.up) faults.push({ kind: 'region-outage', region: region.replica.id })
      const slow = this.slowCaches.get(index)
      if (slow !== undefined) faults.push({ kind: 'slow-cache', region: region.replica.id, latencyMs: slow })
      const factor = this.overloads.get(index)
      if (factor !== undefined) faults.push({ kind: 'overload', region: region.replica.id, factor })
    })
    for (const key of this.partitions) {
      const [a, b] = key.split('|') as [string, string]
      faults.push({ kind: 'partition', a, b })
    }
    const takenDown = this.directory.takenDownVideos()
    if (takenDown.length > 0) faults.push({ kind: 'takedown', videoIds: takenDown.map((video) => this.directory.videoIds[video] as string).sort() })
    const notificationCounters = this.notifications.counters
    return {
      nowMs,
      strategy: this.strategy.name,
      regions: this.regions.map((region, index) => {
        const totals = region.replica.totals(videoCount)
        const watermarkMs = this.replication.watermarkMs(index, nowMs)
        return {
          region: region.replica.id,
          up: region.replica.up,
          likeTotal: totals.likes,
          viewTotal: totals.views,
          countsDigest: region.replica.countsDigest(videoCount),
          watermarkMs,
          replicationLagMs: nowMs - watermarkMs,
          queueDelayMs: region.admission.delayMs(nowMs),
          cacheDelayMs: region.cache.delayMs(nowMs),
          replicationPending: this.replication.pendingFor(index),
          resyncPending: this.replication.resyncPending(index),
        }
      }),
      faults,
      counters: {
        ...this.counters,
        replicationApplied: this.replication.stats.applied,
        replicationDropped: this.replication.stats.dropped,
        replicationOverflows: this.replication.stats.overflows,
        replicationOverflowedEntries: this.replication.stats.overflowedEntries,
        replicationResyncs: this.replication.stats.resyncs,
        replicationResyncedPairs: this.replication.stats.resyncedPairs,
        replicationLogEntries: this.replication.retainedEntries,
        notificationsSent: notificationCounters.sent,
        notificationsDelivered: notificationCounters.delivered,
        notificationsDropped: notificationCounters.dropped,
      },
    }
  }

  /**
   * The modelled waiting a request arriving now at a region would see: its admission queue and
   * its counter cache. A server on real sockets can enact it as a delay, so that an overloaded
   * region is slow for real, not only on paper.
   */
  waitMs(regionId: string, nowMs: number): { queueMs: number; cacheMs: number } {
    const index = this.regionIndex.get(regionId)
    if (index === undefined) return { queueMs: 0, cacheMs: 0 }
    const region = this.regions[index] as Region
    return { queueMs: region.admission.delayMs(nowMs), cacheMs: region.cache.delayMs(nowMs) }
  }

  /** Per region, in region order: up to when every other region's writes are visible there. */
  regionWatermarks(nowMs: number): number[] {
    this.advanceTo(nowMs)
    return this.regions.map((_, index) => this.replication.watermarkMs(index, nowMs))
  }

  /** Per region, in region order: the counts digest (equal digests, equal counts). */
  regionDigests(nowMs: number): string[] {
    this.advanceTo(nowMs)
    return this.regions.map((region) => region.replica.countsDigest(this.directory.videoCount))
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * A page of a user's liked videos in a region, ordered by video id, after `afterId`. An unknown
   * user (-1) fails after admission, as a request's body is read after the request is let in.
   */
  private likesPage(
    reply: CoreReply,
    nowMs: number,
    regionIndex: number,
    user: number,
    afterId: string | undefined,
    requestedLimit: number,
  ): { videos: number[]; more: boolean } {
    const region = this.regions[regionIndex] as Region
    const queueMs = this.admit(region, nowMs)
    if (queueMs < 0) {
      this.rejection(reply, region, queueMs, nowMs)
      return { videos: [], more: false }
    }
    const latencyMs = this.serviceMs() + queueMs
    if (user < 0) {
      reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
      return { videos: [], more: false }
    }
    const limit = clampLimit(requestedLimit, LIKES_PAGE_MAX)
    const ids = this.directory.videoIds
    const liked = (region.replica.likedVideos(user) ?? []).sort((a, b) => compareIds(ids[a] as string, ids[b] as string))
    let start = 0
    if (afterId !== undefined && afterId !== '') {
      while (start < liked.length && (ids[liked[start] as number] as string) <= afterId) start++
    }
    reply.succeed(latencyMs, false)
    reply.asOfMs = this.asOfMs(regionIndex, nowMs)
    return { videos: liked.slice(start, start + limit), more: start + limit < liked.length }
  }

  private inboxAt(nowMs: number, regionIndex: number, user: number, requestedLimit: number): CoreResult<readonly InboxItem[]> {
    const region = this.regions[regionIndex] as Region
    const queueMs = this.admit(region, nowMs)
    if (queueMs < 0) return failureOf(this.rejection(this.reply, region, queueMs, nowMs))
    const latencyMs = this.serviceMs() + queueMs
    if (user < 0) return fail('LS_CORE_UNKNOWN_USER', latencyMs)
    return ok(this.notifications.inbox(user, clampLimit(requestedLimit, this.config.inboxMax)), latencyMs)
  }

  /** Unknown, deleted or taken-down ids: writes the failure into the reply and returns true. */
  private refuseIds(reply: CoreReply, user: number, video: number, latencyMs: number): boolean {
    if (user < 0) reply.fail('LS_CORE_UNKNOWN_USER', latencyMs)
    else if (this.directory.isDeleted(user)) reply.fail('LS_CORE_ACCOUNT_DELETED', latencyMs)
    else if (video < 0) reply.fail('LS_CORE_UNKNOWN_VIDEO', latencyMs)
    else if (this.directory.isTakenDown(video)) reply.fail('LS_CORE_VIDEO_UNAVAILABLE', latencyMs)
    else return false
    return true
  }

  private writeLike(
    reply: CoreReply,
    write: {
      nowMs: number
      regionIndex: number
      region: Region
      user: number
      video: number
      key: string | number | undefined
      liked: boolean
      queueMs: number
      latencyMs: number
    },
  ): CoreReply {
    const { nowMs, regionIndex, region, user, video, key, liked, queueMs } = write
    let latencyMs = write.latencyMs
    this.directory.touch(user, nowMs)
    latencyMs += region.hotKeys.write(video, nowMs)
    const replica = region.replica
    const bugs = this.strategy.bugs
    const seq = liked ? ++this.likeSeq : this.likeSeq
    const dropped = liked && bugs.dropAckedLikeEveryN !== undefined && seq % bugs.dropAckedLikeEveryN === 0
    let changed = false
    if (!dropped) {
      const stamp = this.nextStamp(nowMs, regionIndex)
      changed = replica.applyLikeState(video, user, stamp, liked)
      this.replication.append(regionIndex, ENTRY_LIKE_STATE, video, user, stamp, liked, nowMs)
      if (liked && bugs.extraCountEveryN !== undefined && seq % bugs.extraCountEveryN === 0) {
        replica.likeCount[video] = (replica.likeCount[video] as number) + 1
      }
    }
    if (liked && changed) {
      this.detector.recordLike(user, video, nowMs, this.viewers.has(video, user))
      this.notify(region, video, user, nowMs, queueMs)
    }
    const cacheMs = region.cache.call(nowMs)
    if (cacheMs < 0) this.counters.cacheTimeouts++
    let likeCount = replica.likeCount[video] as number
    if (dropped) likeCount++
    let asOfMs = nowMs
    if (this.strategy.countFromLikeSet) {
      // The count comes from the like set; the cache is only updated, never waited on.
      asOfMs = this.asOfMs(regionIndex, nowMs)
      replica.rememberGood(video, asOfMs)
    } else {
      latencyMs += cacheMs < 0 ? this.config.cacheTimeoutMs : cacheMs
      if (cacheMs < 0) likeCount = 0
    }
    reply.succeed(latencyMs, false)
    reply.liked = liked
    reply.likeCount = likeCount
    reply.asOfMs = asOfMs
    if (key !== undefined && this.strategy.honourIdempotencyKeys) this.storeKey(user, key, pairKey(video, user) * 4 + (liked ? OP_LIKE : OP_UNLIKE), 0, likeCount, asOfMs, nowMs)
    return reply
  }

  /**
   * A write with an idempotency key the core honours, before anything else looks at it: a retry
   * of a stored key is replayed (its values left in `scratch`) and a key reused for another
   * request refused, both before the client rate limiter and admission, since answering from the
   * store costs nothing and a client's retry of an acknowledged write must not be turned away. A
   * new key is refused while the store is full (its keys are kept for their whole TTL), before
   * the write is applied. Returns false when the write goes on through the region's front door;
   * requests the front door refuses anyway (region down, unknown or gone ids) always do.
   */
  private answeredByKey(
    reply: CoreReply,
    request: { nowMs: number; region: Region; user: number; video: number; key: string | number | undefined; fingerprint: number; detail: number },
  ): boolean {
    const { nowMs, region, user, video, key } = request
    if (key === undefined || !this.strategy.honourIdempotencyKeys || !region.replica.up) return false
    if (user < 0 || video < 0 || this.directory.isDeleted(user) || this.directory.isTakenDown(video)) return false
    const seq = this.idempotency.lookup(user, key, request.fingerprint, request.detail, nowMs)
    if (seq === IDEMPOTENCY_MISS) {
      if (this.idempotency.hasRoom(nowMs)) return false
      this.counters.requests++
      this.counters.idempotencyStoreFull++
      reply.fail('LS_CORE_IDEMPOTENCY_STORE_FULL', 1, Math.max(1000, this.idempotency.retryAfterMs(nowMs)))
      return true
    }
    this.counters.requests++
    if (seq === IDEMPOTENCY_MISMATCH) {
      reply.fail('LS_CORE_IDEMPOTENCY_MISMATCH', this.serviceMs())
      return true
    }
    this.idempotency.values(seq, this.scratch)
    this.counters.idempotentReplays++
    reply.succeed(this.serviceMs(), true)
    return true
  }

  private storeKey(user: number, key: string | number, fingerprint: number, detail: number, v1: number, v2: number, nowMs: number): void {
    const values = this.scratch
    values.v1 = v1
    values.v2 = v2
    values.v3 = 0
    this.idempotency.store(user, key, fingerprint, detail, values, nowMs)
  }

  private nextStamp(nowMs: number, origin: number): number {
    let stamp = lwwStamp(nowMs, origin)
    const last = this.lastStamp[origin] as number
    // The next free stamp of this origin: one microsecond slot later, same origin bits.
    if (stamp <= last) stamp = last + 16
    this.lastStamp[origin] = stamp
    return stamp
  }

  /** The edge of a region: down, rate-limited, shed, or admitted with a queue delay. */
  private gate(region: Region, nowMs: number, user: number, clientBlock: number): number {
    if (region.limiter !== null && region.replica.up) {
      const block = clientBlock >= 0 ? clientBlock : user >= 0 ? this.directory.ipBlockOf(user) : -1
      if (block >= 0) {
        const waitMs = region.limiter.take(block, nowMs)
        if (waitMs > 0) {
          this.counters.requests++
          this.counters.rateLimited++
          this.limitedRetryMs = waitMs
          return REJECT_LIMITED
        }
      }
    }
    return this.admit(region, nowMs)
  }

  /** The interned block of a client address, -1 when none was given. */
  private clientBlock(clientIp: string | undefined): number {
    return clientIp === undefined || clientIp === '' ? -1 : this.directory.blockOf(clientIp)
  }

  private admit(region: Region, nowMs: number): number {
    this.counters.requests++
    if (!region.replica.up) return REJECT_DOWN
    const queueMs = region.admission.admit(nowMs)
    if (queueMs < 0) {
      this.counters.shed++
      return REJECT_SHED
    }
    return queueMs
  }

  private rejection(reply: CoreReply, region: Region, reason: number, nowMs: number): CoreReply {
    if (reason === REJECT_DOWN) return reply.fail('LS_CORE_REGION_DOWN', 1)
    if (reason === REJECT_LIMITED) return reply.fail('LS_CORE_RATE_LIMITED', 1, Math.max(1000, this.limitedRetryMs))
    return reply.fail('LS_CORE_OVERLOADED', 1, region.admission.retryAfterMs(nowMs))
  }

  private notify(region: Region, video: number, fromUser: number, nowMs: number, queueMs: number): void {
    const creator = this.directory.videoCreator[video] as number
    const cacheDelayMs = region.cache.delayMs(nowMs)
    const overloaded = queueMs > this.strategy.queueMaxMs / 2 || cacheDelayMs > this.config.cacheTimeoutMs
    if (overloaded && this.strategy.notificationsOnOverload === 'drop') {
      this.notifications.drop()
      return
    }
    // Deferred: the notification waits out the backlog it met.
    const deferMs = overloaded ? queueMs + cacheDelayMs * 10 : 0
    const dropEvery = this.strategy.bugs.dropNotificationEveryN
    if (dropEvery !== undefined && ++this.notifySeq % dropEvery === 0) {
      this.notifications.drop()
      return
    }
    this.notifications.enqueue({ creator, video, fromUser, likedAtMs: nowMs, deliverAtMs: nowMs + this.config.notificationDelayMs + deferMs })
  }

  private asOfMs(regionIndex: number, nowMs: number): number {
    return this.strategy.reportsStaleness ? this.replication.watermarkMs(regionIndex, nowMs) : nowMs
  }

  private serviceMs(): number {
    const leak = this.strategy.bugs.slowdownMsPer100kRequests
    const creep = leak === undefined ? 0 : (leak * this.counters.requests) / 100_000
    return this.config.serviceTimeMs + creep + this.jitter.exponential(this.config.serviceJitterMeanMs)
  }

  /** Bring every replication link in line with the faults: stopped into a down region or across a partition. */
  private refreshLinks(nowMs: number): void {
    const count = this.regions.length
    for (let origin = 0; origin <= count; origin++) {
      for (let destination = 0; destination < count; destination++) {
        if (origin === destination) continue
        const blocked = !(this.regions[destination] as Region).replica.up || (origin < count && this.isPartitioned(origin, destination))
        const key = `${origin}>${destination}`
        const stopped = this.stoppedLinks.has(key)
        if (blocked && !stopped) {
          this.replication.stopLink(origin, destination, nowMs)
          this.stoppedLinks.add(key)
        } else if (!blocked && stopped) {
          this.replication.resumeLink(origin, destination, nowMs)
          this.stoppedLinks.delete(key)
        }
      }
    }
    this.replication.advanceTo(nowMs)
  }

  private isPartitioned(a: number, b: number): boolean {
    if (this.partitions.size === 0) return false
    const ids = [(this.regions[a] as Region).replica.id, (this.regions[b] as Region).replica.id].sort()
    return this.partitions.has(ids.join('|'))
  }

  private requireRegion(regionId: string): number {
    const index = this.regionIndex.get(regionId)
    if (index === undefined) throw new CoreConfigError(`unknown region ${regionId}; known: ${this.regionIds.join(', ')}`)
    return index
  }
}

/** String order of ids (what Array.prototype.sort does by default). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A page size within [1, max]; anything that is not a finite number gets the maximum. */
function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(max, Math.floor(limit))) : max
}

function fail(code: CoreErrorCode, latencyMs: number, retryAfterMs?: number): CoreFailure {
  return retryAfterMs === undefined ? { ok: false, code, latencyMs } : { ok: false, code, latencyMs, retryAfterMs }
}

/** A failed reply as the object API returns it (retryAfterMs only when the failure has one). */
function failureOf(reply: CoreReply): CoreFailure {
  return fail(reply.code as CoreErrorCode, reply.latencyMs, Number.isNaN(reply.retryAfterMs) ? undefined : reply.retryAfterMs)
}

function ok<T>(value: T, latencyMs: number): CoreResult<T> {
  return { ok: true, value, latencyMs, replayed: false }
}

/** Run a purge job to its end at one time (an in-process caller's purge is instantaneous). */
function runPurge(job: PurgeJob, nowMs: number): PurgeReport {
  while (!job.step(nowMs));
  return job.report
}
