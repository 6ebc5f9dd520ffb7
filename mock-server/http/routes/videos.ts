// GET /v1/videos/:videoId: a video's counts as this region sees them; `stale` and `asOfMs` say how
// fresh they are (robust serves last-known-good counts when the counter cache is slow; naive 0).
import type { RegionApp } from '../app.ts'
import { callCore, type RegionContext } from '../core-call.ts'
import { ERROR_RESPONSES, ReadHeaders, VideoCountsResponse, VideoParams } from '../schemas.ts'

export function videoRoutes(app: RegionApp, ctx: RegionContext): void {
  app.get(
    '/v1/videos/:videoId',
    {
      schema: {
        summary: 'Read a video’s counts',
        tags: ['engagement'],
        params: VideoParams,
        headers: ReadHeaders,
        response: { 200: VideoCountsResponse, ...ERROR_RESPONSES },
      },
    },
    (request, reply) => {
      const { videoId } = request.params
      callCore(ctx, request, reply, 'count-read', (core, nowMs, region) => core.readVideo({ nowMs, region, videoId }))
    },
  )
}
