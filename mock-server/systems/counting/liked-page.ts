// A page of a user's liked videos in one region, ordered by video id, after a cursor video.
import type { RegionReplica } from '../../core/region-replica.ts'
import type { DirectoryView, SystemRequest } from '../system.ts'

const LIKES_PAGE_MAX = 1000

export function likedPageOf(replica: RegionReplica, directory: DirectoryView, request: SystemRequest): { videos: number[]; more: boolean } {
  const limit = clampLimit(request.limit, LIKES_PAGE_MAX)
  const liked = (replica.likedVideos(request.user) ?? []).sort((a, b) => directory.compareVideoIds(a, b))
  let start = 0
  if (request.afterVideo >= 0 && request.afterVideo < directory.videoCount) {
    while (start < liked.length && directory.compareVideoIds(liked[start] as number, request.afterVideo) <= 0) start++
  }
  return { videos: liked.slice(start, start + limit), more: start + limit < liked.length }
}

/** A page size within [1, max]; anything that is not a finite number gets the maximum. */
export function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(max, Math.floor(limit))) : max
}
