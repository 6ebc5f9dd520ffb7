// never-zero: no read shows 0 likes (or 0 views) for a video that, as of the time the read
// claims, had surely had acknowledged likes (views) for longer than a grace period. That is the
// 2020-07-23 symptom: counts read as 0 while the data existed. A stale read is judged at the time
// it says it is from, so honest last-known-good values pass, and a made-up 0 fails whether or not
// it is marked fresh. The grace (default 1 s) keeps a like that is still replicating from counting
// as a zero a user would notice; counter-bounds judges those reads strictly.
import { Outcome } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, seconds, statusOf } from './check-types.ts'

const DEFAULT_GRACE_MS = 1000

export interface ZeroReadVisitor {
  /** History index i showed 0 likes while the like of pair `witness` surely stood as of tMs. */
  zeroLikes(i: number, witness: number, tMs: number): void
  /** History index i showed 0 views although a view was acknowledged at firstViewAckMs. */
  zeroViews(i: number, firstViewAckMs: number): void
}

/**
 * Every response showing counts, judged as never-zero judges it; returns how many showed counts.
 * The checker and the `reads_zero_while_liked` metric both use it, so they cannot disagree.
 */
export function scanZeroReads(ctx: CheckContext, visitor: ZeroReadVisitor): number {
  const { history, population, pairs } = ctx
  const graceMs = ctx.config['never-zero']?.graceMs ?? DEFAULT_GRACE_MS
  // Views are never removed, so the earliest acknowledged view settles the view side.
  const firstViewAckMs = new Float64Array(population.videoCount).fill(Infinity)
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] !== OpKind.View || history.outcome[i] !== Outcome.Ok) continue
    const video = history.video[i] as number
    const at = history.completeMs[i] as number
    if (at < (firstViewAckMs[video] as number)) firstViewAckMs[video] = at
  }
  let readsShowingCounts = 0
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind[i]
    if ((kind !== OpKind.ReadVideo && kind !== OpKind.Like) || history.outcome[i] !== Outcome.Ok) continue
    const likeCount = history.likeCount[i] as number
    if (likeCount < 0) continue
    readsShowingCounts++
    const video = history.video[i] as number
    const tMs = history.earliestAsOfMs(i) - graceMs
    const eMs = history.completeMs[i] as number
    if (likeCount === 0) {
      const witness = pairs.firstSurelyLiked(video, tMs, eMs)
      if (witness >= 0) visitor.zeroLikes(i, witness, tMs)
    }
    const firstViewMs = firstViewAckMs[video] as number
    if (kind === OpKind.ReadVideo && history.viewCount[i] === 0 && firstViewMs <= tMs) visitor.zeroViews(i, firstViewMs)
  }
  return readsShowingCounts
}

export function checkNeverZero(ctx: CheckContext): CheckResult {
  const { history, population, pairs, regionIds } = ctx
  const graceMs = ctx.config['never-zero']?.graceMs ?? DEFAULT_GRACE_MS
  const zeros = new ExampleCollector(ctx.examplesMax)
  let zeroLikeReads = 0
  let zeroViewReads = 0
  const readsShowingCounts = scanZeroReads(ctx, {
    zeroLikes(i, witness, tMs) {
      zeroLikeReads++
      zeros.add(() => {
        const video = history.video[i] as number
        const region = regionIds[history.region[i] as number] as string
        const user = population.userIds[(pairs.pairs[witness] as number) % (1 << 22)] as string
        return {
          message: `${population.videoIds[video]} ${history.kind[i] === OpKind.Like ? 'like response' : 'read'} showed 0 likes in ${region} at ${seconds(history.invokeMs[i] as number)} (${history.stale[i] === 1 ? 'stale' : 'fresh'}) while ${user}'s like stood since ${seconds(pairs.lastAckMs(witness, tMs))}`,
          videoId: population.videoIds[video] as string,
          userId: user,
          region,
          atMs: history.invokeMs[i] as number,
        }
      })
    },
    zeroViews(i, firstViewMs) {
      zeroViewReads++
      zeros.add(() => {
        const video = history.video[i] as number
        const region = regionIds[history.region[i] as number] as string
        return {
          message: `${population.videoIds[video]} read showed 0 views in ${region} at ${seconds(history.invokeMs[i] as number)} although a view was acknowledged at ${seconds(firstViewMs)}`,
          videoId: population.videoIds[video] as string,
          region,
          atMs: history.invokeMs[i] as number,
        }
      })
    },
  })
  return {
    name: 'never-zero',
    status: statusOf(zeros.count === 0),
    observed: `${zeroLikeReads} read(s) showed 0 likes and ${zeroViewReads} showed 0 views while acknowledged ones existed (of ${readsShowingCounts} responses showing counts)`,
    expected: `no read shows 0 likes or views for a video whose acknowledged likes or views stood ${graceMs}ms before the time the read claims`,
    values: { zeroLikeReads, zeroViewReads, responsesWithCounts: readsShowingCounts },
    examples: zeros.examples,
  }
}
