// set-counter: a small engagement system that keeps its counts right, written against LikeStorm's
// public system interface only (docs/systems.md). Copy it as the start of your own.
//   likestorm run baseline like-flap region-failover --system examples/systems/set-counter.ts
// This file answers requests; set-store.ts holds a region's data, set-replication.ts carries
// writes between regions, set-inbox.ts delivers notifications.
//
// - Each region holds a like set: for each (user, video) the last write it knows, liked or not,
//   with a stamp (time, then region). A write applies only if its stamp is newer (last writer
//   wins), so retries, double taps and copies the network delivers twice change nothing twice.
// - Counts are derived from the set: a video's like count moves only when a pair's state changes.
// - Writes go to the other regions through the environment, retransmitted until acknowledged
//   (set-replication.ts). A read says how old it is: asOfMs is the time before which every other
//   region's writes are in it.
// - Idempotency keys: a retried request gets the answer its first attempt got (views count once).
// - Overload: requests queue at the region's front door up to QUEUE_MAX_MS, then are shed (503).
// - A like that changes a pair notifies the video's creator after the notification delay.
// - A purge removes an account's likes in every region, with a stamp newer than any of theirs,
//   and its views (the module declares removesPurgedViews).
// The store, the logs and the inboxes are durable: a region that goes down loses nothing but what
// was on the wire; it catches up by retransmission when it is back.
import type { EngagementSystem, InboxItem, PurgedPair, PurgedViews, RegionObservation, SeedLike, SystemEnv, SystemModule, SystemReply, SystemRequest, SystemSettings } from 'likestorm'
import { Replication, type ReplicationMessage, type Write } from './set-replication.ts'
import { Inboxes } from './set-inbox.ts'
import { AccountViews, RegionStore, Stamps } from './set-store.ts'

/** Longest a request may queue at a region's front door before it is shed. */
const QUEUE_MAX_MS = 200
const WATCH_MS_MAX = 86_400_000
const PAGE_MAX = 1000

/** An answer kept for an idempotency key, replayed to a retry of the same request. */
interface KeptAnswer {
  readonly request: string
  readonly atMs: number
  readonly liked: boolean
  readonly likeCount: number
  readonly asOfMs: number
  readonly viewCount: number
  readonly uniqueViewers: number
}

export class SetCounter implements EngagementSystem<ReplicationMessage> {
  private readonly stores: RegionStore[]
  private readonly replication: Replication
  /** Idempotency keys, oldest first (a Map keeps insertion order): one store the regions share. */
  private readonly answers = new Map<string, KeptAnswer>()
  private readonly inboxes: Inboxes
  /** Last-writer-wins stamps, per origin: the regions, then the platform's imports and purges. */
  private readonly stamps: Stamps
  /** Each account's views, for a purge to remove: kept only when a purge may run at all. */
  private readonly accountViews: AccountViews | undefined
  private readonly stats = { shed: 0, idempotentReplays: 0, replicationApplied: 0 }

  constructor(
    private readonly env: SystemEnv<ReplicationMessage>,
    private readonly settings: SystemSettings,
  ) {
    this.stores = env.regions.map(() => new RegionStore((wasLiked, liked) => this.likeCountDelta(wasLiked, liked)))
    this.replication = new Replication(env, (region, _origin, write) => this.applyReplicated(region, write), settings.replicationBacklogMaxEntries)
    this.stamps = new Stamps(env.regions.length + 1)
    this.inboxes = new Inboxes(settings)
    this.accountViews = settings.purgesMayRun ? new AccountViews() : undefined
  }

  /** How a write moves a video's like count: only a change of the pair's state counts. */
  protected likeCountDelta(wasLiked: boolean, liked: boolean): number {
    return wasLiked === liked ? 0 : liked ? 1 : -1
  }

  like(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.write(request, reply, true)
  }

  unlike(request: SystemRequest, reply: SystemReply): SystemReply {
    return this.write(request, reply, false)
  }

