// counter-bounds: Jepsen's counter check with decrements. A read that claims to show the state as
// of T (its asOfMs; a stale read claims an earlier T) and that ended at E must lie within
// [surely liked pairs, possibly liked pairs] of the video (see pair-timeline.ts). Every final read
// is checked; mid-run reads are sampled evenly, up to a bound per (video, region), because a hot
// video's bounds cost a pass over its likers.
import { pairUserOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, nothingToJudge, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { ackRegionOf, excessLikeCause } from './like-causes.ts'

const DEFAULT_READS_PER_VIDEO_REGION = 48

export function checkCounterBounds(ctx: CheckContext): CheckResult {
  const { history, population, pairs, regionIds } = ctx
  const slackMs = history.asOfSlackMs
  const perKey = ctx.config['counter-bounds']?.readsPerVideoRegion ?? DEFAULT_READS_PER_VIDEO_REGION
  const regionCount = regionIds.length
  const readsOf = new Int32Array(population.videoCount * regionCount)
  for (let i = 0; i < history.length; i++) {
    if (history.isAcknowledged(i, OpKind.ReadVideo)) {
      const key = history.videoOf(i) * regionCount + history.regionOf(i)
      readsOf[key] = (readsOf[key] as number) + 1
    }
  }
  const seen = new Int32Array(readsOf.length)
  const violations = new ExampleCollector(ctx.examplesMax)
  let checked = 0
  let total = 0
  let below = 0
  let above = 0
  const judge = (video: number, region: string, value: number, tMs: number, eMs: number, stale: boolean, reader: number): void => {
    checked++
    // A read's T is only known to within the slack. The surely-liked count only grows with T and
    // the possibly-liked count only shrinks (unlikes complete), so the widest bounds over the
    // window are both those of its earliest instant.
    const [lower, upper] = pairs.bounds(video, tMs - slackMs, eMs)
    if (value >= lower && value <= upper) return
    if (value < lower) below++
    else above++
    violations.add(() => {
      const readerId = reader >= 0 ? (userIdOf(ctx, reader)) : undefined
      const head = `${readerId === undefined ? 'final read of ' : `${readerId} read `}${population.videoIds.get(video)} as ${value} likes in ${region} (${stale ? 'stale' : 'fresh'}, as of ${seconds(tMs)}) outside [${lower}, ${upper}]`
      if (value > upper) {
        const cause = excessLikeCause(ctx, video, { atMs: eMs })
        return {
          message: head + (cause === undefined ? '' : `; ${cause.text}`),
          videoId: videoIdOf(ctx, video),
          region,
          atMs: eMs,
          ...(readerId !== undefined ? { userId: readerId } : cause !== undefined ? { userId: cause.userId } : {}),
        }
      }
      const witness = pairs.firstSurelyLiked(video, tMs, eMs)
      const whoId = witness >= 0 ? (userIdOf(ctx, pairUserOf(pairs.pairKeyOf(witness)))) : ''
      const ackMs = witness >= 0 ? pairs.lastAckMs(witness, tMs) : Number.NaN
      const ackRegion = witness >= 0 ? ackRegionOf(ctx, pairs.pairKeyOf(witness), ackMs) : undefined
      // Acknowledged elsewhere and missing from a read that claims to be later: replication lag
      // the read did not own up to; acknowledged in the same region: the region lost or never counted it.
      const hint =
        ackRegion === undefined
          ? ''
          : ackRegion !== region
            ? ` (acknowledged in ${ackRegion}: replication lag the read's asOf does not own up to)`
            : ' (acknowledged in this very region: a like lost or never counted)'
      const who = witness < 0 ? '' : `; e.g. the like by ${whoId} acknowledged at ${seconds(ackMs)} is not in it${hint}`
      return {
        message: head + who,
        videoId: videoIdOf(ctx, video),
        region,
        atMs: eMs,
        ...(readerId !== undefined ? { userId: readerId } : witness >= 0 ? { userId: whoId } : {}),
      }
    })
  }
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.ReadVideo)) continue
    total++
    const video = history.videoOf(i)
    const key = video * regionCount + history.regionOf(i)
    const ordinal = (seen[key] = (seen[key] as number) + 1) - 1
    const stride = Math.max(1, Math.ceil((readsOf[key] as number) / perKey))
    if (ordinal % stride !== 0) continue
    judge(
      video,
      regionIdOf(ctx, history.regionOf(i)),
      history.likeCountOf(i),
      history.readAsOfMs(i),
      history.completeMsOf(i),
      history.isStale(i),
      history.userOf(i),
    )
  }
  const final = history.final
  if (final !== undefined) {
    for (const region of final.regions) {
      for (let video = 0; video < population.videoCount; video++) {
        if (region.readOk[video] !== 1) continue
        total++
        judge(video, region.region, region.likeCount[video] as number, final.atMs, final.atMs, false, -1)
      }
    }
  }
  const expected = 'every read lies within [likes surely standing, likes possibly standing] as of the time it claims (Jepsen counter bounds with decrements)'
  if (total === 0 && final !== undefined) return nothingToJudge('counter-bounds', { expected, why: 'no read of a count was answered' + SEE_EXERCISED, values: { readsChecked: 0, readsTotal: 0, belowLower: 0, aboveUpper: 0 } })
  return {
    name: 'counter-bounds',
    status: final === undefined ? 'inconclusive' : statusOf(violations.count === 0),
    observed: `${violations.count} of ${checked} checked reads outside their bounds (${below} below, ${above} above; ${total} reads in all)`,
    expected,
    values: { readsChecked: checked, readsTotal: total, belowLower: below, aboveUpper: above },
    examples: violations.examples,
  }
}
