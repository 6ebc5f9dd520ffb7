// The likestorm_final scenario: the final phase (Jepsen's final generator), once the run is over,
// the faults healed and a quiet period passed. Its shared iterations are the workload's final
// tasks (iteration i, unique across instances, takes task i): every video's counts in every
// region, every possible liker's list of liked videos in every region (page by page), and the
// notifications of every creator whose videos may have been liked. Reads are paced so that all
// final VUs together stay at half the smallest counter-cache capacity, as mode sim paces them;
// each is tried as the protocol says (scenarios/protocol/final-reads.ts). Every read becomes a
// likestorm_final point.
import { sleep } from 'k6'
import exec from 'k6/execution'
import { afterFinalRead, FINAL_LIST_PAGES_MAX } from '../../protocol/final-reads.ts'
import { likesPagePath, notificationsPath, videoPath } from '../../protocol/request-shape.ts'
import { finalPointTags, Phase, type FinalWhat, type Tags } from '../points.ts'
import { finalInboxTags, finalLikesTags, finalVideoTags } from '../read-tags.ts'
import { FinalTaskKind, type FinalTask } from '../workload-format.ts'
import { httpCall } from './http-call.ts'
import { addPoint, executionSegment, FINAL_CREATORS, FINAL_LIKERS, FINAL_TASKS, FINAL_TREND, FINAL_VIDEOS, PLAN, REGION_IDS, urlOf } from './runtime.ts'

const READ_TIMEOUT_MS = 10_000

export function runFinalIteration(): void {
  const task = FINAL_TASKS[exec.scenario.iterationInTest] as FinalTask | undefined
  if (task === undefined) return
  const [kind, regionIndex, from, to] = task
  const region = REGION_IDS[regionIndex] as string
  for (let i = from; i < to; i++) {
    if (kind === FinalTaskKind.Videos) readVideo(region, FINAL_VIDEOS[i] as string)
    else if (kind === FinalTaskKind.Likes) readLikes(region, FINAL_LIKERS[i] as string)
    else readInbox(REGION_IDS[0] as string, FINAL_CREATORS[i] as string)
  }
}

/**
 * GET with retries; each attempt is a point (with `extra` tags from an acceptable answer).
 * Returns the acceptable body, or undefined when every attempt failed.
 */
function read(what: FinalWhat, region: string, id: string, page: number, path: string, accept: (body: unknown) => Tags | undefined): unknown {
  const paceS = (PLAN.final.readSpacingMs * PLAN.final.vus) / 1000
  for (let attempt = 1; ; attempt++) {
    const result = httpCall({ method: 'GET', url: urlOf(region, path), body: null, headers: {}, tags: { phase: Phase.Final, what, region }, timeoutMs: READ_TIMEOUT_MS })
    const answer = result.answer
    const extra = answer.status === 200 ? accept(result.body) : undefined
    addPoint(FINAL_TREND, result.elapsedMs, finalPointTags({ exportId: PLAN.exportId, seg: executionSegment(), what, region, id, page, attempt }, answer, extra ?? {}))
    sleep(paceS)
    const decision = afterFinalRead({ kind: result.classified.kind, usable: extra !== undefined, attempt })
    if (decision.next === 'done') return result.body
    if (decision.next === 'give-up') return undefined
    sleep(decision.delayMs / 1000)
  }
}

function readVideo(region: string, videoId: string): void {
  read('video', region, videoId, 0, videoPath(videoId), finalVideoTags)
}

function readLikes(region: string, userId: string): void {
  let cursor: string | undefined
  for (let page = 0; page < FINAL_LIST_PAGES_MAX; page++) {
    const body = read('likes', region, userId, page, likesPagePath(userId, cursor), finalLikesTags) as { nextCursor: string | null } | undefined
    if (body === undefined || body.nextCursor === null) return
    cursor = body.nextCursor
  }
}

function readInbox(region: string, userId: string): void {
  const limit = PLAN.final.inboxLimit
  read('inbox', region, userId, 0, notificationsPath(userId, limit), (body) => finalInboxTags(body, limit))
}
