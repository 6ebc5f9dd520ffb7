// Which accounts the purges removed and which likes went with them, by name, so that a creator's
// like that disappeared is explained: the account, what it truly was, the purge, the detector's
// score and reasons. Bounded: the first PURGE_TRACE_MAX of each, the purges' mistakes (a person
// taken by a bot purge, an active account by an inactive purge) before the rest, so that the
// bound never hides a mistake behind bots or the inactive accounts a purge rightly removed, and a
// count of the rest. The views a purge removed (a system that removes them) are listed the same
// way, per account and video.
import { USER_KIND_NAMES, UserKind } from '../population.ts'
import { isBotKind } from './detection-curve.ts'
import type { CheckContext } from './check-types.ts'

export const PURGE_TRACE_MAX = 200

export interface PurgedAccountTrace {
  readonly userId: string
  /** What the account truly was (the world's ground truth). */
  readonly kind: (typeof USER_KIND_NAMES)[number]
  readonly purge: 'bot' | 'inactive'
  readonly atMs: number
  /** The detector's score (bot purges that report one). */
  readonly score: number | null
  readonly reasons: readonly string[]
}

export interface RemovedLikeTrace {
  readonly userId: string
  readonly videoId: string
  readonly kind: (typeof USER_KIND_NAMES)[number]
  readonly purge: 'bot' | 'inactive'
  readonly removedAtMs: number
}

export interface RemovedViewsTrace {
  readonly userId: string
  readonly videoId: string
  /** How many of the account's views of the video the purge removed. */
  readonly views: number
  readonly kind: (typeof USER_KIND_NAMES)[number]
  readonly purge: 'bot' | 'inactive'
  readonly removedAtMs: number
}

export interface PurgeTrace {
  readonly accounts: readonly PurgedAccountTrace[]
  /** Purged accounts past the bound, not listed. */
  readonly accountsNotListed: number
  readonly likes: readonly RemovedLikeTrace[]
  readonly likesNotListed: number
  /** Removed views, per account and video: present when a purge removed any (a system that removes them). */
  readonly views?: readonly RemovedViewsTrace[]
  readonly viewsNotListed?: number
}

export function tracePurges(ctx: CheckContext): PurgeTrace {
  const { population } = ctx
  const kindName = (user: number): (typeof USER_KIND_NAMES)[number] => USER_KIND_NAMES[population.truth.kind[user] as number] as (typeof USER_KIND_NAMES)[number]
  const mistake = (user: number, purge: 'bot' | 'inactive'): boolean =>
    purge === 'bot' ? !isBotKind(population.truth.kind[user] as number) : population.truth.kind[user] !== UserKind.Inactive
  const accounts = new Bounded<PurgedAccountTrace>()
  const likes = new Bounded<RemovedLikeTrace>()
  const views = new Bounded<RemovedViewsTrace>()
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined) continue
    purge.accounts.forEach((user, i) => {
      const score = purge.accountScores?.[i]
      accounts.add(mistake(user, purge.kind), { userId: population.userIds.get(user) as string, kind: kindName(user), purge: purge.kind, atMs: purge.atMs, score: score ?? null, reasons: purge.reasons[i] ?? [] })
    })
    purge.removedUsers.forEach((user, j) => {
      const video = purge.removedVideos[j] as number
      likes.add(mistake(user, purge.kind), { userId: population.userIds.get(user) as string, videoId: population.videoIds.get(video) as string, kind: kindName(user), purge: purge.kind, removedAtMs: purge.atMs })
    })
    const removed = purge.removedViews
    removed?.users.forEach((user, j) => {
      const video = removed.videos[j] as number
      const item = { userId: population.userIds.get(user) as string, videoId: population.videoIds.get(video) as string, views: removed.views[j] as number }
      views.add(mistake(user, purge.kind), { ...item, kind: kindName(user), purge: purge.kind, removedAtMs: purge.atMs })
    })
  }
  const listedAccounts = accounts.listed()
  const listedLikes = likes.listed()
  const listedViews = views.listed()
  return {
    accounts: listedAccounts,
    accountsNotListed: accounts.total - listedAccounts.length,
    likes: listedLikes,
    likesNotListed: likes.total - listedLikes.length,
    // Absent where no purge removed a view: results of runs without one read as they always did.
    ...(views.total > 0 ? { views: listedViews, viewsNotListed: views.total - listedViews.length } : {}),
  }
}

/** The first PURGE_TRACE_MAX items, first-listed ones before the rest, each in the order added. */
class Bounded<T> {
  private readonly first: T[] = []
  private readonly rest: T[] = []
  total = 0

  add(first: boolean, item: T): void {
    this.total++
    if (first && this.first.length < PURGE_TRACE_MAX) this.first.push(item)
    else if (!first && this.rest.length < PURGE_TRACE_MAX) this.rest.push(item)
  }

  listed(): T[] {
    return [...this.first, ...this.rest].slice(0, PURGE_TRACE_MAX)
  }
}
