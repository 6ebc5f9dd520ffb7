// What the script keeps of an admin state read and of each final read, as tags: the answer's
// bodies turned into strings the ingester parses back. Pure and free of Node APIs (the script
// bundles it; the tests' fixture writer builds its points with the same functions).
import type { Tags } from './op-values.ts'

/**
 * A state read of the admin API: the target's clock (`now`), per region (in `regionIds` order) its
 * replication watermark and counts digest, the core's counters, and the world it serves.
 */
export function stateReadTags(body: unknown, regionIds: readonly string[], target: string): Tags {
  if (typeof body !== 'object' || body === null) return {}
  const state = body as { nowMs?: unknown; regions?: unknown; counters?: unknown; world?: unknown }
  const regions = Array.isArray(state.regions) ? (state.regions as Array<{ region?: unknown; watermarkMs?: unknown; countsDigest?: unknown }>) : []
  const byId: Record<string, { watermarkMs?: unknown; countsDigest?: unknown }> = {}
  for (const region of regions) if (typeof region.region === 'string') byId[region.region] = region
  const tags: Tags = {
    now: typeof state.nowMs === 'number' ? String(state.nowMs) : '',
    marks: regionIds
      .map((id) => {
        const mark = byId[id] === undefined ? undefined : (byId[id] as { watermarkMs?: unknown }).watermarkMs
        return typeof mark === 'number' ? String(mark) : 'NaN'
      })
      .join(','),
    digests: regionIds
      .map((id) => {
        const digest = byId[id] === undefined ? undefined : (byId[id] as { countsDigest?: unknown }).countsDigest
        return typeof digest === 'string' ? digest : ''
      })
      .join(','),
    target,
  }
  if (typeof state.counters === 'object' && state.counters !== null) {
    const counters = state.counters as Record<string, unknown>
    tags['counters'] = Object.keys(counters)
      .filter((name) => typeof counters[name] === 'number')
      .map((name) => `${name}=${String(counters[name])}`)
      .join(';')
  }
  if (typeof state.world === 'object' && state.world !== null) {
    const world = state.world as { scenario?: unknown; seed?: unknown; scale?: unknown; strategy?: unknown }
    tags['world'] = `${String(world.scenario)}|${String(world.seed)}|${String(world.scale)}`
    tags['strategy'] = String(world.strategy)
  }
  return tags
}

/**
 * A purge report's size, kept on the admin point of the purge. `views`: the entries of its
 * removedViews, only when it has that list (a system that does not remove views sends none).
 */
export function purgeReportTags(body: unknown): Tags {
  const report = body as { atMs?: unknown; accounts?: unknown; removedLikes?: unknown; removedViews?: unknown } | null | undefined
  if (report === undefined || report === null || typeof report.atMs !== 'number' || !Array.isArray(report.accounts)) return {}
  const views = Array.isArray(report.removedViews) ? { views: String(report.removedViews.length) } : {}
  return { at: String(report.atMs), accounts: String(report.accounts.length), likes: String(Array.isArray(report.removedLikes) ? report.removedLikes.length : 0), ...views }
}

export interface PurgeEntries {
  readonly accounts: ReadonlyArray<{ readonly userId: string; readonly reasons: string }>
  readonly likes: ReadonlyArray<{ readonly userId: string; readonly videoId: string }>
  /** Removed views (how many, as a string), when the report lists them. */
  readonly views?: ReadonlyArray<{ readonly userId: string; readonly videoId: string; readonly views: string }>
}

/** Every account, removed like and removed view of a purge report (reasons as a JSON list). */
export function purgeEntries(body: unknown): PurgeEntries {
  const report = (body ?? {}) as { accounts?: unknown; removedLikes?: unknown; removedViews?: unknown }
  const accounts = Array.isArray(report.accounts) ? (report.accounts as Array<{ userId?: unknown; reasons?: unknown }>) : []
  const likes = Array.isArray(report.removedLikes) ? (report.removedLikes as Array<{ userId?: unknown; videoId?: unknown }>) : []
  const views = Array.isArray(report.removedViews) ? (report.removedViews as Array<{ userId?: unknown; videoId?: unknown; views?: unknown }>) : undefined
  return {
    accounts: accounts.map((account) => ({
      userId: String(account.userId),
      reasons: JSON.stringify(Array.isArray(account.reasons) ? account.reasons.filter((r): r is string => typeof r === 'string') : []),
    })),
    likes: likes.map((like) => ({ userId: String(like.userId), videoId: String(like.videoId) })),
    ...(views === undefined ? {} : { views: views.map((item) => ({ userId: String(item.userId), videoId: String(item.videoId), views: String(item.views) })) }),
  }
}

/** A final read of a video's counts: fresh counts, or undefined (a last-known-good count is no final count: read again). */
export function finalVideoTags(body: unknown): Tags | undefined {
  const b = body as { likeCount?: unknown; viewCount?: unknown; uniqueViewers?: unknown; stale?: unknown } | null | undefined
  if (b === undefined || b === null || typeof b.likeCount !== 'number' || typeof b.viewCount !== 'number' || typeof b.uniqueViewers !== 'number') return undefined
  if (b.stale !== false) return undefined
  return { likeCount: String(b.likeCount), viewCount: String(b.viewCount), uniqueViewers: String(b.uniqueViewers), stale: 'false' }
}

/** A page of a user's liked videos: the ids, and the cursor of the next page ('' on the last). */
export function finalLikesTags(body: unknown): Tags | undefined {
  const page = body as { videoIds?: unknown; nextCursor?: unknown } | null | undefined
  if (page === undefined || page === null || !Array.isArray(page.videoIds) || !(page.nextCursor === null || typeof page.nextCursor === 'string')) return undefined
  return { videos: (page.videoIds as unknown[]).map(String).join(','), next: page.nextCursor === null ? '' : page.nextCursor }
}

/** A creator's notifications, each `videoId|fromUserId|likedAtMs|deliveredAtMs` (ids never hold , or |). */
export function finalInboxTags(body: unknown, limit: number): Tags | undefined {
  const list = body === undefined || body === null ? undefined : (body as { notifications?: unknown }).notifications
  if (!Array.isArray(list)) return undefined
  const notes = (list as Array<{ videoId?: unknown; fromUserId?: unknown; likedAtMs?: unknown; deliveredAtMs?: unknown }>).map(
    (n) => `${String(n.videoId)}|${String(n.fromUserId)}|${String(n.likedAtMs)}|${String(n.deliveredAtMs)}`,
  )
  return { notes: notes.join(','), limit: String(limit) }
}
