// An adapter (docs/targets.md, "A service with its own API: adapters") for reactions-service.ts:
// each LikeStorm operation as a request on that API, each answer back as an outcome.
//   npx likestorm run baseline --mode http --target http://127.0.0.1:8090 --adapter examples/adapters/reactions-api.adapter.ts
import { defineAdapter, type AdapterOutcome, type AdapterResponse } from 'likestorm'

const video = (id: string): string => `/api/videos/${encodeURIComponent(id)}`
const user = (id: string): string => `/api/users/${encodeURIComponent(id)}`

/** The service's counts under LikeStorm's names. */
function counts(body: unknown): { likeCount: number; viewCount: number; uniqueViewers: number } {
  const b = body as { likes: number; views: number; viewers: number }
  return { likeCount: b.likes, viewCount: b.views, uniqueViewers: b.viewers }
}

/** A non-2xx answer in the client protocol's words: what to retry, what is final. */
function failed({ status }: AdapterResponse): AdapterOutcome {
  if (status === 429) return { ok: false, failure: 'rate-limited' }
  if (status === 503) return { ok: false, failure: 'shed' }
  if (status === 404) return { ok: false, failure: 'unknown-id' }
  if (status >= 500) return { ok: false, failure: 'server-error' }
  return { ok: false, failure: 'bad-request', detail: `status ${status}` }
}

export default defineAdapter({
  interfaceVersion: 1,
  name: 'reactions-api',
  // One region; liked lists; counts without a time they claim; ids taken on first use.
  capabilities: { version: 1, service: 'reactions service (examples/adapters)', likedLists: true, staleness: 'none', world: 'none' },

  request(op) {
    switch (op.op) {
      case 'like':
        return { method: 'POST', path: `${video(op.videoId)}/reactions`, headers: { 'x-request-id': op.key }, body: { user: op.userId, kind: 'like' } }
      case 'unlike':
        return { method: 'DELETE', path: `${video(op.videoId)}/reactions/${encodeURIComponent(op.userId)}`, headers: { 'x-request-id': op.key } }
      case 'view':
        return { method: 'POST', path: `${video(op.videoId)}/reactions`, headers: { 'x-request-id': op.key }, body: { user: op.userId, kind: 'view', watchMs: op.watchMs } }
      case 'read-counts':
        return { method: 'GET', path: `${video(op.videoId)}/stats` }
      case 'read-like':
        return { method: 'GET', path: `${user(op.userId)}/reactions/${encodeURIComponent(op.videoId)}` }
      case 'liked-list':
        return { method: 'GET', path: `${user(op.userId)}/liked?max=${op.limit}${op.cursor === undefined ? '' : `&after=${op.cursor}`}` }
      case 'health':
        return { method: 'GET', path: '/health' }
      default:
        // No notifications in this service: the run says the check is not applicable.
        return undefined
    }
  },

  response(op, answer) {
    if (answer.status < 200 || answer.status > 299) return failed(answer)
    const body = answer.body as Record<string, unknown>
    switch (op.op) {
      case 'like':
      case 'unlike':
        return { ok: true, value: { likeCount: counts(body).likeCount } }
      case 'view': {
        const { viewCount, uniqueViewers } = counts(body)
        return { ok: true, value: { viewCount, uniqueViewers } }
      }
      case 'read-counts':
        return { ok: true, value: counts(body) }
      case 'read-like':
        return { ok: true, value: { liked: body['liked'] } }
      case 'liked-list':
        return { ok: true, value: { videoIds: body['items'], nextCursor: body['next'] === null ? null : String(body['next']) } }
      default:
        return { ok: true, value: {} }
    }
  },
})
