// purge-accuracy: the purged accounts and likes against the world's truth. Precision and recall
// per farm kind (and for inactive purges), and the share of genuine likes that went with them;
// each compared with the scenario's targets. Kinds without a target are reported, not judged.
// Always judged: every like a purge removed belongs to an account that purge removed (a purge is
// traceable: a creator's like that disappeared is explained by the account that went with it), and
// so does every view it removed, for a system that removes views (purged-views.ts).
// Recall depends on the farms' traffic reaching the system as the scenario scheduled it: a
// shortfall on a run whose load generator could not keep the schedule (mode http, a starved
// driver dropping or delaying bots' likes) is inconclusive; wrong purges are judged always.
import { type CheckContext, type CheckResult, type CheckExample, type FarmKindTargets, seconds, statusOf, timingVerdict, userIdOf, videoIdOf } from './check-types.ts'
import { measureDetection, type KindQuality } from './detection-quality.ts'
import { UserKind } from '../population.ts'
import { untracedViewRemovals } from './purged-views.ts'

export function checkPurgeAccuracy(ctx: CheckContext): CheckResult {
  const quality = measureDetection(ctx)
  const targets = ctx.config['purge-accuracy'] ?? {}
  const failures: string[] = []
  const recallFailures: string[] = []
  // A target is judged where it can be: precision needs flagged accounts, recall needs accounts
  // of the kind and a purge of that sort (a kind absent from the world has nothing to find).
  const judge = (label: string, q: KindQuality, minPrecision?: number, minRecall?: number): void => {
    if (minPrecision !== undefined && q.precision !== null && q.precision < minPrecision) failures.push(`${label} precision ${fmt(q.precision)} < ${minPrecision}`)
    if (minRecall !== undefined && q.accounts > 0 && !(q.recall !== null && q.recall >= minRecall)) recallFailures.push(`${label} recall ${fmt(q.recall)} < ${minRecall}`)
  }
  const p: FarmKindTargets = targets.minPrecision ?? {}
  const r: FarmKindTargets = targets.minRecall ?? {}
  judge('careless', quality.byFarmKind.careless, p.careless, r.careless)
  judge('stealthy', quality.byFarmKind.stealthy, p.stealthy, r.stealthy)
  judge('inactive', quality.inactive, p.inactive, r.inactive)
  const maxGenuine = targets.maxGenuineLikesRemovedRatio
  if (maxGenuine !== undefined && (quality.genuineLikesRemovedRatio ?? 0) > maxGenuine) {
    failures.push(`genuine likes removed ${fmt(quality.genuineLikesRemovedRatio)} > ${maxGenuine}`)
  }
  const purges = quality.botPurges + quality.inactivePurges
  if (purges === 0) failures.push('no purge ran')
  const untraced = untracedRemovals(ctx)
  if (untraced.count > 0) failures.push(`${untraced.count} removed like(s) belong to no account their purge removed`)
  const untracedViews = untracedViewRemovals(ctx)
  if (untracedViews.count > 0) failures.push(`${untracedViews.count} removed view record(s) belong to no account their purge removed`)
  // A detector that failed is the detector's failure: its purge removed nobody, and says why.
  for (const fault of ctx.history.faults) {
    const error = fault.purge?.detectorError
    if (error !== undefined) failures.push(`the bot purge at ${seconds(fault.purge?.atMs ?? 0)} removed nobody: ${error}`)
  }
  const viewsRemoved = ctx.history.faults.some((fault) => (fault.purge?.removedViews?.users.length ?? 0) > 0)
  const result = report(ctx, quality, { failures: [...failures, ...recallFailures], p, r, maxGenuine, untraced: [...untraced.examples, ...untracedViews.examples], viewsRemoved })
  return failures.length === 0 ? timingVerdict(result, ctx.harness) : result
}

