// POST /v1/videos/:videoId/views: a user watched a video for watchMs; returns the video's view counts.
import type { RegionApp } from '../app.ts'
import { callCore, type RegionContext } from '../core-call.ts'
import { ERROR_RESPONSES, VideoParams, ViewBody, ViewResponse, WriteHeaders } from '../schemas.ts'

export function viewRoutes(app: RegionApp, ctx: RegionContext): void {
  app.post(
    '/v1/videos/:videoId/views',
    {
      schema: {
        summary: 'Record a view',
        tags: ['engagement'],
        params: VideoParams,
        headers: WriteHeaders,
        body: ViewBody,
        response: { 200: ViewResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { videoId } = request.params
      const { userId, watchMs } = request.body
      const idempotencyKey = request.headers['idempotency-key']
      callCore(ctx, request, reply, 'count-read', (core, nowMs, region) => core.view({ nowMs, region, userId, videoId, watchMs, idempotencyKey }))
    },
  )
}
