// last-intent: "my like keeps getting unliked" and its mirror. After convergence each (user,
// video) pair must be in a state the user's own actions allow: liked if the last acknowledged
// intent was a like that nothing could have overridden, not liked if no like can still stand.
// Taps that raced each other (overlapping requests) may end either way. When the like states were
// read on a sample of the pairs, only the pairs in it are judged (the others are unknown).
import { likeSampleOf, likeStateRead, pairUserOf, pairVideoOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, sampleWords, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'
import { strayRepeat } from './like-causes.ts'

export function checkLastIntent(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const final = history.final
  const expected = "each (user, video) ends in a state the user's last intent allows, in every region (liked after a last like, not liked after a last unlike)"
  if (final === undefined) return endedBeforeFinal('last-intent', expected)
  const atMs = final.atMs
  const wrong = new ExampleCollector(ctx.examplesMax)
  let resurrected = 0
  let dropped = 0
  let judged = 0
  const sample = likeSampleOf(final)
  for (let index = 0; index < pairs.pairCount; index++) {
    const pair = pairs.pairKeyOf(index)
    if (sample !== undefined && !sample.pairs.has(pair)) continue
    judged++
    const must = pairs.mustBeLiked(index, atMs, atMs)
    const may = must || pairs.mayBeLiked(index, atMs, atMs)
    for (const region of final.regions) {
      if (!likeStateRead(region, pair)) continue
      const liked = region.likedPairs.has(pair)
      if (liked === must || (liked && may)) continue
      if (liked) resurrected++
      else dropped++
      wrong.add(() => {
        const user = pairUserOf(pair)
        const video = pairVideoOf(pair)
        const lastAt = lastIntentMs(ctx, index)
        return {
          message: `${population.userIds.get(user)}'s like of ${population.videoIds.get(video)} is ${liked ? 'liked' : 'not liked'} in ${region.region}, but their last intent (at ${seconds(lastAt)}) was to ${liked ? 'unlike' : 'like'} it${intentCause(ctx, { pair, liked, lastAtMs: lastAt })}`,
          videoId: videoIdOf(ctx, video),
          userId: userIdOf(ctx, user),
          region: region.region,
          atMs: lastAt,
        }
      })
    }
  }
  if (judged === 0) {
    const why = sample === undefined || pairs.pairCount === 0 ? 'no like or unlike may have taken effect' + SEE_EXERCISED : `no pair a like or unlike may have changed is in the sample the like states were read on (${sample.pairs.size} of ${sample.of} pairs)`
    return nothingToJudge('last-intent', { expected, why, values: { resurrected: 0, dropped: 0, pairs: 0 } })
  }
  return {
    name: 'last-intent',
    status: statusOf(wrong.count === 0),
    observed:
      `${resurrected} pair(s) liked against a last unlike, ${dropped} pair(s) unliked against a last like (of ${judged} pairs x ${final.regions.length} regions` +
      (sample === undefined ? ')' : `; like states read ${sampleWords(sample)}, ${pairs.pairCount - judged} of the run's pairs outside it not judged)`),
    expected,
    values: { resurrected, dropped, pairs: judged },
    examples: wrong.examples,
  }
}

/** When the pair's last action was invoked. */
function lastIntentMs(ctx: CheckContext, index: number): number {
  return ctx.pairs.eventInvokeMsOf(ctx.pairs.lastEventOf(index))
}

/**
 * Why the pair ended against its last intent, as the history tells it: a retry or a duplicate of
 * an earlier request of the opposite intent that arrived after the last one was sent and was
 * applied again; or regions that disagree (replication lost the last intent on its way); or the
 * last intent lost outright.
 */
function intentCause(ctx: CheckContext, { pair, liked, lastAtMs }: { pair: number; liked: boolean; lastAtMs: number }): string {
  const video = pairVideoOf(pair)
  const user = pairUserOf(pair)
  const stray = strayRepeat(ctx, { video, user, kind: liked ? OpKind.Like : OpKind.Unlike, fromMs: lastAtMs, toMs: Infinity })
  if (stray !== '') return stray
  const regions = ctx.history.final?.regions ?? []
  const agreeing = regions.filter((region) => likeStateRead(region, pair) && region.likedPairs.has(pair) !== liked).map((region) => region.region)
  if (agreeing.length > 0) return ` — ${agreeing.join(', ')} ${agreeing.length === 1 ? 'has' : 'have'} it right: replication lost the last intent on its way`
  return ' — in every region: the last intent was lost'
}