function report(
  ctx: CheckContext,
  quality: ReturnType<typeof measureDetection>,
  {
    failures,
    p,
    r,
    maxGenuine,
    untraced,
    viewsRemoved,
  }: { failures: readonly string[]; p: FarmKindTargets; r: FarmKindTargets; maxGenuine: number | undefined; untraced: readonly CheckExample[]; viewsRemoved: boolean },
): CheckResult {
  const expectedParts: string[] = []
  for (const [label, min] of [['careless', p.careless], ['stealthy', p.stealthy], ['inactive', p.inactive]] as const) if (min !== undefined) expectedParts.push(`${label} precision >= ${min}`)
  for (const [label, min] of [['careless', r.careless], ['stealthy', r.stealthy], ['inactive', r.inactive]] as const) if (min !== undefined) expectedParts.push(`${label} recall >= ${min}`)
  if (maxGenuine !== undefined) expectedParts.push(`genuine likes removed <= ${maxGenuine}`)
  // Views named only where a purge removed some, so that other runs read as they always did.
  expectedParts.push(viewsRemoved ? 'every removed like and view belongs to an account its purge removed' : 'every removed like belongs to an account its purge removed')
  return {
    name: 'purge-accuracy',
    status: statusOf(failures.length === 0),
    observed:
      `careless P=${fmt(quality.byFarmKind.careless.precision)} R=${fmt(quality.byFarmKind.careless.recall)}, ` +
      `stealthy P=${fmt(quality.byFarmKind.stealthy.precision)} R=${fmt(quality.byFarmKind.stealthy.recall)}, ` +
      (quality.inactivePurges > 0 ? `inactive P=${fmt(quality.inactive.precision)} R=${fmt(quality.inactive.recall)}, ` : '') +
      `${quality.genuineAccountsPurged} genuine account(s) purged, genuine likes removed ${fmt(quality.genuineLikesRemovedRatio)}` +
      (failures.length > 0 ? ` — ${failures.join('; ')}` : ''),
    expected: expectedParts.join(', '),
    values: {
      carelessPrecision: quality.byFarmKind.careless.precision,
      carelessRecall: quality.byFarmKind.careless.recall,
      stealthyPrecision: quality.byFarmKind.stealthy.precision,
      stealthyRecall: quality.byFarmKind.stealthy.recall,
      inactivePrecision: quality.inactive.precision,
      inactiveRecall: quality.inactive.recall,
      genuineAccountsPurged: quality.genuineAccountsPurged,
      genuineLikesRemoved: quality.genuineLikesRemoved,
      genuineLikesRemovedRatio: quality.genuineLikesRemovedRatio,
      likesRemoved: quality.likesRemoved,
    },
    // The untraced removals first: they are the purge's own fault, whatever the detector did.
    examples: [...untraced, ...wronglyPurged(ctx)].slice(0, ctx.examplesMax),
  }
}

/** Removed likes whose account their purge did not remove: how many, and the first few. */
function untracedRemovals(ctx: CheckContext): { count: number; examples: CheckExample[] } {
  const examples: CheckExample[] = []
  let count = 0
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined) continue
    const purged = new Set(purge.accounts)
    purge.removedUsers.forEach((user, j) => {
      if (purged.has(user)) return
      count++
      if (examples.length >= ctx.examplesMax) return
      const video = purge.removedVideos[j] as number
      examples.push({
        message: `like by ${ctx.population.userIds.get(user)} on ${ctx.population.videoIds.get(video)} removed by the ${purge.kind} purge at ${seconds(purge.atMs)}, which did not remove ${ctx.population.userIds.get(user)}`,
        userId: userIdOf(ctx, user),
        videoId: videoIdOf(ctx, video),
        atMs: purge.atMs,
      })
    })
  }
  return { count, examples }
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4)
}

/** Genuine likes and genuine accounts a purge removed, with the system's reasons. */
function wronglyPurged(ctx: CheckContext): CheckExample[] {
  const examples: CheckExample[] = []
  const { population } = ctx
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined || purge.kind !== 'bot') continue
    purge.removedUsers.forEach((user, j) => {
      if (examples.length >= ctx.examplesMax || population.truth.kind[user] !== UserKind.Genuine) return
      const video = purge.removedVideos[j] as number
      examples.push({
        message: `genuine like by ${population.userIds.get(user)} on ${population.videoIds.get(video)} removed by the bot purge at ${seconds(purge.atMs)}`,
        userId: userIdOf(ctx, user),
        videoId: videoIdOf(ctx, video),
        atMs: purge.atMs,
      })
    })
  }
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined) continue
    purge.accounts.forEach((user, i) => {
      if (examples.length >= ctx.examplesMax || ctx.population.truth.kind[user] !== UserKind.Genuine) return
      examples.push({
        message: `genuine account ${ctx.population.userIds.get(user)} purged by the ${purge.kind} purge at ${seconds(purge.atMs)} (${(purge.reasons[i] ?? []).join(', ')})`,
        userId: userIdOf(ctx, user),
        atMs: purge.atMs,
      })
    })
  }
  return examples
}
