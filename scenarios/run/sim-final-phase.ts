// The final phase of a sim run (Jepsen's final generator): faults healed and a quiet period
// passed, read every video's counts and every liker's list in every region, paced so the reads
// themselves do not overload the counter cache. Returns when the reads ended.
import type { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { History, Outcome, pairOf, type InboxEntry, type RegionFinal } from '../../sim/history.ts'
import { OpKind } from '../../sim/operation.ts'
import type { Population } from '../../sim/population.ts'
import { idIndexFor } from './sim-faults.ts'

const PAGE_LIMIT = 1000
const READ_ATTEMPTS = 3

export function runSimFinalPhase({
  core,
  population,
  history,
  startMs,
  regionIds,
}: {
  core: EngagementCore
  population: Population
  history: History
  startMs: number
  regionIds: readonly string[]
}): number {
  // Half the smallest cache capacity: the final reads never queue.
  const minCapacity = Math.min(...core.config.regions.map((region) => region.cacheCapacityOpsPerS))
  const spacingMs = 2000 / minCapacity
  let t = startMs
  core.advanceTo(t)
  const videoCount = population.videoCount
  const regions = regionIds.map((region) => ({
    region,
    likeCount: new Int32Array(videoCount),
    viewCount: new Int32Array(videoCount),
    uniqueViewers: new Int32Array(videoCount),
    readOk: new Uint8Array(videoCount),
    likedPairs: new Set<number>(),
    listFailures: 0,
  }))
  for (let video = 0; video < videoCount; video++) {
    for (const final of regions) {
      for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        const result = core.readVideo({ nowMs: t, region: final.region, videoId: population.videoIds[video] as string })
        t += spacingMs
        if (!result.ok || result.value.stale) continue
        final.likeCount[video] = result.value.likeCount
        final.viewCount[video] = result.value.viewCount
        final.uniqueViewers[video] = result.value.uniqueViewers
        final.readOk[video] = 1
        break
      }
    }
  }
  const ids = idIndexFor(population)
  for (const user of likers(history, population)) {
    const userId = population.userIds[user] as string
    for (const final of regions) {
      let cursor: string | undefined
      let complete = false
      for (let page = 0, failures = 0; page < 10_000 && failures < READ_ATTEMPTS; ) {
        const result = core.listLikes({ nowMs: t, region: final.region, userId, cursor, limit: PAGE_LIMIT })
        t += spacingMs
        if (!result.ok) {
          failures++
          continue
        }
        page++
        for (const videoId of result.value.videoIds) {
          const video = ids.video(videoId)
          if (video >= 0) final.likedPairs.add(pairOf(video, user))
        }
        if (result.value.nextCursor === null) {
          complete = true
          break
        }
        cursor = result.value.nextCursor
      }
      if (!complete) final.listFailures++
    }
  }
  // Notifications: every creator whose videos got a like reads their inbox once (the service is global).
  const inboxes = new Map<number, InboxEntry[]>()
  let inboxFailures = 0
  const inboxMax = core.config.inboxMax
  const firstRegion = regionIds[0] as string
  for (const creator of likedCreators(history, population)) {
    let entries: InboxEntry[] | undefined
    for (let attempt = 0; attempt < READ_ATTEMPTS && entries === undefined; attempt++) {
      const result = core.readNotifications({ nowMs: t, region: firstRegion, userId: population.userIds[creator] as string, limit: inboxMax })
      t += spacingMs
      if (!result.ok) continue
      entries = result.value.notifications.map((n) => ({ fromUser: ids.user(n.fromUserId), video: ids.video(n.videoId), likedAtMs: n.likedAtMs, deliveredAtMs: n.deliveredAtMs }))
    }
    if (entries === undefined) inboxFailures++
    else inboxes.set(creator, entries)
  }
  history.final = { atMs: t, regions: regions as RegionFinal[], inboxes, inboxMax, inboxFailures }
  return t
}

/** Creators of videos that got a like that may have landed. */
function likedCreators(history: History, population: Population): number[] {
  const creators = new Set<number>()
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] === OpKind.Like && history.outcome[i] !== Outcome.Fail) creators.add(population.videoCreator[history.video[i] as number] as number)
  }
  return Array.from(creators).sort((a, b) => a - b)
}

/** Every user who may hold a like: anyone who sent a like that did not surely fail, and importers. */
function likers(history: History, population: Population): number[] {
  const users = new Set<number>()
  for (const like of population.importedLikes) users.add(like.user)
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] === OpKind.Like && history.outcome[i] !== Outcome.Fail) users.add(history.user[i] as number)
  }
  return Array.from(users).sort((a, b) => a - b)
}
