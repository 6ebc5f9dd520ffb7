// How each kind of operation is sent over HTTP: method, path, body, headers. Pure and free of
// Node APIs, so the HTTP driver uses it and the k6 export bundles the very same module into its
// script: both send identical requests.
import { OpKind } from '../../sim/operation.ts'

export interface RequestShape {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  /** JSON body, already serialized, or undefined. */
  readonly body: string | undefined
  /** Writes carry the idempotency key. */
  readonly idempotencyKey: string | undefined
}

export const PAGE_LIMIT = 1000

/**
 * @param key the operation's idempotency key (the same for every retry and duplicate), for writes
 */
export function requestShape(kind: number, { userId, videoId, watchMs, key }: { userId: string; videoId: string; watchMs: number; key: string }): RequestShape {
  const video = encodeURIComponent(videoId)
  const user = encodeURIComponent(userId)
  switch (kind) {
    case OpKind.ReadVideo:
      return { method: 'GET', path: `/v1/videos/${video}`, body: undefined, idempotencyKey: undefined }
    case OpKind.View:
      return { method: 'POST', path: `/v1/videos/${video}/views`, body: `{"userId":${JSON.stringify(userId)},"watchMs":${watchMs}}`, idempotencyKey: key }
    case OpKind.Like:
      return { method: 'POST', path: `/v1/videos/${video}/likes`, body: `{"userId":${JSON.stringify(userId)}}`, idempotencyKey: key }
    case OpKind.Unlike:
      return { method: 'DELETE', path: `/v1/videos/${video}/likes/${user}`, body: undefined, idempotencyKey: key }
    default:
      return { method: 'GET', path: `/v1/users/${user}/likes/${video}`, body: undefined, idempotencyKey: undefined }
  }
}

/** Final-phase reads: a user's liked videos, a page at a time; a creator's notifications. */
export function likesPagePath(userId: string, cursor: string | undefined): string {
  const base = `/v1/users/${encodeURIComponent(userId)}/likes?limit=${PAGE_LIMIT}`
  return cursor === undefined ? base : `${base}&cursor=${encodeURIComponent(cursor)}`
}

export function notificationsPath(userId: string, limit: number): string {
  return `/v1/users/${encodeURIComponent(userId)}/notifications?limit=${limit}`
}

export function videoPath(videoId: string): string {
  return `/v1/videos/${encodeURIComponent(videoId)}`
}
