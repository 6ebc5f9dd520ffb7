// never-zero: no read shows 0 likes (or 0 views) for a video that, as of the time the read
// claims, had surely had acknowledged likes (views) for longer than a grace period. That is the
// 2020-07-23 symptom: counts read as 0 while the data existed. A stale read is judged at the time
// it says it is from, so honest last-known-good values pass, and a made-up 0 fails whether or not
// it is marked fresh. The grace (default 1 s) keeps a like that is still replicating from counting
// as a zero a user would notice; counter-bounds judges those reads strictly.
import { Outcome } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, seconds } from './check-types.ts'

const DEFAULT_GRACE_MS = 1000

export function checkNeverZero(ctx: CheckContext): CheckResult {
  const { history, population, pairs, regionIds } = ctx
  const graceMs = ctx.config['never-zero']?.graceMs ?? DEFAULT_GRACE_MS
  // Views are never removed, so the earliest acknowledged view settles the view side.
  const firstViewAckMs = new Float64Array(population.videoCount).fill(Infinity)
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] !== OpKind.View || history.outcome[i] !== Outcome.Ok) continue
    const video = history.video[i] as number
    const at = history.completeMs[i] as number
    if (at < (firstViewAckMs[video] as number)) firstViewAckMs[video] = at
  }
  const zeros = new ExampleCollector(ctx.examplesMax)
  let zeroLikeReads = 0
  let zeroViewReads = 0
  let readsShowingCounts = 0
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind[i]
    if ((kind !== OpKind.ReadVideo && kind !== OpKind.Like) || history.outcome[i] !== Outcome.Ok) continue
    const likeCount = history.likeCount[i] as number
    if (likeCount < 0) continue
    readsShowingCounts++
    const video = history.video[i] as number
    const asOf = history.asOfMs[i] as number
    const tMs = (Number.isNaN(asOf) ? (history.invokeMs[i] as number) : asOf) - graceMs
    const eMs = history.completeMs[i] as number
    const region = regionIds[history.region[i] as number] as string
    if (likeCount === 0) {
      const witness = pairs.firstSurelyLiked(video, tMs, eMs)
      if (witness >= 0) {
        zeroLikeReads++
        zeros.add(() => {
          const user = population.userIds[(pairs.pairs[witness] as number) % (1 << 22)] as string
          return {
            message: `${population.videoIds[video]} ${kind === OpKind.Like ? 'like response' : 'read'} showed 0 likes in ${region} at ${seconds(history.invokeMs[i] as number)} (${history.stale[i] === 1 ? 'stale' : 'fresh'}) while ${user}'s like stood since ${seconds(pairs.lastAckMs(witness, tMs))}`,
            videoId: population.videoIds[video] as string,
            userId: user,
            region,
            atMs: history.invokeMs[i] as number,
          }
        })
      }
    }
    if (kind === OpKind.ReadVideo && history.viewCount[i] === 0 && (firstViewAckMs[video] as number) <= tMs) {
      zeroViewReads++
      zeros.add(() => ({
        message: `${population.videoIds[video]} read showed 0 views in ${region} at ${seconds(history.invokeMs[i] as number)} although a view was acknowledged at ${seconds(firstViewAckMs[video] as number)}`,
        videoId: population.videoIds[video] as string,
        region,
        atMs: history.invokeMs[i] as number,
      }))
    }
  }
  return {
    name: 'never-zero',
    passed: zeros.count === 0,
    observed: `${zeroLikeReads} read(s) showed 0 likes and ${zeroViewReads} showed 0 views while acknowledged ones existed (of ${readsShowingCounts} responses showing counts)`,
    expected: `no read shows 0 likes or views for a video whose acknowledged likes or views stood ${graceMs}ms before the time the read claims`,
    values: { zeroLikeReads, zeroViewReads, responsesWithCounts: readsShowingCounts },
    examples: zeros.examples,
  }
}
