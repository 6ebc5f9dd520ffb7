// The final phase of a sim run (Jepsen's final generator): faults healed and a quiet period
// passed, read every video's counts and every liker's list in every region, paced so the reads
// themselves do not overload the counter cache. Returns when the reads ended.
import { CoreReply } from '../../mock-server/core/core-reply.ts'
import type { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { History, Outcome, emptyRegionFinal, pairOf, type InboxEntry, type RegionFinal, type RegionFinalDraft } from '../../sim/history.ts'
import { OpKind } from '../../sim/operation.ts'
import type { Population } from '../../sim/population.ts'
import type { CoreHandles } from './core-handles.ts'

const PAGE_LIMIT = 1000
const READ_ATTEMPTS = 3

export function runSimFinalPhase({
  core,
  population,
  handles,
  history,
  startMs,
  regionIds,
}: {
  core: EngagementCore
  population: Population
  handles: CoreHandles
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
  const reply = new CoreReply()
  const finals = regionIds.map((region) => emptyRegionFinal(region, videoCount))
  const regionHandles = regionIds.map((region) => core.regionHandle(region))
  for (let video = 0; video < videoCount; video++) {
    const videoHandle = handles.video(video)
    for (let r = 0; r < finals.length; r++) {
      const final = finals[r] as RegionFinalDraft
      for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        core.readVideoInto(reply, t, regionHandles[r] as number, videoHandle)
        t += spacingMs
        if (!reply.ok || reply.stale) continue
        final.likeCount[video] = reply.likeCount
        final.viewCount[video] = reply.viewCount
        final.uniqueViewers[video] = reply.uniqueViewers
        final.readOk[video] = 1
        break
      }
    }
  }
  const page: number[] = []
  for (const user of likers(history, population)) {
    const userHandle = handles.user(user)
    for (let r = 0; r < finals.length; r++) {
      const final = finals[r] as RegionFinalDraft
      let cursor = -1
      let complete = false
      for (let pages = 0, failures = 0; pages < 10_000 && failures < READ_ATTEMPTS; ) {
        const next = core.likesPageAt(reply, t, regionHandles[r] as number, userHandle, cursor, PAGE_LIMIT, page)
        t += spacingMs
        if (!reply.ok) {
          failures++
          continue
        }
        pages++
        for (const videoHandle of page) {
          const video = handles.worldVideo(videoHandle)
          if (video >= 0) final.likedPairs.add(pairOf(video, user))
        }
        if (next < 0) {
          complete = true
          break
        }
        cursor = next
      }
      if (!complete) final.listFailures++
    }
  }
  // Notifications: every creator whose videos got a like reads their inbox once (the service is global).
  const inboxes = new Map<number, InboxEntry[]>()
  let inboxFailures = 0
  const inboxMax = core.config.inboxMax
  const firstRegion = core.regionHandle(regionIds[0] as string)
  for (const creator of likedCreators(history, population)) {
    let entries: InboxEntry[] | undefined
    for (let attempt = 0; attempt < READ_ATTEMPTS && entries === undefined; attempt++) {
      const result = core.notificationsAt(t, firstRegion, handles.user(creator), inboxMax)
      t += spacingMs
      if (!result.ok) continue
      entries = result.value.map((n) => ({ fromUser: handles.worldUser(n.fromUser), video: handles.worldVideo(n.video), likedAtMs: n.likedAtMs, deliveredAtMs: n.deliveredAtMs }))
    }
    if (entries === undefined) inboxFailures++
    else inboxes.set(creator, entries)
  }
  history.final = { atMs: t, regions: finals.map((final): RegionFinal => ({ ...final, readAtMs: t })), inboxes, inboxMax, inboxFailures }
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
