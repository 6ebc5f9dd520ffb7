// The final phase over HTTP (Jepsen's final generator), through the public /v1 routes only: with
// the faults healed and a quiet period passed, read every video's counts in every region, the
// final like states (every liker's list of liked videos, paging; or, for a target without liked
// lists, each (user, video) pair the run touched read back one by one: past a bound, a seeded
// random sample of them, which the checks judge alone (sim/pair-sample.ts)), and, when
// the target knows who created which video, the notifications of every creator whose videos got
// likes. Regions that share a URL (one front door) are read once. Paced below the regions'
// capacity, a bounded number at a time, each read tried as the protocol says
// (scenarios/protocol/final-reads.ts); a region that answered nothing several times in a row is
// given up on rather than waited for read after read.
import { History, emptyRegionFinal, pairOf, pairUserOf, pairVideoOf, type InboxEntry, type LikeStateSample, type RegionFinal } from '../../../sim/history.ts'
import { samplePairs } from '../../../sim/pair-sample.ts'
import type { RandomStream } from '../../../sim/random-stream.ts'
import { OpKind } from '../../../sim/operation.ts'
import type { Population } from '../../../sim/population.ts'
import { finalReadSubjects } from '../../../sim/final-read-subjects.ts'
import { classifyNetworkError, classifyStatus } from '../../protocol/answer-kind.ts'
import { afterFinalRead, FINAL_LIST_PAGES_MAX } from '../../protocol/final-reads.ts'
import { idIndexFor } from '../sim-faults.ts'
import { errorCodeOf } from './answer-values.ts'
import type { HttpClient, SendRequest } from './http-client.ts'
import { likesPagePath, notificationsPath, requestShape, videoPath } from '../../protocol/request-shape.ts'

/** How the final like states were read: liked lists, or pairs read back (all of them, or a sample past the bound). */
export type FinalLikeStates = 'lists' | 'read-backs'

/** Pairs read back one by one per region, at most (a target without liked lists); past it, a sample of this many is. */
export const FINAL_PAIR_READS_MAX = 50_000
/** A region that gave no answer at all to this many final reads in a row is given up on. */
export const SILENT_READS_MAX = 8

export interface FinalPhaseOptions {
  readonly client: Pick<HttpClient, 'send'>
  readonly population: Population
  readonly history: History
  /** The regions to read: one for each distinct region of the target. */
  readonly regions: readonly string[]
  /** The target serves liked lists; otherwise the touched pairs are read back one by one. */
  readonly likedLists: boolean
  /** Pairs read back per region at most; past it, a sample of this many. Default FINAL_PAIR_READS_MAX. */
  readonly pairReadsMax?: number
  /** Draws the sample past the bound: a named stream of the run's seed. */
  readonly sampleRandom: RandomStream
  /** Read creators' notifications (the target knows who created which video). */
  readonly inboxes: boolean
  /** Reads in flight at once. */
  readonly concurrency: number
  /** The system's inbox bound (its config's inboxMax): an inbox read asks for this many. */
  readonly inboxMax: number
  /** Reads per wall second each region may take (kept under its counter cache's capacity). */
  readonly ratePerRegionPerS: number
  /**
   * One read in flight per region (the next sent once the last is answered): for a server on the
   * scenario clock. Compressed time turns a stall of its thread into a burst of the reads that
   * waited (at --time-scale 0.05, 10 ms of a busy machine are 200 ms of its time), which would
   * queue at a counter cache mode sim's evenly spaced reads never queue at (naive answers 0 when
   * its cache times out). A target on its own clock has its own capacity and latency: its reads
   * are only paced.
   */
  readonly onePerRegion: boolean
  /** Scenario time now (the snapshot's time once the reads end). */
  readonly nowMs: () => number
  readonly shouldStop: () => boolean
  readonly onProgress?: (done: number, total: number) => void
}

export interface FinalPhaseOutcome {
  readonly likeStates: FinalLikeStates
  /** Set when the pairs were read back on a sample: how many of how many. */
  readonly sample?: { readonly read: number; readonly of: number }
  /** Regions given up on after answering nothing. */
  readonly silentRegions: readonly string[]
}

