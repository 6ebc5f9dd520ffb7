// view-counts: after convergence, each video's view total lies within [acknowledged views,
// acknowledged + indeterminate views] counting each logical view once however often it was
// retried, and its unique viewers within [users with an acknowledged view, users with a view
// that may have landed]. When a purge's record says the system removes the purged accounts' views
// (purged-views.ts), every view of those accounts is left out of both: the counts must not hold
// them any more (a purged account is refused afterwards, so that is all of them).
import { BitSet } from '../bit-set.ts'
import { Outcome, pairOf, pairVideoOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'
import { purgedViewsStillCounted, viewsRemovedFrom, viewsRemovedFromOthers } from './purged-views.ts'

const OK = 1
const MAYBE = 2

export function checkViewCounts(ctx: CheckContext): CheckResult {
  const { history, population } = ctx
  const final = history.final
  let expected = 'final view totals equal acknowledged views (each retried view counted once) and unique viewers equal distinct viewers, within what indeterminate views allow'
  if (final === undefined) {
    return endedBeforeFinal('view-counts', expected)
  }
  // Accounts a purge removed with their views (undefined: no purge removes views).
  const removed = viewsRemovedFrom(ctx)
  let leftOut = 0
  // Status of each logical view (op ids are dense), a byte each: acknowledged if any attempt
  // was, else maybe if any attempt may have landed.
  const opLimit = history.opIdLimit(OpKind.View)
  const status = new Uint8Array(opLimit)
  for (let i = 0; i < history.length; i++) {
    if (history.kindOf(i) !== OpKind.View) continue
    const outcome = history.outcomeOf(i)
    if (outcome === Outcome.Fail) continue
    const op = history.opIdOf(i)
    if (outcome === Outcome.Ok) status[op] = OK
    else if (status[op] !== OK) status[op] = MAYBE
  }
  const videoCount = population.videoCount
  const okViews = new Int32Array(videoCount)
  const maybeViews = new Int32Array(videoCount)
  // Typed and sized up front: a run has millions of views.
  let okCount = 0
  let maybeCount = 0
  for (let op = 0; op < opLimit; op++) {
    if (status[op] === OK) okCount++
    else if (status[op] === MAYBE) maybeCount++
  }
  // Every counted view's pair once: the acknowledged ones from the start, the indeterminate ones
  // from okCount on (at soak --scale 200, ~48 million views: one column, not one for the
  // acknowledged views and another for all of them, ~380 MB less; issue 20).
  const pairs = new Float64Array(okCount + maybeCount)
  let acknowledged = 0
  let indeterminate = 0
  // A viewer per video, to name in examples: of its acknowledged view with the lowest id, at that
  // view's last attempt that may have landed.
  const someViewer = new Int32Array(videoCount).fill(-1)
  const someViewOp = new Int32Array(videoCount).fill(0x7fffffff)
  const someViewAtMs = new Float64Array(videoCount)
  // Each logical view once (a bit each), at its first attempt that may have landed: all of its
  // attempts name the same video and user.
  const counted = new BitSet(opLimit)
  for (let i = 0; i < history.length; i++) {
    if (history.kindOf(i) !== OpKind.View || history.outcomeOf(i) === Outcome.Fail) continue
    const op = history.opIdOf(i)
    const state = status[op]
    const video = history.videoOf(i)
    if (removed !== undefined && removed[history.userOf(i)] === 1) {
      if (counted.add(op)) leftOut++
      continue
    }
    if (state === OK && op <= (someViewOp[video] as number)) {
      someViewOp[video] = op
      someViewer[video] = history.userOf(i)
      someViewAtMs[video] = history.invokeMsOf(i)
    }
    if (!counted.add(op)) continue
    const pair = pairOf(video, history.userOf(i))
    if (state === OK) {
      okViews[video] = (okViews[video] as number) + 1
      pairs[acknowledged++] = pair
    } else {
      maybeViews[video] = (maybeViews[video] as number) + 1
      pairs[okCount + indeterminate++] = pair
    }
  }
  // Views left out for a purge leave the ends of the two parts unused.
  const okPairs = pairs.subarray(0, acknowledged).sort()
  const okUnique = distinctPerVideo(okPairs, undefined, videoCount)
  const maybeUnique = distinctPerVideo(okPairs, pairs.subarray(okCount, okCount + indeterminate).sort(), videoCount)
  const wrong = new ExampleCollector(ctx.examplesMax)
  let countsRead = 0
  for (const region of final.regions) {
    for (let video = 0; video < videoCount; video++) {
      if (region.readOk[video] !== 1) continue
      countsRead++
      const views = region.viewCount[video] as number
      const lo = okViews[video] as number
      const hi = lo + (maybeViews[video] as number)
      const unique = region.uniqueViewers[video] as number
      const uLo = okUnique[video] as number
      const uHi = maybeUnique[video] as number
      if (views >= lo && views <= hi && unique >= uLo && unique <= uHi) continue
      wrong.add(() => {
        const over = views > hi || unique > uHi
        const purge = removed === undefined ? undefined : over ? purgedViewsStillCounted(ctx, video, removed) : viewsRemovedFromOthers(ctx, video)
        const repeat = purge === undefined && over ? repeatedView(ctx, video) : undefined
        const viewer = purge?.user ?? repeat?.user ?? (someViewer[video] as number)
        const atMs = purge?.atMs ?? repeat?.atMs ?? (someViewAtMs[video] as number)
        const cause =
          purge !== undefined
            ? purge.cause
            : repeat !== undefined
              ? `; e.g. ${population.userIds.get(repeat.user)}'s view at ${seconds(repeat.firstMs)} ${repeat.retried ? `timed out and was retried with the same key at ${seconds(repeat.atMs)}` : `arrived again at ${seconds(repeat.atMs)} (a duplicate request, same key)`}: counted again`
              : viewer < 0
                ? ''
                : over
                  ? `; more than were requested, none of them twice: the system counted some twice (e.g. ${population.userIds.get(viewer)} viewed it at ${seconds(atMs)})`
                  : `; acknowledged views not counted: lost (e.g. ${population.userIds.get(viewer)}'s at ${seconds(atMs)})`
        return {
          message: `${population.videoIds.get(video)} in ${region.region}: ${views} views (expected ${lo}..${hi}), ${unique} unique viewers (expected ${uLo}..${uHi})${cause}`,
          videoId: videoIdOf(ctx, video),
          region: region.region,
          atMs: viewer >= 0 ? atMs : region.readAtMs,
          ...(viewer >= 0 ? { userId: userIdOf(ctx, viewer) } : {}),
        }
      })
    }
  }
  // Said only where a purge took views away, so that runs without one read as they always did.
  const purged = leftOut > 0 ? { purgedViewsLeftOut: leftOut } : {}
  if (leftOut > 0) expected += ', without any view of an account a purge removed with its views'
  const values = { wrongCounts: wrong.count, acknowledgedViews: acknowledged, indeterminateViews: indeterminate, ...purged }
  if (countsRead === 0) return nothingToJudge('view-counts', { expected, why: 'no final read of a count succeeded' + SEE_EXERCISED, values: { ...values, wrongCounts: 0 } })
  return {
    name: 'view-counts',
    status: statusOf(wrong.count === 0),
    observed: `${wrong.count} (video, region) view count(s) outside their bounds (${acknowledged} acknowledged views, ${indeterminate} indeterminate${leftOut > 0 ? `; ${leftOut} view(s) of purged accounts left out` : ''})`,
    expected,
    values,
    examples: wrong.examples,
  }
}

/** Distinct pairs per video, counted after a typed-array sort (in place: it reorders `pairs`). */
/** Distinct pairs per video of two sorted columns together (`b` absent: of `a` alone). */
function distinctPerVideo(a: Float64Array, b: Float64Array | undefined, videoCount: number): Int32Array {
  const counts = new Int32Array(videoCount)
  const other = b ?? new Float64Array(0)
  let last = Number.NaN
  for (let i = 0, j = 0; i < a.length || j < other.length; ) {
    const pair = j >= other.length || (i < a.length && (a[i] as number) <= (other[j] as number)) ? (a[i++] as number) : (other[j++] as number)
    if (pair === last) continue
    last = pair
    const video = pairVideoOf(pair)
    counts[video] = (counts[video] as number) + 1
  }
  return counts
}

/** A view of the video that reached the system twice: retried after a timeout, or duplicated (for examples). */
function repeatedView(ctx: CheckContext, video: number): { user: number; firstMs: number; atMs: number; retried: boolean } | undefined {
  const { history } = ctx
  // Attempts that may have landed, by logical view: the second one is the repeat.
  const firstMsOf = new Map<number, number>()
  for (let i = 0; i < history.length; i++) {
    if (history.kindOf(i) !== OpKind.View || history.videoOf(i) !== video || history.outcomeOf(i) === Outcome.Fail) continue
    const op = history.opIdOf(i)
    const firstMs = firstMsOf.get(op)
    if (firstMs === undefined) {
      firstMsOf.set(op, history.invokeMsOf(i))
      continue
    }
    return { user: history.userOf(i), firstMs, atMs: history.invokeMsOf(i), retried: history.attemptOf(i) > 1 }
  }
  return undefined
}
