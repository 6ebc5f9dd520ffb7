// no-flip: "my like keeps getting unliked". A read of a user's own like that says "not liked",
// while as of the time it claims the like surely stood (acknowledged, not undone by the user,
// not purged), is a flip.
import { pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, nothingToJudge, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { ackRegionOf, strayRepeat } from './like-causes.ts'

export function checkNoFlip(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const flips = new ExampleCollector(ctx.examplesMax)
  let readBacks = 0
  let ofStandingLikes = 0
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.ReadLiked)) continue
    readBacks++
    const video = history.videoOf(i)
    const user = history.userOf(i)
    const index = pairs.indexOf(pairOf(video, user))
    if (index < 0) continue
    const tMs = history.earliestAsOfMs(i)
    if (!pairs.mustBeLiked(index, tMs, history.completeMsOf(i))) continue
    ofStandingLikes++
    if (history.likedOf(i) !== false) continue
    flips.add(() => {
      const region = regionIdOf(ctx, history.regionOf(i))
      const ackMs = pairs.lastAckMs(index, tMs)
      const ackRegion = ackRegionOf(ctx, pairOf(video, user), ackMs)
      // An earlier unlike applied again; else acknowledged elsewhere: the read's region had not
      // heard of it, yet claimed a later state; else the region that acknowledged it lost it.
      const stray = strayRepeat(ctx, { video, user, kind: OpKind.Unlike, fromMs: pairs.lastLikeInvokeMs(index, tMs), toMs: history.invokeMsOf(i) })
      const cause =
        stray !== ''
          ? stray
          : ackRegion === undefined
            ? ''
            : ackRegion !== region
              ? ` — ${region} had not heard of it yet claimed the state as of ${seconds(history.readAsOfMs(i))}: replication lag passed off as current`
              : ' — the region that acknowledged it lost it'
      return {
        message: `${population.userIds.get(user)} read their like of ${population.videoIds.get(video)} back as unliked in ${region} at ${seconds(history.invokeMsOf(i))}; it was acknowledged${ackRegion === undefined ? '' : ` in ${ackRegion}`} at ${seconds(ackMs)} and never undone${cause}`,
        videoId: videoIdOf(ctx, video),
        userId: userIdOf(ctx, user),
        region,
        atMs: history.invokeMsOf(i),
      }
    })
  }
  const expected = 'an acknowledged like never reads back as unliked unless its user undid it or a purge removed it'
  if (ofStandingLikes === 0) {
    const why =
      readBacks === 0
        ? `no read-back of a like was answered${SEE_EXERCISED}`
        : `none of ${readBacks} read-backs was of a like that surely stood as of the time it claims` +
          (Number.isFinite(history.asOfSlackMs) ? '' : " (the target's clock was not calibrated: no claimed time can be placed on ours)")
    return nothingToJudge('no-flip', { expected, why, values: { flips: 0, readBacks, readBacksOfStandingLikes: 0 } })
  }
  return {
    name: 'no-flip',
    status: statusOf(flips.count === 0),
    observed: `${flips.count} of ${ofStandingLikes} read-backs of a like that surely stood showed it as unliked (${readBacks} read-backs in all)`,
    expected,
    values: { flips: flips.count, readBacks, readBacksOfStandingLikes: ofStandingLikes },
    examples: flips.examples,
  }
}
