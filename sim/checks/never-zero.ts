// never-zero: no read shows 0 likes (or 0 views) for a video that, as of the time the read
// claims, had surely had acknowledged likes (views) for longer than a grace period. That is the
// 2020-07-23 symptom: counts read as 0 while the data existed. A stale read is judged at the time
// it says it is from, so honest last-known-good values pass, and a made-up 0 fails whether or not
// it is marked fresh. The grace (default 1 s) keeps a like that is still replicating from counting
// as a zero a user would notice; counter-bounds judges those reads strictly.
import { Outcome, pairUserOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, nothingToJudge, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { ackRegionOf } from './like-causes.ts'
import { viewsRemovedFrom } from './purged-views.ts'

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
  const { history, pairs } = ctx
  const graceMs = ctx.config['never-zero']?.graceMs ?? DEFAULT_GRACE_MS
  // Views stay counted (but those a purge removed), so the earliest acknowledged view settles the view side.
  const firstViewAck = firstViewAckMs(ctx)
  let readsShowingCounts = 0
  for (let i = 0; i < history.length; i++) {
    const kind = history.kindOf(i)
    if ((kind !== OpKind.ReadVideo && kind !== OpKind.Like) || history.outcomeOf(i) !== Outcome.Ok) continue
    const likeCount = history.likeCountOf(i)
    if (likeCount < 0) continue
    readsShowingCounts++
    const video = history.videoOf(i)
    const tMs = history.earliestAsOfMs(i) - graceMs
    const eMs = history.completeMsOf(i)
    if (likeCount === 0) {
      const witness = pairs.firstSurelyLiked(video, tMs, eMs)
      if (witness >= 0) visitor.zeroLikes(i, witness, tMs)
    }
    const firstViewMs = firstViewAck[video] as number
    if (kind === OpKind.ReadVideo && history.viewCountOf(i) === 0 && firstViewMs <= tMs) visitor.zeroViews(i, firstViewMs)
  }
  return readsShowingCounts
}

export function checkNeverZero(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const graceMs = ctx.config['never-zero']?.graceMs ?? DEFAULT_GRACE_MS
  const zeros = new ExampleCollector(ctx.examplesMax)
  // A read with no likes and no views, though a view stood: the whole record came back empty.
  const firstView = firstViewAckMs(ctx)
  const emptied = (i: number): boolean =>
    history.kindOf(i) === OpKind.ReadVideo && history.likeCountOf(i) === 0 && history.viewCountOf(i) === 0 && (firstView[history.videoOf(i)] as number) <= history.invokeMsOf(i)
  let zeroLikeReads = 0
  let zeroViewReads = 0
  const readsShowingCounts = scanZeroReads(ctx, {
    zeroLikes(i, witness, tMs) {
      zeroLikeReads++
      zeros.add(() => {
        const video = history.videoOf(i)
        const region = regionIdOf(ctx, history.regionOf(i))
        const pair = pairs.pairKeyOf(witness)
        const user = userIdOf(ctx, pairUserOf(pair))
        const ackMs = pairs.lastAckMs(witness, tMs)
        return {
          message:
            `${population.videoIds.get(video)} ${history.kindOf(i) === OpKind.Like ? 'like response' : 'read'} showed 0 likes in ${region} at ${seconds(history.invokeMsOf(i))} (${history.isStale(i) ? 'stale' : 'fresh'}) while ${user}'s like stood since ${seconds(ackMs)}` +
            zeroCause(ctx, { i, ack: ackAt(ctx, pair, ackMs), emptied: emptied(i) }),
          videoId: videoIdOf(ctx, video),
          userId: user,
          region,
          atMs: history.invokeMsOf(i),
        }
      })
    },
    zeroViews(i, firstViewMs) {
      zeroViewReads++
      zeros.add(() => {
        const video = history.videoOf(i)
        const region = regionIdOf(ctx, history.regionOf(i))
        return {
          message: `${population.videoIds.get(video)} read showed 0 views in ${region} at ${seconds(history.invokeMsOf(i))} although a view was acknowledged at ${seconds(firstViewMs)}` + zeroCause(ctx, { i, ack: undefined, emptied: emptied(i) }),
          videoId: videoIdOf(ctx, video),
          region,
          atMs: history.invokeMsOf(i),
        }
      })
    },
  })
  const expected = `no read shows 0 likes or views for a video whose acknowledged likes or views stood ${graceMs}ms before the time the read claims`
  if (readsShowingCounts === 0) return nothingToJudge('never-zero', { expected, why: 'no answer showed a count' + SEE_EXERCISED, values: { zeroLikeReads: 0, zeroViewReads: 0, responsesWithCounts: 0 } })
  return {
    name: 'never-zero',
    status: statusOf(zeros.count === 0),
    observed: `${zeroLikeReads} read(s) showed 0 likes and ${zeroViewReads} showed 0 views while acknowledged ones existed (of ${readsShowingCounts} responses showing counts)`,
    expected,
    values: { zeroLikeReads, zeroViewReads, responsesWithCounts: readsShowingCounts },
    examples: zeros.examples,
  }
}

/**
 * The zero's likely cause: a read showing no likes and no views although views were acknowledged
 * is an empty answer for a read that failed (a timed-out dependency); a like acknowledged in
 * another region had not reached the region that answered 0 as if current; a count the region
 * shows again later dipped to 0; one it never shows again was lost.
 */
function zeroCause(ctx: CheckContext, { i, ack, emptied }: { i: number; ack: { region: string; atMs: number } | undefined; emptied: boolean }): string {
  const { history } = ctx
  const region = regionIdOf(ctx, history.regionOf(i))
  if (emptied) return ' — no likes and no views at all: an empty answer for a read that failed (a timed-out dependency?)'
  if (ack !== undefined && ack.region !== region) return ` — acknowledged in ${ack.region} ${seconds(history.invokeMsOf(i) - ack.atMs)} before: it had not reached ${region}, which answered 0 as if current`
  for (let j = i + 1; j < history.length; j++) {
    if (!history.isAcknowledged(j, OpKind.ReadVideo) || history.videoOf(j) !== history.videoOf(i) || history.regionOf(j) !== history.regionOf(i)) continue
    if (history.likeCountOf(j) > 0) return ` — ${region} showed ${history.likeCountOf(j)} again at ${seconds(history.invokeMsOf(j))}: its count dipped to 0 and came back`
  }
  return ` — ${region} never showed a like on it again: the region lost its count`
}

/**
 * When each video's first view was acknowledged (Infinity: never), of the accounts whose views no
 * purge removed: a video only purged accounts viewed may read 0 views, rightly, once they are gone
 * (before then, such a zero goes unjudged: a view removed at a purge stood only until it).
 */
function firstViewAckMs(ctx: CheckContext): Float64Array {
  const { history, population } = ctx
  const removed = viewsRemovedFrom(ctx)
  const first = new Float64Array(population.videoCount).fill(Infinity)
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.View) || removed?.[history.userOf(i)] === 1) continue
    const video = history.videoOf(i)
    const at = history.completeMsOf(i)
    if (at < (first[video] as number)) first[video] = at
  }
  return first
}

function ackAt(ctx: CheckContext, pair: number, ackMs: number): { region: string; atMs: number } | undefined {
  const region = ackRegionOf(ctx, pair, ackMs)
  return region === undefined ? undefined : { region, atMs: ackMs }
}
