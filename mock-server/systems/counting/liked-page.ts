// A page of a user's liked videos in one region, ordered by video id, after a cursor video.
import type { RegionReplica } from '../../core/region-replica.ts'
import type { SystemRequest } from '../system.ts'

const LIKES_PAGE_MAX = 1000

export function likedPageOf(replica: RegionReplica, ids: readonly string[], request: SystemRequest): { videos: number[]; more: boolean } {
  const limit = clampLimit(request.limit, LIKES_PAGE_MAX)
  const liked = (replica.likedVideos(request.user) ?? []).sort((a, b) => compareIds(ids[a] as string, ids[b] as string))
  let start = 0
  const afterId = request.afterVideo < 0 ? undefined : ids[request.afterVideo]
  if (afterId !== undefined && afterId !== '') {
    while (start < liked.length && (ids[liked[start] as number] as string) <= afterId) start++
  }
  return { videos: liked.slice(start, start + limit), more: start + limit < liked.length }
}

/** String order of ids (what Array.prototype.sort does by default). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A page size within [1, max]; anything that is not a finite number gets the maximum. */
export function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(max, Math.floor(limit))) : max
}
