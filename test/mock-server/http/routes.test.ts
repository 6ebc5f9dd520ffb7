// The /v1 API and the operations routes through inject(): each route's success response, checked
// against its TypeBox schema, and what it means (counts, pages, notifications, region routing).
import { Value } from 'typebox/value'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EngagementServer } from '../../../mock-server/http/app.ts'
import { capabilityProblems } from '../../../mock-server/http/capabilities.ts'
import { ManualClock } from '../../../mock-server/http/clock.ts'
import {
  HealthResponse,
  LikedResponse,
  LikeResponse,
  LikesPageResponse,
  NotificationsResponse,
  ReadyResponse,
  VideoCountsResponse,
  ViewResponse,
} from '../../../mock-server/http/schemas.ts'
import { EU, like, makeServer, send, US } from './support.ts'

let server: EngagementServer
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock(1000)
  server = await makeServer({ clock })
})

afterEach(async () => {
  await server.close({ drainMsMax: 0 })
})

describe('likes', () => {
  it('POST /v1/videos/:videoId/likes likes once, however often it is sent', async () => {
    const first = await like(server, 'v01', 'u01')
    expect(first.status).toBe(200)
    expect(Value.Check(LikeResponse, first.body)).toBe(true)
    expect(first.body).toMatchObject({ videoId: 'v01', userId: 'u01', liked: true, likeCount: 1, stale: false })
    const again = await like(server, 'v01', 'u01')
    expect(again.body).toMatchObject({ liked: true, likeCount: 1 })
    const other = await like(server, 'v01', 'u02')
    expect(other.body).toMatchObject({ likeCount: 2 })
  })

  it('DELETE /v1/videos/:videoId/likes/:userId unlikes', async () => {
    await like(server, 'v01', 'u01')
    const unliked = await send(server, { method: 'DELETE', url: '/v1/videos/v01/likes/u01' })
    expect(unliked.status).toBe(200)
    expect(Value.Check(LikeResponse, unliked.body)).toBe(true)
    expect(unliked.body).toMatchObject({ videoId: 'v01', userId: 'u01', liked: false, likeCount: 0 })
  })
})

describe('views and counts', () => {
  it('POST /v1/videos/:videoId/views counts views and unique viewers', async () => {
    const view = (userId: string) => send(server, { method: 'POST', url: '/v1/videos/v02/views', payload: { userId, watchMs: 4200 } })
    await view('u01')
    await view('u01')
    const third = await view('u02')
    expect(third.status).toBe(200)
    expect(Value.Check(ViewResponse, third.body)).toBe(true)
    expect(third.body).toEqual({ videoId: 'v02', viewCount: 3, uniqueViewers: 2 })
  })

  it('GET /v1/videos/:videoId reads likes and views, fresh and as of now', async () => {
    await like(server, 'v03', 'u01')
    await send(server, { method: 'POST', url: '/v1/videos/v03/views', payload: { userId: 'u01', watchMs: 0 } })
    const read = await send(server, { url: '/v1/videos/v03' })
    expect(read.status).toBe(200)
    expect(Value.Check(VideoCountsResponse, read.body)).toBe(true)
    expect(read.body).toMatchObject({ videoId: 'v03', likeCount: 1, viewCount: 1, uniqueViewers: 1, stale: false })
  })
})

describe('a user’s likes', () => {
  it('GET /v1/users/:userId/likes/:videoId says whether the user likes the video', async () => {
    await like(server, 'v04', 'u05')
    const yes = await send(server, { url: '/v1/users/u05/likes/v04' })
    expect(yes.status).toBe(200)
    expect(Value.Check(LikedResponse, yes.body)).toBe(true)
    expect(yes.body).toMatchObject({ userId: 'u05', videoId: 'v04', liked: true })
    const no = await send(server, { url: '/v1/users/u06/likes/v04' })
    expect(no.body).toMatchObject({ liked: false })
  })

  it('GET /v1/users/:userId/likes pages through liked videos with a cursor', async () => {
    for (const videoId of ['v05', 'v01', 'v03']) await like(server, videoId, 'u07')
    const first = await send(server, { url: '/v1/users/u07/likes?limit=2' })
    expect(first.status).toBe(200)
    expect(Value.Check(LikesPageResponse, first.body)).toBe(true)
    expect(first.body).toMatchObject({ userId: 'u07', videoIds: ['v01', 'v03'], nextCursor: 'v03' })
    const second = await send(server, { url: `/v1/users/u07/likes?limit=2&cursor=${first.body['nextCursor'] as string}` })
    expect(second.body).toMatchObject({ videoIds: ['v05'], nextCursor: null })
    const all = await send(server, { url: '/v1/users/u07/likes' })
    expect(all.body['videoIds']).toEqual(['v01', 'v03', 'v05'])
  })

  it('GET /v1/users/:userId/notifications lists "someone liked your video" once delivered', async () => {
    await like(server, 'v01', 'u08')
    const early = await send(server, { url: '/v1/users/c1/notifications' })
    expect(early.status).toBe(200)
    expect(early.body['notifications']).toEqual([])
    clock.advance(600)
    const later = await send(server, { url: '/v1/users/c1/notifications?limit=5' })
    expect(Value.Check(NotificationsResponse, later.body)).toBe(true)
    expect(later.body['notifications']).toEqual([{ videoId: 'v01', fromUserId: 'u08', likedAtMs: 1000, deliveredAtMs: 1500 }])
  })
})

