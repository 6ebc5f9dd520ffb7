// The final phase of a sim run (Jepsen's final generator): faults healed and a quiet period
// passed, read every video's counts and every liker's list in every region, paced so the reads
// themselves do not overload the counter cache. How often a read is tried and how long between
// tries is the protocol's (scenarios/protocol/final-reads.ts), on virtual time. Returns when the
// reads ended.
import { CoreReply } from '../../mock-server/core/core-reply.ts'
import type { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { History, emptyRegionFinal, pairOf, type InboxEntry, type RegionFinal, type RegionFinalDraft } from '../../sim/history.ts'
import type { Population } from '../../sim/population.ts'
import { finalReadSubjects } from '../../sim/final-read-subjects.ts'
import { FailureKind } from '../../sim/failure-kind.ts'
import { kindOfCode } from '../protocol/answer-kind.ts'
import { afterFinalRead, FINAL_LIST_PAGE_LIMIT, FINAL_LIST_PAGES_MAX } from '../protocol/final-reads.ts'
import type { CoreHandles } from './core-handles.ts'

/** One try of a final read: its answer's kind, and whether the answer was usable. */
interface Tried {
  readonly kind: FailureKind
  readonly usable: boolean
}

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
  /** Tries a read as the protocol says, each try `spacingMs` apart plus its backoff; true when one was usable. */
  const tryRead = (read: () => Tried): boolean => {
    for (let attempt = 1; ; attempt++) {
      const tried = read()
      t += spacingMs
      const decision = afterFinalRead({ kind: tried.kind, usable: tried.usable, attempt })
      if (decision.next !== 'retry') return decision.next === 'done'
      t += decision.delayMs
    }
  }
  const replied = (usable: boolean): Tried => ({ kind: reply.ok ? FailureKind.None : kindOfCode(reply.code), usable })
  for (let video = 0; video < videoCount; video++) {
    const videoHandle = handles.video(video)
    for (let r = 0; r < finals.length; r++) {
      const final = finals[r] as RegionFinalDraft
      const read = tryRead(() => replied(core.readVideoInto(reply, t, regionHandles[r] as number, videoHandle).ok && !reply.stale))
      if (!read) continue
      final.likeCount[video] = reply.likeCount
      final.viewCount[video] = reply.viewCount
      final.uniqueViewers[video] = reply.uniqueViewers
      final.readOk[video] = 1
    }
  }
  const page: number[] = []
  const subjects = finalReadSubjects(history, population)
  for (const user of subjects.likers) {
    const userHandle = handles.user(user)
    for (let r = 0; r < finals.length; r++) {
      const final = finals[r] as RegionFinalDraft
      let cursor = -1
      let complete = false
      for (let pages = 0; pages < FINAL_LIST_PAGES_MAX; pages++) {
        let next = -1
        const read = tryRead(() => {
          next = core.likesPageAt(reply, t, regionHandles[r] as number, userHandle, cursor, FINAL_LIST_PAGE_LIMIT, page)
          return replied(reply.ok)
        })
        if (!read) break
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
  for (const creator of subjects.creators) {
    let entries: InboxEntry[] | undefined
    const read = tryRead(() => {
      const result = core.notificationsAt(t, firstRegion, handles.user(creator), inboxMax)
      if (!result.ok) return { kind: kindOfCode(result.code), usable: false }
      entries = result.value.map((n) => ({ fromUser: handles.worldUser(n.fromUser), video: handles.worldVideo(n.video), likedAtMs: n.likedAtMs, deliveredAtMs: n.deliveredAtMs }))
      return { kind: FailureKind.None, usable: true }
    })
    if (read && entries !== undefined) inboxes.set(creator, entries)
    else inboxFailures++
  }
  history.final = { atMs: t, regions: finals.map((final): RegionFinal => ({ ...final, readAtMs: t })), inboxes, inboxMax, inboxFailures }
  return t
}

