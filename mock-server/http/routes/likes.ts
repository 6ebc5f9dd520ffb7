// POST /v1/videos/:videoId/likes and DELETE /v1/videos/:videoId/likes/:userId: like and unlike,
// idempotent per Idempotency-Key as the strategy dictates (robust replays, naive applies again).
import type { RegionApp } from '../app.ts'
import { callCore, type RegionContext } from '../core-call.ts'
import { ERROR_RESPONSES, LikeBody, LikeResponse, VideoParams, VideoUserParams, WriteHeaders } from '../schemas.ts'

export function likeRoutes(app: RegionApp, ctx: RegionContext): void {
  app.post(
    '/v1/videos/:videoId/likes',
    {
      schema: {
        summary: 'Like a video',
        tags: ['engagement'],
        params: VideoParams,
        headers: WriteHeaders,
        body: LikeBody,
        response: { 200: LikeResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { videoId } = request.params
      const { userId } = request.body
      const idempotencyKey = request.headers['idempotency-key']
      callCore(ctx, request, reply, 'write', (core, nowMs, region) => core.like({ nowMs, region, userId, videoId, idempotencyKey }))
    },
  )

  app.delete(
    '/v1/videos/:videoId/likes/:userId',
    {
      schema: {
        summary: 'Unlike a video',
        tags: ['engagement'],
        params: VideoUserParams,
        headers: WriteHeaders,
        response: { 200: LikeResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { videoId, userId } = request.params
      const idempotencyKey = request.headers['idempotency-key']
      callCore(ctx, request, reply, 'write', (core, nowMs, region) => core.unlike({ nowMs, region, userId, videoId, idempotencyKey }))
    },
  )
}
