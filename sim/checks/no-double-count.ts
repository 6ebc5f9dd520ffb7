// no-double-count: a video's count equals its set of likers. After convergence each region's
// count must equal the number of users it lists as liking the video, and can never exceed the
// number of pairs that could possibly be liked: retries, double taps and replays never inflate it.
import { OpKind } from '../operation.ts'
import { pairUserOf } from '../history.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, seconds, statusOf } from './check-types.ts'

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
  for (const region of final.regions) {
    const likers = new Int32Array(population.videoCount)
    for (const pair of region.likedPairs) {
      const video = Math.floor(pair / (1 << 22))
      if (video < likers.length) likers[video] = (likers[video] as number) + 1
    }
    for (let video = 0; video < population.videoCount; video++) {
      if (region.readOk[video] !== 1) continue
      const count = region.likeCount[video] as number
      const listed = likers[video] as number
      const possible = upper[video] as number
      if (count <= listed && count <= possible) continue
      excessLikes += count - Math.min(listed, possible)
      inflated.add(() => {
        const repeat = repeatedLike(ctx, video) ?? lastLike(ctx, video, atMs)
        return {
          message:
            `${population.videoIds[video]} counts ${count} likes in ${region.region} but lists ${listed} liker(s) (at most ${possible} possible)` +
            (repeat === undefined ? '' : repeat.repeated ? `; e.g. ${repeat.userId} liked it more than once, again at ${seconds(repeat.atMs)}` : `; its last like was ${repeat.userId}'s at ${seconds(repeat.atMs)}`),
          videoId: population.videoIds[video] as string,
          region: region.region,
          atMs: repeat?.atMs ?? region.readAtMs,
          ...(repeat === undefined ? {} : { userId: repeat.userId }),
        }
      })
    }
  }
  return {
    name: 'no-double-count',
    status: statusOf(inflated.count === 0),
    observed: `${inflated.count} (video, region) count(s) above their likers, ${excessLikes} like(s) too many in total`,
    expected,
    values: { inflatedCounts: inflated.count, excessLikes },
    examples: inflated.examples,
  }
}

/** A user who sent more than one like for the video (a retry or a second device), for the example. */
function repeatedLike(ctx: CheckContext, video: number): { userId: string; atMs: number; repeated: boolean } | undefined {
  const { pairs, history, population } = ctx
  const end = pairs.videoPairEnd[video] as number
  for (let index = pairs.videoPairStart[video] as number; index < end; index++) {
    let likes = 0
    let lastAt = 0
    for (let e = pairs.eventStart[index] as number; e < (pairs.eventStart[index + 1] as number); e++) {
      const attempt = pairs.attempt[e] as number
      if (pairs.liked[e] !== 1 || attempt < 0 || history.kind[attempt] !== OpKind.Like) continue
      likes++
      lastAt = pairs.invokeMs[e] as number
    }
    if (likes > 1) return { userId: population.userIds[pairUserOf(pairs.pairs[index] as number)] as string, atMs: lastAt, repeated: true }
  }
  return undefined
}

/** The video's most recent acknowledged like, when nobody liked it twice. */
function lastLike(ctx: CheckContext, video: number, atMs: number): { userId: string; atMs: number; repeated: boolean } | undefined {
  const index = ctx.pairs.lastLiked(video, atMs)
  if (index < 0) return undefined
  return { userId: ctx.population.userIds[pairUserOf(ctx.pairs.pairs[index] as number)] as string, atMs: ctx.pairs.lastAckMs(index, atMs), repeated: false }
}
