// The engagement service as its callers see it (the HTTP layer, the sim driver, the tests): a
// system under test (systems/system.ts) in its environment (env/), with the platform around them
// (core-runtime.ts). Two ways in: by ids (like, view, readVideo, ...: objects in and out, for the
// HTTP layer) and by handles into a caller-owned reply (likeInto, viewInto, ...: for in-process
// drivers that make millions of calls). A handle of -1 is an unknown id. Every method takes the
// current time from its caller; nothing here reads a clock or an unseeded random source.
import type { SystemRequest } from '../systems/system.ts'
import { CoreReply } from './core-reply.ts'
import { CoreRuntime } from './core-runtime.ts'
import type { CoreErrorCode } from './errors.ts'
import type { InboxItem } from './notifications.ts'
import type {
  CoreFailure,
  CoreResult,
  LikedReadRequest,
  LikedResponse,
  LikeRequest,
  LikeResponse,
  LikesPageRequest,
  LikesPageResponse,
  NotificationsRequest,
  NotificationsResponse,
  VideoCountsResponse,
  VideoReadRequest,
  ViewRequest,
  ViewResponse,
} from './types.ts'

export class EngagementCore extends CoreRuntime {
  /** The request handed to the system, refilled for every call (the system reads it before returning). */
  private readonly request: SystemRequest = { region: 0, user: -1, video: -1, key: undefined, clientBlock: -1, watchMs: 0, afterVideo: -1, limit: 0 }
  /** The reply the id API fills before building its result. */
  private readonly reply = new CoreReply()

  // ---- by ids ----------------------------------------------------------------------------

  like(request: LikeRequest): CoreResult<LikeResponse> {
    return this.writeById(request, true)
  }

  unlike(request: LikeRequest): CoreResult<LikeResponse> {
    return this.writeById(request, false)
  }

