// no-double-count: a video's count equals its set of likers. After convergence each region's
// count must equal the number of users it lists as liking the video, and can never exceed the
// number of pairs that could possibly be liked: retries, double taps and replays never inflate it,
// and a like its user undid is not counted. Each example names the likely cause (like-causes.ts).
// When the like states were read on a sample of the pairs, a video's likers are not all known: its
// count is then judged against the pairs that could possibly be liked alone.
import { likeSampleOf, pairUserOf, pairVideoOf } from '../history.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, sampleWords, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'
import { excessLikeCause, type LikeCause } from './like-causes.ts'

export function checkNoDoubleCount(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const final = history.final
  const expected = "each video's count equals the number of its likers, in every region (retries and double taps never inflate it)"
  if (final === undefined) {
    return endedBeforeFinal('no-double-count', expected)
  }
  const atMs = final.atMs
  const upper = new Int32Array(population.videoCount)
  for (let video = 0; video < population.videoCount; video++) upper[video] = pairs.bounds(video, atMs, atMs)[1]
  const inflated = new ExampleCollector(ctx.examplesMax)
  let excessLikes = 0
  let countsRead = 0
  for (const region of final.regions) {
    const likers = new Int32Array(population.videoCount)
    for (const pair of region.likedPairs) {
      const video = pairVideoOf(pair)
      if (video < likers.length) likers[video] = (likers[video] as number) + 1
    }
    for (let video = 0; video < population.videoCount; video++) {
      if (region.readOk[video] !== 1) continue
      countsRead++
      const count = region.likeCount[video] as number
      // A sample's likers are a lower bound, never the whole set: no bound on the count.
      const listed = region.likeSample === undefined ? (likers[video] as number) : Infinity
      const possible = upper[video] as number
      if (count <= listed && count <= possible) continue
      excessLikes += count - Math.min(listed, possible)
      inflated.add(() => {
        // Above what can stand: a pair it still holds though removed; above its own list: a repeat.
        const cause = excessLikeCause(ctx, video, { atMs, ...(count > possible ? { listed: region.likedPairs } : {}) }) ?? lastLike(ctx, video, atMs)
        return {
          message:
            (listed === Infinity ? `${population.videoIds.get(video)} counts ${count} likes in ${region.region} but at most ${possible} can stand` : `${population.videoIds.get(video)} counts ${count} likes in ${region.region} but lists ${listed} liker(s) (at most ${possible} possible)`) +
            (cause === undefined ? '' : `; ${cause.text}`),
          videoId: videoIdOf(ctx, video),
          region: region.region,
          atMs: cause?.atMs ?? region.readAtMs,
          ...(cause === undefined ? {} : { userId: cause.userId }),
        }
      })
    }
  }
  const sample = likeSampleOf(final)
  if (countsRead === 0) return nothingToJudge('no-double-count', { expected, why: 'no final read of a count succeeded' + SEE_EXERCISED, values: { inflatedCounts: 0, excessLikes: 0 } })
  return {
    name: 'no-double-count',
    status: statusOf(inflated.count === 0),
    observed:
      sample === undefined
        ? `${inflated.count} (video, region) count(s) above their likers, ${excessLikes} like(s) too many in total`
        : `${inflated.count} (video, region) count(s) above the likes that can stand, ${excessLikes} like(s) too many in total (judged from counts alone: the like states were read ${sampleWords(sample)}, so a video's likers are not all known and a count is not compared with its listed likers)`,
    expected,
    values: { inflatedCounts: inflated.count, excessLikes },
    examples: inflated.examples,
  }
}

/** The video's most recent acknowledged like, when the history shows no cause. */
function lastLike(ctx: CheckContext, video: number, atMs: number): LikeCause | undefined {
  const index = ctx.pairs.lastLiked(video, atMs)
  if (index < 0) return undefined
  const userId = userIdOf(ctx, pairUserOf(ctx.pairs.pairKeyOf(index)))
  const ackMs = ctx.pairs.lastAckMs(index, atMs)
  return { userId, atMs: ackMs, text: `its last like was ${userId}'s at ${seconds(ackMs)}` }
}