export async function runHttpFinalPhase(options: FinalPhaseOptions): Promise<FinalPhaseOutcome> {
  const { population, history, regions } = options
  const ids = idIndexFor(population)
  const finals = regions.map((region) => emptyRegionFinal(region, population.videoCount))
  const reader = new RegionReader(options.client, options.ratePerRegionPerS, options.onePerRegion)
  const { likers, creators } = finalReadSubjects(history, population)
  const tasks: Array<() => Promise<void>> = []
  for (let video = 0; video < population.videoCount; video++) {
    for (const final of finals) {
      tasks.push(async () => {
        const body = await reader.read(final.region, videoPath(population.videoIds.get(video) as string), (b) => typeof b === 'object' && b !== null && (b as { stale?: unknown }).stale !== true)
        const counts = body as { likeCount?: unknown; viewCount?: unknown; uniqueViewers?: unknown } | undefined
        if (typeof counts?.likeCount !== 'number' || typeof counts.viewCount !== 'number' || typeof counts.uniqueViewers !== 'number') return
        final.likeCount[video] = counts.likeCount
        final.viewCount[video] = counts.viewCount
        final.uniqueViewers[video] = counts.uniqueViewers
        final.readOk[video] = 1
      })
    }
  }
  const touched = options.likedLists ? [] : touchedPairs(history, population)
  const readBacks = samplePairs(touched, { sizeMax: options.pairReadsMax ?? FINAL_PAIR_READS_MAX, random: options.sampleRandom })
  // Every region reads the same pairs, so that convergence compares like with like.
  const sample: LikeStateSample | undefined = readBacks.length < touched.length ? { pairs: new Set(readBacks), of: touched.length } : undefined
  const likeStates: FinalLikeStates = options.likedLists ? 'lists' : 'read-backs'
  for (const final of finals) {
    if (likeStates === 'lists') for (const user of likers) tasks.push(() => readList(reader, final, { userId: population.userIds.get(user) as string, user, ids }))
    if (likeStates === 'read-backs') for (const pair of readBacks) tasks.push(() => readBack(reader, final, { pair, population }))
    if (sample !== undefined) final.likeSample = sample
  }
  const inboxes = new Map<number, InboxEntry[]>()
  let inboxFailures = 0
  for (const creator of options.inboxes ? creators : []) {
    tasks.push(async () => {
      const body = await reader.read(regions[0] as string, notificationsPath(population.userIds.get(creator) as string, options.inboxMax), (b) => Array.isArray((b as { notifications?: unknown } | undefined)?.notifications))
      if (body === undefined) {
        inboxFailures++
        return
      }
      const list = (body as { notifications: Array<{ videoId: string; fromUserId: string; likedAtMs: number; deliveredAtMs: number }> }).notifications
      inboxes.set(creator, list.map((n) => ({ fromUser: ids.user(n.fromUserId), video: ids.video(n.videoId), likedAtMs: n.likedAtMs, deliveredAtMs: n.deliveredAtMs })))
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
  return { likeStates, ...(sample === undefined ? {} : { sample: { read: sample.pairs.size, of: sample.of } }), silentRegions: reader.silentRegions() }
}

/** One liker's list of liked videos in one region, page by page. */
async function readList(reader: RegionReader, final: ReturnType<typeof emptyRegionFinal>, { userId, user, ids }: { userId: string; user: number; ids: ReturnType<typeof idIndexFor> }): Promise<void> {
  let cursor: string | undefined
  for (let page = 0; page < FINAL_LIST_PAGES_MAX; page++) {
    const body = await reader.read(final.region, likesPagePath(userId, cursor), (b) => Array.isArray((b as { videoIds?: unknown } | undefined)?.videoIds))
    if (body === undefined) {
      final.listFailures++
      return
    }
    const pageBody = body as { videoIds: string[]; nextCursor?: string | null }
    for (const videoId of pageBody.videoIds) {
      const video = ids.video(videoId)
      if (video >= 0) final.likedPairs.add(pairOf(video, user))
    }
    if (typeof pageBody.nextCursor !== 'string') return
    cursor = pageBody.nextCursor
  }
}

/** One pair's like state in one region, through the read-back route every client uses. */
async function readBack(reader: RegionReader, final: ReturnType<typeof emptyRegionFinal>, { pair, population }: { pair: number; population: Population }): Promise<void> {
  const shape = requestShape(OpKind.ReadLiked, { userId: population.userIds.get(pairUserOf(pair)) as string, videoId: population.videoIds.get(pairVideoOf(pair)) as string, watchMs: 0, key: '' })
  const body = await reader.read(final.region, shape.path, (b) => typeof (b as { liked?: unknown } | undefined)?.liked === 'boolean' && (b as { stale?: unknown }).stale !== true)
  if (body === undefined) final.listFailures++
  else if ((body as { liked: boolean }).liked) final.likedPairs.add(pair)
}

/** Every (user, video) pair that may hold a like: a like of the run that did not surely fail, or a seeded like; ascending. */
function touchedPairs(history: History, population: Population): number[] {
  const pairs = new Set<number>()
  for (const like of population.importedLikes) pairs.add(pairOf(like.video, like.user))
  for (let i = 0; i < history.length; i++) if (history.mayHaveLiked(i)) pairs.add(pairOf(history.videoOf(i), history.userOf(i)))
  return [...pairs].sort((a, b) => a - b)
}

/**
 * GETs for the final reads: each region paced to at most `ratePerS` a wall second, each read
 * tried as the protocol says until an answer is acceptable, and a region that answered nothing
 * SILENT_READS_MAX times in a row given up on (its remaining reads fail at once).
 */
class RegionReader {
  /** Each region's last turn (the one the next send waits for) and when its last read was sent. */
  private readonly turns = new Map<string, Promise<void>>()
  private readonly lastSentMs = new Map<string, number>()
  private readonly silent = new Map<string, number>()
  private readonly gapMs: number

  constructor(
    private readonly client: Pick<HttpClient, 'send'>,
    ratePerS: number,
    private readonly onePerRegion: boolean,
  ) {
    this.gapMs = 1000 / Math.max(1, ratePerS)
  }

  silentRegions(): string[] {
    return [...this.silent].filter(([, count]) => count >= SILENT_READS_MAX).map(([region]) => region)
  }

  async read(region: string, path: string, acceptable: (body: unknown) => boolean): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      if ((this.silent.get(region) ?? 0) >= SILENT_READS_MAX) return undefined
      const answered = await this.pace(region)
      const request: SendRequest = { region, method: 'GET', path, body: undefined, headers: {} }
      const answer = await this.client.send(request).finally(answered)
      this.silent.set(region, answer.status === 0 ? (this.silent.get(region) ?? 0) + 1 : 0)
      const classified = answer.failure !== undefined ? classifyNetworkError(answer.failure, !Number.isNaN(answer.sentAt)) : classifyStatus(answer.status, errorCodeOf(answer.body))
      const usable = answer.status === 200 && acceptable(answer.body)
      const decision = afterFinalRead({ kind: classified.kind, usable, attempt })
      if (decision.next === 'done') return answer.body
      if (decision.next === 'give-up') return undefined
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs))
    }
  }

  /**
   * Wait for this region's next turn: one send per gap, each at least a gap after the one before
   * was really sent (and, one per region, answered). Turns are taken one at a time, so a late
   * timer (a GC pause, a busy machine) delays the reads after it instead of releasing them
   * together: a burst would queue them at a counter cache that mode sim's evenly spaced final
   * reads never queue at. Returns what to call once the read is answered.
   */
  private async pace(region: string): Promise<() => void> {
    const previous = this.turns.get(region) ?? Promise.resolve()
    let answered = (): void => {}
    // With one read per region, the next turn starts once this read is answered, else once it is sent.
    const done = new Promise<void>((resolve) => (answered = resolve))
    const sent = previous.then(async () => {
      const waitMs = (this.lastSentMs.get(region) ?? -Infinity) + this.gapMs - performance.now()
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs))
      this.lastSentMs.set(region, performance.now())
    })
    this.turns.set(region, this.onePerRegion ? sent.then(() => done) : sent)
    await sent
    return answered
  }
}
