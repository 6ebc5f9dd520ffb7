// The final phase over HTTP (Jepsen's final generator): with the faults healed and a quiet
// period passed, read every video's counts in every region, every liker's list of liked videos
// in every region (paging), and the notifications of every creator whose videos got likes;
// paced below the regions' capacity, a bounded number at a time, each read tried as the protocol
// says (scenarios/protocol/final-reads.ts).
import { History, emptyRegionFinal, pairOf, type InboxEntry, type RegionFinal } from '../../../sim/history.ts'
import type { Population } from '../../../sim/population.ts'
import { finalReadSubjects } from '../../../sim/final-read-subjects.ts'
import { classifyNetworkError, classifyStatus } from '../../protocol/answer-kind.ts'
import { afterFinalRead, FINAL_LIST_PAGES_MAX } from '../../protocol/final-reads.ts'
import { idIndexFor } from '../sim-faults.ts'
import { errorCodeOf } from './answer-values.ts'
import type { HttpClient } from './http-client.ts'
import { likesPagePath, notificationsPath, videoPath } from '../../protocol/request-shape.ts'

export interface FinalPhaseOptions {
  readonly client: HttpClient
  readonly population: Population
  readonly history: History
  readonly regions: readonly string[]
  /** Reads in flight at once. */
  readonly concurrency: number
  /** The system's inbox bound (its config's inboxMax): an inbox read asks for this many. */
  readonly inboxMax: number
  /** Reads per wall second each region may take (kept under its counter cache's capacity). */
  readonly ratePerRegionPerS: number
  /** Scenario time now (the snapshot's time once the reads end). */
  readonly nowMs: () => number
  readonly shouldStop: () => boolean
  readonly onProgress?: (done: number, total: number) => void
}

export async function runHttpFinalPhase(options: FinalPhaseOptions): Promise<void> {
  const { client, population, history, regions } = options
  const ids = idIndexFor(population)
  const videoCount = population.videoCount
  const finals = regions.map((region) => emptyRegionFinal(region, videoCount))
  const pacer = new RegionPacer(regions, options.ratePerRegionPerS)
  const paced = { send: async (request: Parameters<HttpClient['send']>[0]) => {
    await pacer.wait(request.region)
    return client.send(request)
  } } as HttpClient
  const { likers, creators } = finalReadSubjects(history, population)
  const tasks: Array<() => Promise<void>> = []
  for (let video = 0; video < videoCount; video++) {
    for (const final of finals) {
      tasks.push(async () => {
        const body = await readJson(paced, final.region, videoPath(population.videoIds[video] as string), (b) => typeof b === 'object' && b !== null && (b as { stale?: unknown }).stale === false)
        if (body === undefined) return
        const counts = body as { likeCount: number; viewCount: number; uniqueViewers: number }
        final.likeCount[video] = counts.likeCount
        final.viewCount[video] = counts.viewCount
        final.uniqueViewers[video] = counts.uniqueViewers
        final.readOk[video] = 1
      })
    }
  }
  for (const user of likers) {
    const userId = population.userIds[user] as string
    for (const final of finals) {
      tasks.push(async () => {
        let cursor: string | undefined
        for (let page = 0; page < FINAL_LIST_PAGES_MAX; page++) {
          const body = await readJson(paced, final.region, likesPagePath(userId, cursor), (b) => Array.isArray((b as { videoIds?: unknown } | undefined)?.videoIds))
          if (body === undefined) {
            final.listFailures++
            return
          }
          const pageBody = body as { videoIds: string[]; nextCursor: string | null }
          for (const videoId of pageBody.videoIds) {
            const video = ids.video(videoId)
            if (video >= 0) final.likedPairs.add(pairOf(video, user))
          }
          if (pageBody.nextCursor === null) return
          cursor = pageBody.nextCursor
        }
      })
    }
  }
  const inboxes = new Map<number, InboxEntry[]>()
  let inboxFailures = 0
  for (const creator of creators) {
    tasks.push(async () => {
      const body = await readJson(paced, regions[0] as string, notificationsPath(population.userIds[creator] as string, options.inboxMax), (b) =>
        Array.isArray((b as { notifications?: unknown } | undefined)?.notifications),
      )
      if (body === undefined) {
        inboxFailures++
        return
      }
      const list = (body as { notifications: Array<{ videoId: string; fromUserId: string; likedAtMs: number; deliveredAtMs: number }> }).notifications
      inboxes.set(
        creator,
        list.map((n) => ({ fromUser: ids.user(n.fromUserId), video: ids.video(n.videoId), likedAtMs: n.likedAtMs, deliveredAtMs: n.deliveredAtMs })),
      )
    })
  }
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !options.shouldStop()) {
      const task = tasks[next++] as () => Promise<void>
      await task()
      done++
      if (done % 500 === 0) options.onProgress?.(done, tasks.length)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker))
  const atMs = options.nowMs()
  history.final = {
    atMs,
    regions: finals.map((final): RegionFinal => ({ ...final, readAtMs: atMs })),
    inboxes,
    inboxMax: options.inboxMax,
    inboxFailures,
  }
}

/** GET a JSON body, tried as the protocol says until an answer is `acceptable`. */
async function readJson(client: HttpClient, region: string, path: string, acceptable: (body: unknown) => boolean): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const answer = await client.send({ region, method: 'GET', path, body: undefined, headers: {} })
    const classified = answer.failure !== undefined ? classifyNetworkError(answer.failure, !Number.isNaN(answer.sentAt)) : classifyStatus(answer.status, errorCodeOf(answer.body))
    const usable = answer.status === 200 && acceptable(answer.body)
    const decision = afterFinalRead({ kind: classified.kind, usable, attempt })
    if (decision.next === 'done') return answer.body
    if (decision.next === 'give-up') return undefined
    await new Promise((resolve) => setTimeout(resolve, decision.delayMs))
  }
}

/** Spaces requests to each region evenly: at most `ratePerS` a wall second. */
class RegionPacer {
  private readonly next = new Map<string, number>()
  private readonly gapMs: number

  constructor(regions: readonly string[], ratePerS: number) {
    this.gapMs = 1000 / Math.max(1, ratePerS)
    for (const region of regions) this.next.set(region, performance.now())
  }

  async wait(region: string): Promise<void> {
    const now = performance.now()
    const at = Math.max(now, this.next.get(region) ?? now)
    this.next.set(region, at + this.gapMs)
    if (at > now + 1) await new Promise((resolve) => setTimeout(resolve, at - now))
  }
}