  view(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, user, video, watchMs } = request
    if (!Number.isInteger(watchMs) || watchMs < 0 || watchMs > WATCH_MS_MAX) return reply.fail('LS_CORE_BAD_WATCH_MS', this.env.serviceMs())
    if (this.refused(reply, user, video) || this.replayed(request, reply, `view ${video} ${watchMs}`)) return reply
    const queueMs = this.admit(reply, region)
    if (queueMs < 0) return reply
    const nowMs = this.env.nowMs()
    const firstView = this.env.firstView(video, user)
    const store = this.stores[region] as RegionStore
    store.view(video, firstView)
    this.accountViews?.record(user, video, firstView)
    this.replication.record(region, { kind: 'view', video, firstView, atMs: nowMs })
    reply.succeed(queueMs + this.env.serviceMs(), false)
    reply.viewCount = Math.max(0, store.viewCount[video] ?? 0)
    reply.uniqueViewers = Math.max(0, store.uniqueViewers[video] ?? 0)
    this.keep(request, `view ${video} ${watchMs}`, reply)
    return reply
  }

  readCounts(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, video } = request
    if (video < 0) return reply.fail('LS_CORE_UNKNOWN_VIDEO', this.env.serviceMs())
    if (this.env.directory.isTakenDown(video)) return reply.fail('LS_CORE_VIDEO_UNAVAILABLE', this.env.serviceMs())
    const queueMs = this.admit(reply, region)
    if (queueMs < 0) return reply
    const store = this.stores[region] as RegionStore
    reply.succeed(queueMs + this.env.serviceMs(), false)
    reply.likeCount = store.likeCount[video] ?? 0
    reply.viewCount = Math.max(0, store.viewCount[video] ?? 0)
    reply.uniqueViewers = Math.max(0, store.uniqueViewers[video] ?? 0)
    reply.asOfMs = this.replication.watermarkMs(region, this.env.nowMs())
    return reply
  }

  readLike(request: SystemRequest, reply: SystemReply): SystemReply {
    const { region, user, video } = request
    if (this.refused(reply, user, video)) return reply
    const queueMs = this.admit(reply, region)
    if (queueMs < 0) return reply
    reply.succeed(queueMs + this.env.serviceMs(), false)
    reply.liked = (this.stores[region] as RegionStore).isLiked(user, video)
    reply.asOfMs = this.replication.watermarkMs(region, this.env.nowMs())
    return reply
  }

  likedPage(request: SystemRequest, reply: SystemReply): { videos: number[]; more: boolean } {
    const { region, user, afterVideo } = request
    const queueMs = user < 0 ? -1 : this.admit(reply, region)
    if (user < 0) reply.fail('LS_CORE_UNKNOWN_USER', this.env.serviceMs())
    if (queueMs < 0) return { videos: [], more: false }
    // Ordered by video id; the page starts after the previous page's last video.
    const directory = this.env.directory
    const liked = (this.stores[region] as RegionStore).likedVideos(user).sort((a, b) => directory.compareVideoIds(a, b))
    const hasCursor = afterVideo >= 0 && afterVideo < directory.videoCount
    const rest = hasCursor ? liked.filter((video) => directory.compareVideoIds(video, afterVideo) > 0) : liked
    const limit = pageSize(request.limit, PAGE_MAX)
    reply.succeed(queueMs + this.env.serviceMs(), false)
    reply.asOfMs = this.replication.watermarkMs(region, this.env.nowMs())
    return { videos: rest.slice(0, limit), more: rest.length > limit }
  }

  notifications(request: SystemRequest, reply: SystemReply): readonly InboxItem[] {
    const queueMs = request.user < 0 ? -1 : this.admit(reply, request.region)
    if (request.user < 0) reply.fail('LS_CORE_UNKNOWN_USER', this.env.serviceMs())
    if (queueMs < 0) return []
    reply.succeed(queueMs + this.env.serviceMs(), false)
    return this.inboxes.read(request.user, this.env.nowMs(), pageSize(request.limit, this.settings.inboxMax))
  }

  onMessage(to: number, from: number, message: ReplicationMessage): void {
    this.replication.onMessage(to, from, message)
  }

  onTick(region: number, nowMs: number): void {
    this.replication.onTick(region, nowMs)
    this.inboxes.deliver(nowMs)
  }

  onOutage(region: number): void {
    this.replication.onOutage(region)
  }

  onRecover(): void {
    // Nothing to do: the peers' retransmissions bring the region up to date.
  }

  onDirectory(): void {
    // Counts live in plain arrays that grow on first write; nothing to size.
  }

  onTakedown(): void {
    // A taken-down video keeps its likes; reads and writes of it are refused while it is down.
  }

  seedLike(like: SeedLike): boolean {
    const stamp = this.stamps.next(this.env.regions.length, like.atMs)
    let changed = false
    for (const store of this.stores) changed = store.apply(like.user, like.video, true, stamp) || changed
    return changed
  }

  purgeAccount(user: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void {
    const videos = new Set<number>()
    for (const store of this.stores) for (const video of store.likedVideos(user)) videos.add(video)
    // Newer than every earlier write of these pairs, so a like still on its way loses to the purge.
    const stamp = this.stamps.next(this.env.regions.length, this.env.nowMs())
    for (const video of [...videos].sort((a, b) => a - b)) {
      for (const store of this.stores) store.apply(user, video, false, stamp)
      removed.push({ user, video })
    }
    // Its views too: each region takes the removal once (a view still on its way lands there later).
    for (const { video, views, unique } of this.accountViews?.take(user) ?? []) {
      for (const store of this.stores) store.removeViews(video, views, unique ? 1 : 0)
      removedViews?.push({ user, video, views })
    }
  }

  observe(region: number): RegionObservation {
    const store = this.stores[region] as RegionStore
    const videoCount = this.env.directory.videoCount
    const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0)
    return {
      likeTotal: sum(store.likeCount),
      viewTotal: sum(store.viewCount),
      countsDigest: store.digest(videoCount),
      watermarkMs: this.replication.watermarkMs(region, this.env.nowMs()),
      replicationPending: this.replication.pendingAt(region),
      resyncPending: false,
    }
  }

  counters(): Readonly<Record<string, number>> {
    return { ...this.stats, ...this.inboxes.counters, replicationLogEntries: this.replication.retained }
  }

  private write(request: SystemRequest, reply: SystemReply, liked: boolean): SystemReply {
    const { region, user, video } = request
    const what = `${liked ? 'like' : 'unlike'} ${video}`
    if (this.refused(reply, user, video) || this.replayed(request, reply, what)) return reply
    const queueMs = this.admit(reply, region)
    if (queueMs < 0) return reply
    // Writes wait while a peer that stopped answering has a full backlog: nothing is dropped instead.
    if (this.replication.backlogFull(region)) return reply.fail('LS_CORE_OVERLOADED', this.env.serviceMs(), 1000)
    const nowMs = this.env.nowMs()
    const stamp = this.stamps.next(region, nowMs)
    const store = this.stores[region] as RegionStore
    const changed = store.apply(user, video, liked, stamp)
    this.replication.record(region, { kind: 'like', user, video, liked, stamp, atMs: nowMs })
    // A like that changes the pair tells the video's creator (a second tap changes nothing, notifies nobody).
    if (liked && changed) this.inboxes.notify(this.env.directory.creatorOf(video), { video, fromUser: user, likedAtMs: nowMs })
    reply.succeed(queueMs + this.env.serviceMs(), false)
    reply.liked = liked
    reply.changed = changed
    reply.likeCount = store.likeCount[video] ?? 0
    reply.asOfMs = this.replication.watermarkMs(region, nowMs)
    this.keep(request, what, reply)
    return reply
  }

  private applyReplicated(region: number, write: Write): void {
    const store = this.stores[region] as RegionStore
    if (write.kind === 'like') store.apply(write.user, write.video, write.liked, write.stamp)
    else store.view(write.video, write.firstView)
    this.stats.replicationApplied++
  }

  /** Unknown, deleted or taken-down ids: the failure is written and true returned. */
  private refused(reply: SystemReply, user: number, video: number): boolean {
    const directory = this.env.directory
    const code = user < 0 ? 'LS_CORE_UNKNOWN_USER' : directory.isDeleted(user) ? 'LS_CORE_ACCOUNT_DELETED' : video < 0 ? 'LS_CORE_UNKNOWN_VIDEO' : directory.isTakenDown(video) ? 'LS_CORE_VIDEO_UNAVAILABLE' : undefined
    if (code !== undefined) reply.fail(code, this.env.serviceMs())
    return code !== undefined
  }

  /** The region's queue (the environment models it): the wait, or -1 with the request shed. */
  private admit(reply: SystemReply, region: number): number {
    const queueMs = this.env.admit(region, QUEUE_MAX_MS)
    if (queueMs >= 0) return queueMs
    this.stats.shed++
    reply.fail('LS_CORE_OVERLOADED', 1, this.env.retryAfterMs(region, QUEUE_MAX_MS))
    return -1
  }

  /** A keyed retry of an answered request gets the same answer; a key reused for another request is refused. */
  private replayed(request: SystemRequest, reply: SystemReply, what: string): boolean {
    if (request.key === undefined) return false
    const nowMs = this.env.nowMs()
    for (const [key, answer] of this.answers) {
      if (answer.atMs + this.settings.idempotencyTtlMs > nowMs) break
      this.answers.delete(key)
    }
    const answer = this.answers.get(`${request.user} ${request.key}`)
    if (answer === undefined) {
      if (this.answers.size < this.settings.idempotencyMaxKeys) return false
      reply.fail('LS_CORE_IDEMPOTENCY_STORE_FULL', 1, 1000)
      return true
    }
    if (answer.request !== what) {
      reply.fail('LS_CORE_IDEMPOTENCY_MISMATCH', this.env.serviceMs())
      return true
    }
    this.stats.idempotentReplays++
    reply.succeed(this.env.serviceMs(), true)
    reply.liked = answer.liked
    reply.likeCount = answer.likeCount
    reply.asOfMs = answer.asOfMs
    reply.viewCount = answer.viewCount
    reply.uniqueViewers = answer.uniqueViewers
    return true
  }

  private keep(request: SystemRequest, what: string, reply: SystemReply): void {
    if (request.key === undefined) return
    const { liked, likeCount, asOfMs, viewCount, uniqueViewers } = reply
    this.answers.set(`${request.user} ${request.key}`, { request: what, atMs: this.env.nowMs(), liked, likeCount, asOfMs, viewCount, uniqueViewers })
  }
}

/** A page size within [1, max]; anything but a finite number asks for the most. */
function pageSize(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(max, Math.floor(limit))) : max
}

export const system: SystemModule<ReplicationMessage> = {
  // The interface version this module was written against: LikeStorm refuses a module of another.
  interfaceVersion: 1,
  name: 'set-counter',
  description: 'a like set per region with counts derived from it, replication retransmitted until acknowledged, idempotency keys, shedding past a 200 ms queue',
  writesWaitOnCache: false,
  // A purge removes the account's views as well as its likes (purgeAccount's removedViews).
  removesPurgedViews: true,
  create: (env, settings) => new SetCounter(env, settings),
}

export default system
