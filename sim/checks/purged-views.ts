// Which accounts' views the purges removed (issue 18: a purge of a view farm takes its views out of
// the counts). A purge whose record carries `removedViews` is one whose system says it removes the
// purged accounts' views: every view of every account it purged (a purged account is refused
// afterwards, so that is all of them). A purge without the list left its accounts' views counted.
// The checks that read views (view-counts, never-zero, farm-quality) leave those accounts' views
// out; purge-accuracy holds every removed view to an account its purge removed.
import { OpKind } from '../operation.ts'
import type { PurgeRecord } from '../history.ts'
import { type CheckContext, type CheckExample, seconds, userIdOf, videoIdOf } from './check-types.ts'

/**
 * 1 for each account (world user index) whose views a purge removed; undefined when no purge says
 * its system removes views (nothing is left out: checks read as they always did).
 */
export function viewsRemovedFrom(ctx: Pick<CheckContext, 'history' | 'population'>): Uint8Array | undefined {
  let removed: Uint8Array | undefined
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge?.removedViews === undefined) continue
    removed ??= new Uint8Array(ctx.population.userCount)
    for (const user of purge.accounts) removed[user] = 1
  }
  return removed
}

/** Removed views whose account their purge did not remove: how many entries, and the first few. */
export function untracedViewRemovals(ctx: CheckContext): { count: number; examples: CheckExample[] } {
  const examples: CheckExample[] = []
  let count = 0
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge?.removedViews === undefined) continue
    const purged = new Set(purge.accounts)
    const { users, videos, views } = purge.removedViews
    users.forEach((user, j) => {
      if (purged.has(user)) return
      count++
      if (examples.length >= ctx.examplesMax) return
      const video = videos[j] as number
      examples.push({
        message: `${views[j] as number} view(s) by ${userIdOf(ctx, user)} of ${videoIdOf(ctx, video)} removed by the ${purge.kind} purge at ${seconds(purge.atMs)}, which did not remove ${userIdOf(ctx, user)}`,
        userId: userIdOf(ctx, user),
        videoId: videoIdOf(ctx, video),
        atMs: purge.atMs,
      })
    })
  }
  return { count, examples }
}

/** Why a view count is wrong, naming the account and the time to show in the example. */
export interface ViewCountCause {
  readonly cause: string
  readonly user: number
  readonly atMs: number
}

/**
 * Why a video counts more views than its accounts left could have made, when some of them came
 * from accounts a purge removed with their views: one such account, its views, and whether the
 * purge's report says it removed them (the system said so and did not) or not (it left them).
 */
export function purgedViewsStillCounted(ctx: CheckContext, video: number, removed: Uint8Array): ViewCountCause | undefined {
  const { history } = ctx
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.View) || history.videoOf(i) !== video) continue
    const user = history.userOf(i)
    if (removed[user] !== 1) continue
    const purge = purgeOf(ctx, user)
    if (purge === undefined) continue
    const listed = listedViews(purge, user, video)
    const report = listed > 0 ? `its report says it removed ${listed} of them` : 'its report does not list them'
    const cause = `; views of accounts purged with their views still count: e.g. ${userIdOf(ctx, user)} viewed it at ${seconds(history.invokeMsOf(i))} and was purged by the ${purge.kind} purge at ${seconds(purge.atMs)} (${report})`
    return { cause, user, atMs: purge.atMs }
  }
  return undefined
}

/** Why a video counts fewer views than expected, when a purge removed views of it from an account it did not purge. */
export function viewsRemovedFromOthers(ctx: CheckContext, video: number): ViewCountCause | undefined {
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge?.removedViews === undefined) continue
    const { users, videos } = purge.removedViews
    for (let j = 0; j < users.length; j++) {
      const user = users[j] as number
      if (videos[j] !== video || purge.accounts.includes(user)) continue
      return { cause: `; the ${purge.kind} purge at ${seconds(purge.atMs)} removed ${userIdOf(ctx, user)}'s views of it, though it did not purge ${userIdOf(ctx, user)}`, user, atMs: purge.atMs }
    }
  }
  return undefined
}

/** The first purge that removed the account with its views. */
function purgeOf(ctx: Pick<CheckContext, 'history'>, user: number): PurgeRecord | undefined {
  for (const fault of ctx.history.faults) if (fault.purge?.removedViews !== undefined && fault.purge.accounts.includes(user)) return fault.purge
  return undefined
}

/** How many views of the pair the purge's report says it removed. */
function listedViews(purge: PurgeRecord, user: number, video: number): number {
  const listed = purge.removedViews
  if (listed === undefined) return 0
  let views = 0
  for (let j = 0; j < listed.users.length; j++) if (listed.users[j] === user && listed.videos[j] === video) views += listed.views[j] as number
  return views
}
