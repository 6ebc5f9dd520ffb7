// A user's side: did they like a video, the page of videos they like, and the "someone liked your
// video" notifications of a creator (late or lost under overload, per strategy).
import type { RegionApp } from '../app.ts'
import { callCore, type RegionContext } from '../core-call.ts'
import {
  ERROR_RESPONSES,
  LIKES_PAGE_LIMIT_DEFAULT,
  LikedResponse,
  LikesPageQuery,
  LikesPageResponse,
  NOTIFICATIONS_LIMIT_DEFAULT,
  NotificationsQuery,
  NotificationsResponse,
  ReadHeaders,
  UserParams,
  UserVideoParams,
} from '../schemas.ts'

export function userRoutes(app: RegionApp, ctx: RegionContext): void {
  app.get(
    '/v1/users/:userId/likes/:videoId',
    {
      schema: {
        summary: 'Has the user liked the video?',
        tags: ['engagement'],
        params: UserVideoParams,
        headers: ReadHeaders,
        response: { 200: LikedResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { userId, videoId } = request.params
      callCore(ctx, request, reply, 'read', (core, nowMs, region) => {
        const result = core.readLiked({ nowMs, region, userId, videoId })
        return result.ok ? { ...result, value: { userId, videoId, ...result.value } } : result
      })
    },
  )

  app.get(
    '/v1/users/:userId/likes',
    {
      schema: {
        summary: 'The videos a user likes, a page at a time (ordered by video id)',
        tags: ['engagement'],
        params: UserParams,
        querystring: LikesPageQuery,
        headers: ReadHeaders,
        response: { 200: LikesPageResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { userId } = request.params
      const { cursor, limit = LIKES_PAGE_LIMIT_DEFAULT } = request.query
      callCore(ctx, request, reply, 'read', (core, nowMs, region) => core.listLikes({ nowMs, region, userId, cursor, limit }))
    },
  )

  app.get(
    '/v1/users/:userId/notifications',
    {
      schema: {
        summary: 'Recent "someone liked your video" notifications, newest first',
        tags: ['engagement'],
        params: UserParams,
        querystring: NotificationsQuery,
        headers: ReadHeaders,
        response: { 200: NotificationsResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { userId } = request.params
      const { limit = NOTIFICATIONS_LIMIT_DEFAULT } = request.query
      callCore(ctx, request, reply, 'read', (core, nowMs, region) => core.readNotifications({ nowMs, region, userId, limit }))
    },
  )
}
