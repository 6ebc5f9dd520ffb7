// Switching the fault timeline on the in-process core. Traffic faults (overload) are the world's
// business and need nothing here; a lossy network is the clients' path to a region (the sim
// client's ClientLoss), not the core's; purges run the system's own detection and are recorded
// with what the system said it removed, translated to world indices for the checkers.
import type { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import type { ClientLoss } from '../../mock-server/env/client-loss.ts'
import type { PurgeReport, PurgeScores } from '../../mock-server/core/types.ts'
import { describeFault, type FaultSpec } from '../../sim/faults.ts'
import type { FaultRecord, PurgeRecord } from '../../sim/history.ts'
import type { PurgeScoresRecord, RemovedViewsRecord } from '../../sim/history-records.ts'
import type { Population } from '../../sim/population.ts'

interface FaultSwitch {
  readonly core: EngagementCore
  readonly spec: FaultSpec
  readonly population: Population
  readonly atMs: number
  /** The clients' lossy paths to the regions; undefined when the timeline has no network-loss. */
  readonly loss: ClientLoss | undefined
}

export function applyFaultStart({ core, spec, population, atMs, loss, record }: FaultSwitch & { record: FaultRecord }): void {
  switch (spec.kind) {
    case 'overload':
      return
    case 'region-outage':
      core.setRegionUp(spec.region, false, atMs)
      return
    case 'partition':
      core.setPartition(spec.a, spec.b, true, atMs)
      return
    case 'slow-cache':
      core.setSlowCache(spec.region, spec.latencyMs)
      return
    case 'network-loss':
      loss?.start(describeFault(spec), spec.region, spec.share)
      return
    case 'bot-purge':
      record.purge = purgeRecord(core.runBotPurge(atMs), population)
      return
    case 'inactive-purge':
      record.purge = purgeRecord(core.runInactivePurge(atMs, { idleDays: spec.idleDays }), population)
      return
    case 'takedown':
      core.setTakenDown(takedownIds(spec.videoRanks, population), true)
      return
  }
}

export function applyFaultEnd({ core, spec, population, atMs, loss }: FaultSwitch): void {
  switch (spec.kind) {
    case 'region-outage':
      core.setRegionUp(spec.region, true, atMs)
      return
    case 'partition':
      core.setPartition(spec.a, spec.b, false, atMs)
      return
    case 'slow-cache':
      core.setSlowCache(spec.region, 0)
      return
    case 'network-loss':
      loss?.stop(describeFault(spec))
      return
    case 'takedown':
      core.setTakenDown(takedownIds(spec.videoRanks, population), false)
      return
    default:
      return
  }
}

export function takedownIds(ranks: readonly number[], population: Population): string[] {
  return ranks.map((rank) => population.videoIds.get(population.rankToVideo[rank - 1] as number) as string)
}

/** Lookups from the system's string ids back to world indices (the world's packed id tables are indexed). */
export class IdIndex {
  constructor(private readonly population: Population) {}

  user(id: string): number {
    return this.population.userIds.indexOf(id)
  }

  video(id: string): number {
    return this.population.videoIds.indexOf(id)
  }
}

const indexCache = new WeakMap<Population, IdIndex>()

export function idIndexFor(population: Population): IdIndex {
  let index = indexCache.get(population)
  if (index === undefined) {
    index = new IdIndex(population)
    indexCache.set(population, index)
  }
  return index
}

/** The history's record of a purge's report; `doneAtMs`: when it was surely complete, if later than it began. */
export function purgeRecord(report: PurgeReport, population: Population, doneAtMs?: number): PurgeRecord {
  const ids = idIndexFor(population)
  let unknownIds = 0
  const accounts: number[] = []
  const reasons: string[][] = []
  const scores: number[] = []
  for (const account of report.accounts) {
    const user = ids.user(account.userId)
    if (user < 0) {
      unknownIds++
      continue
    }
    accounts.push(user)
    reasons.push([...account.reasons])
    if (account.score !== undefined) scores.push(account.score)
  }
  const removedUsers: number[] = []
  const removedVideos: number[] = []
  for (const like of report.removedLikes) {
    const user = ids.user(like.userId)
    const video = ids.video(like.videoId)
    if (user < 0 || video < 0) {
      unknownIds++
      continue
    }
    removedUsers.push(user)
    removedVideos.push(video)
  }
  const removedViews = report.removedViews === undefined ? undefined : viewsRecord(report.removedViews, ids)
  if (removedViews !== undefined) unknownIds += removedViews.unknownIds
  const done = doneAtMs === undefined || doneAtMs <= report.atMs ? {} : { doneAtMs }
  return {
    kind: report.kind,
    atMs: report.atMs,
    ...done,
    accounts,
    reasons,
    ...(scores.length === accounts.length && scores.length > 0 ? { accountScores: scores } : {}),
    ...(report.detectorError === undefined ? {} : { detectorError: report.detectorError }),
    ...(report.scores === undefined ? {} : { detector: scoresRecord(report.scores, ids) }),
    ...(report.baselines === undefined ? {} : { baselines: Object.fromEntries(Object.entries(report.baselines).map(([name, scores]) => [name, scoresRecord(scores, ids)])) }),
    removedUsers,
    removedVideos,
    ...(removedViews === undefined ? {} : { removedViews: removedViews.record }),
    unknownIds,
  }
}

/** A report's removed views by world indices, and how many named an id the world does not know. */
function viewsRecord(items: NonNullable<PurgeReport['removedViews']>, ids: IdIndex): { record: RemovedViewsRecord; unknownIds: number } {
  const record = { users: [] as number[], videos: [] as number[], views: [] as number[] }
  let unknownIds = 0
  for (const item of items) {
    const user = ids.user(item.userId)
    const video = ids.video(item.videoId)
    // A target's report may be malformed: an entry without a whole number of views is counted with the unknown ids.
    if (user < 0 || video < 0 || !(Number.isSafeInteger(item.views) && item.views >= 1)) {
      unknownIds++
      continue
    }
    record.users.push(user)
    record.videos.push(video)
    record.views.push(item.views)
  }
  return { record, unknownIds }
}

/** A detector's scores by world indices (ids the world does not know are left out: purgeRecord counts them). */
function scoresRecord(scores: PurgeScores, ids: IdIndex): PurgeScoresRecord {
  const users: number[] = []
  const values: number[] = []
  for (const account of scores.scored) {
    const user = ids.user(account.userId)
    if (user < 0) continue
    users.push(user)
    values.push(account.score)
  }
  return { name: scores.name, purgeScoreMin: scores.purgeScoreMin, users, scores: values }
}