  view(request: ViewRequest): CoreResult<ViewResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const video = this.directory.video(request.videoId)
    const reply = this.viewInto(this.reply, request.nowMs, region, this.directory.user(request.userId), video, request.watchMs, request.idempotencyKey, this.clientBlock(request.clientIp))
    if (!reply.ok) return failureOf(reply)
    return { ok: true, value: { videoId: request.videoId, viewCount: reply.viewCount, uniqueViewers: reply.uniqueViewers }, latencyMs: reply.latencyMs, replayed: reply.replayed }
  }

  readVideo(request: VideoReadRequest): CoreResult<VideoCountsResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reader = request.userId === undefined ? -1 : this.directory.user(request.userId)
    const reply = this.readVideoInto(this.reply, request.nowMs, region, this.directory.video(request.videoId), reader, this.clientBlock(request.clientIp))
    if (!reply.ok) return failureOf(reply)
    const { likeCount, viewCount, uniqueViewers, stale, asOfMs } = reply
    return ok({ videoId: request.videoId, likeCount, viewCount, uniqueViewers, stale, asOfMs }, reply.latencyMs)
  }

  readLiked(request: LikedReadRequest): CoreResult<LikedResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reply = this.readLikedInto(this.reply, request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), this.clientBlock(request.clientIp))
    if (!reply.ok) return failureOf(reply)
    return ok({ liked: reply.liked, stale: reply.stale, asOfMs: reply.asOfMs }, reply.latencyMs)
  }

  listLikes(request: LikesPageRequest): CoreResult<LikesPageResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reply = this.reply
    const videos: number[] = []
    const cursor = request.cursor === undefined || request.cursor === '' ? -1 : this.directory.video(request.cursor)
    if (cursor < 0 && request.cursor !== undefined && request.cursor !== '') {
      // A cursor is the last video of the page before: one the directory does not know ends the list.
      return ok({ userId: request.userId, videoIds: [], nextCursor: null, asOfMs: request.nowMs }, 1)
    }
    const next = this.likesPageAt(reply, request.nowMs, region, this.directory.user(request.userId), cursor, request.limit, videos)
    if (!reply.ok) return failureOf(reply)
    const directory = this.directory
    return ok({ userId: request.userId, videoIds: videos.map((video) => directory.videoId(video)), nextCursor: next < 0 ? null : directory.videoId(next), asOfMs: reply.asOfMs }, reply.latencyMs)
  }

  readNotifications(request: NotificationsRequest): CoreResult<NotificationsResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const result = this.notificationsAt(request.nowMs, region, this.directory.user(request.userId), request.limit)
    if (!result.ok) return result
    const directory = this.directory
    const notifications = result.value.map((item) => ({
      videoId: directory.videoId(item.video),
      fromUserId: directory.userId(item.fromUser),
      likedAtMs: item.likedAtMs,
      deliveredAtMs: item.deliveredAtMs,
    }))
    return ok({ userId: request.userId, notifications }, result.latencyMs)
  }

  // ---- by handles, into a caller-owned reply ---------------------------------------------

  likeInto(reply: CoreReply, nowMs: number, region: number, user: number, video: number, key: string | number | undefined, liked: boolean, clientBlock = -1): CoreReply {
    const request = this.arrive(reply, nowMs, region, user, video, key, clientBlock)
    if (request === undefined) return reply
    if (liked) this.system.like(request, reply)
    else this.system.unlike(request, reply)
    if (reply.ok && !reply.replayed) {
      this.directory.touch(user, nowMs)
      if (reply.changed) {
        if (liked) this.detector.like(nowMs, this.env.regions[region] as string, request, this.env.hasViewed(video, user))
        else this.detector.unlike(nowMs, this.env.regions[region] as string, request)
      }
    }
    return reply
  }

  viewInto(reply: CoreReply, nowMs: number, region: number, user: number, video: number, watchMs: number, key: string | number | undefined, clientBlock = -1): CoreReply {
    const request = this.arrive(reply, nowMs, region, user, video, key, clientBlock)
    if (request === undefined) return reply
    request.watchMs = watchMs
    this.system.view(request, reply)
    if (reply.ok && !reply.replayed) {
      this.directory.touch(user, nowMs)
      this.detector.view(nowMs, this.env.regions[region] as string, request, watchMs)
    }
    return reply
  }

  readVideoInto(reply: CoreReply, nowMs: number, region: number, video: number, reader = -1, clientBlock = -1): CoreReply {
    const request = this.arrive(reply, nowMs, region, reader, video, undefined, clientBlock)
    if (request !== undefined) this.system.readCounts(request, reply)
    return reply
  }

  readLikedInto(reply: CoreReply, nowMs: number, region: number, user: number, video: number, clientBlock = -1): CoreReply {
    const request = this.arrive(reply, nowMs, region, user, video, undefined, clientBlock)
    if (request === undefined) return reply
    this.system.readLike(request, reply)
    if (reply.ok) this.directory.touch(user, nowMs)
    return reply
  }

  /**
   * A page of a user's liked videos by handle: the page's video handles go into `videos`; the
   * result is the next page's cursor (this page's last video), or -1 on the last page or a
   * failure (see `reply`). `cursor` is the previous page's, -1 for the first page.
   */
  likesPageAt(reply: CoreReply, nowMs: number, region: number, user: number, cursor: number, limit: number, videos: number[]): number {
    videos.length = 0
    const request = this.arrive(reply, nowMs, region, user, -1, undefined, -1)
    if (request === undefined) return -1
    request.afterVideo = cursor
    request.limit = limit
    const page = this.system.likedPage(request, reply)
    if (!reply.ok) return -1
    for (const video of page.videos) videos.push(video)
    return page.more ? (page.videos[page.videos.length - 1] as number) : -1
  }

  /** The inbox by handle, for in-process drivers: video and user handles, newest first. */
  notificationsAt(nowMs: number, region: number, user: number, limit: number): CoreResult<readonly InboxItem[]> {
    const reply = this.reply
    const request = this.arrive(reply, nowMs, region, user, -1, undefined, -1)
    if (request === undefined) return failureOf(reply)
    request.limit = limit
    const items = this.system.notifications(request, reply)
    return reply.ok ? ok(items, reply.latencyMs) : failureOf(reply)
  }

  // ---- internals -------------------------------------------------------------------------

  private writeById(request: LikeRequest, liked: boolean): CoreResult<LikeResponse> {
    const region = this.regionHandle(request.region)
    if (region < 0) return fail('LS_CORE_UNKNOWN_REGION', 1)
    const reply = this.likeInto(this.reply, request.nowMs, region, this.directory.user(request.userId), this.directory.video(request.videoId), request.idempotencyKey, liked, this.clientBlock(request.clientIp))
    if (!reply.ok) return failureOf(reply)
    const { likeCount, stale, asOfMs } = reply
    return { ok: true, value: { videoId: request.videoId, userId: request.userId, liked, likeCount, stale, asOfMs }, latencyMs: reply.latencyMs, replayed: reply.replayed }
  }

  /**
   * A request reaches a region at `nowMs`: the environment moves its clock there (delivering
   * what is due), and refuses it when the region is down (connection refused, as a load balancer
   * would). Returns the request to hand the system, or undefined when the reply is written.
   */
  private arrive(reply: CoreReply, nowMs: number, region: number, user: number, video: number, key: string | number | undefined, clientBlock: number): SystemRequest | undefined {
    this.advanceTo(nowMs)
    this.platform.requests++
    if (!this.env.isUp(region)) {
      reply.fail('LS_CORE_REGION_DOWN', 1)
      return undefined
    }
    reply.changed = false
    const request = this.request
    request.region = region
    request.user = user
    request.video = video
    request.key = key
    request.clientBlock = clientBlock
    request.watchMs = 0
    request.afterVideo = -1
    request.limit = 0
    return request
  }

  /** The interned block of a client address, -1 when none was given. */
  private clientBlock(clientIp: string | undefined): number {
    return clientIp === undefined || clientIp === '' ? -1 : this.directory.blockOf(clientIp)
  }
}

function fail(code: CoreErrorCode, latencyMs: number, retryAfterMs?: number): CoreFailure {
  return retryAfterMs === undefined ? { ok: false, code, latencyMs } : { ok: false, code, latencyMs, retryAfterMs }
}

/** A failed reply as the object API returns it (retryAfterMs only when the failure has one). */
function failureOf(reply: CoreReply): CoreFailure {
  return fail(reply.code === '' ? 'LS_CORE_REGION_DOWN' : reply.code, reply.latencyMs, Number.isNaN(reply.retryAfterMs) ? undefined : reply.retryAfterMs)
}

function ok<T>(value: T, latencyMs: number): CoreResult<T> {
  return { ok: true, value, latencyMs, replayed: false }
}