describe('regions', () => {
  it('each region has its own app; writes replicate to the others after the lag', async () => {
    await like(server, 'v06', 'u01', { region: EU })
    const here = await send(server, { url: '/v1/videos/v06', region: EU })
    expect(here.body['likeCount']).toBe(1)
    const there = await send(server, { url: '/v1/videos/v06', region: US })
    expect(there.body['likeCount']).toBe(0)
    clock.advance(150)
    const later = await send(server, { url: '/v1/videos/v06', region: US })
    expect(later.body['likeCount']).toBe(1)
  })

  it('X-LikeStorm-Region routes a request to another region through this listener', async () => {
    await send(server, { method: 'POST', url: '/v1/videos/v07/likes', payload: { userId: 'u01' }, headers: { 'x-likestorm-region': EU }, region: US })
    expect((await send(server, { url: '/v1/videos/v07', region: EU })).body['likeCount']).toBe(1)
    expect((await send(server, { url: '/v1/videos/v07', region: US })).body['likeCount']).toBe(0)
  })
})

describe('operations', () => {
  it('GET /healthz and /readyz answer for the region', async () => {
    const health = await send(server, { url: '/healthz', region: EU })
    expect(health.status).toBe(200)
    expect(Value.Check(HealthResponse, health.body)).toBe(true)
    expect(health.body).toEqual({ status: 'ok', region: EU })
    const ready = await send(server, { url: '/readyz', region: EU })
    expect(ready.status).toBe(200)
    expect(Value.Check(ReadyResponse, ready.body)).toBe(true)
  })

  it('GET /.well-known/likestorm.json declares every capability, its regions unlisted until they listen', async () => {
    const doc = await send(server, { url: '/.well-known/likestorm.json', region: EU })
    expect(doc.status).toBe(200)
    expect(capabilityProblems(doc.body)).toEqual([])
    expect(doc.body).toEqual({
      version: 1,
      service: 'likestorm mock server',
      regions: Object.fromEntries(server.regions.map((region) => [region, null])),
      likedLists: true,
      notifications: true,
      notificationsMax: 100,
      world: 'loaded',
      staleness: 'asOf',
      admin: 'likestorm',
    })
  })

  it('GET /metrics serves the Prometheus text format with requests by route, region and status', async () => {
    await like(server, 'v01', 'u01')
    await like(server, 'nope', 'u01')
    const metrics = await send(server, { url: '/metrics' })
    expect(metrics.status).toBe(200)
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(metrics.text).toContain('likestorm_http_requests_total{route="/v1/videos/:videoId/likes",region="us-east",status="200"} 1')
    expect(metrics.text).toContain('likestorm_http_requests_total{route="/v1/videos/:videoId/likes",region="us-east",status="404"} 1')
    expect(metrics.text).toMatch(/likestorm_http_request_duration_seconds_bucket\{route="\/v1\/videos\/:videoId\/likes",region="us-east",status="200",le="\+Inf"\} 1/)
    expect(metrics.text).toMatch(/likestorm_replication_lag_seconds\{region="eu-west"\} [\d.]+/)
    expect(metrics.text).toMatch(/likestorm_region_up\{region="ap-southeast"\} 1/)
  })

  it('GET /openapi.json documents every route from its schemas', async () => {
    const doc = await send(server, { url: '/openapi.json' })
    expect(doc.status).toBe(200)
    expect(doc.body['openapi']).toBe('3.0.3')
    const paths = doc.body['paths'] as Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/admin/v1/directory',
        '/admin/v1/faults',
        '/admin/v1/purges/bot',
        '/admin/v1/purges/inactive',
        '/admin/v1/reset',
        '/admin/v1/state',
        '/admin/v1/takedowns',
        '/admin/v1/takedowns/{videoId}',
        '/.well-known/likestorm.json',
        '/healthz',
        '/metrics',
        '/openapi.json',
        '/readyz',
        '/v1/users/{userId}/likes',
        '/v1/users/{userId}/likes/{videoId}',
        '/v1/users/{userId}/notifications',
        '/v1/videos/{videoId}',
        '/v1/videos/{videoId}/likes',
        '/v1/videos/{videoId}/likes/{userId}',
        '/v1/videos/{videoId}/views',
      ].sort(),
    )
    const likePost = paths['/v1/videos/{videoId}/likes']?.['post']
    expect(Object.keys(likePost?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX', '5XX']))
    expect(paths['/admin/v1/state']?.['get']?.security).toEqual([{ adminToken: [] }])
  })
})
