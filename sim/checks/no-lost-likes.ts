// no-lost-likes: after the faults heal and replication settles, every acknowledged like that its
// user did not undo and no purge removed is listed as liked, and counted, in every region. When
// the like states were read on a sample of the pairs, the listing is judged on the sample (a pair
// outside it is unknown, not lost); the counts are judged in full, from the history alone.
import { likeSampleOf, likeStateRead, pairUserOf, pairVideoOf, type RegionFinal } from '../history.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, sampleWords, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'
import { regionsListing, strayRepeat } from './like-causes.ts'
import { OpKind } from '../operation.ts'

export function checkNoLostLikes(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const final = history.final
  const expected = 'every acknowledged like not undone by its user or a purge is listed and counted in every region after convergence'
  if (final === undefined) return endedBeforeFinal('no-lost-likes', expected)
  const atMs = final.atMs
  const missing = new ExampleCollector(ctx.examplesMax)
  const surelyPerVideo = new Int32Array(population.videoCount)
  let acknowledged = 0
  let inSample = 0
  const sample = likeSampleOf(final)
  for (let index = 0; index < pairs.pairCount; index++) {
    if (!pairs.mustBeLiked(index, atMs, atMs)) continue
    acknowledged++
    const pair = pairs.pairKeyOf(index)
    const video = pairVideoOf(pair)
    const user = pairUserOf(pair)
    surelyPerVideo[video] = (surelyPerVideo[video] as number) + 1
    if (sample?.pairs.has(pair) === true) inSample++
    for (const region of final.regions) {
      if (region.likedPairs.has(pair) || !likeStateRead(region, pair)) continue
      missing.add(() => {
        // An earlier unlike applied again; else held by some regions: replication did not bring
        // it; else by none: acknowledged but never stored.
        const { listing } = regionsListing(ctx, video, user)
        const stray = strayRepeat(ctx, { video, user, kind: OpKind.Unlike, fromMs: pairs.lastLikeInvokeMs(index, atMs), toMs: Infinity })
        const cause =
          stray !== ''
            ? stray
            : listing.length > 0
              ? ` — ${listing.join(', ')} hold${listing.length === 1 ? 's' : ''} it: replication did not bring it`
              : ' — no region holds it: acknowledged but never stored'
        return {
          message: `like by ${population.userIds.get(user)} on ${population.videoIds.get(video)}, acknowledged at ${seconds(pairs.lastAckMs(index, atMs))}, is missing in ${region.region}${cause}`,
          videoId: videoIdOf(ctx, video),
          userId: userIdOf(ctx, user),
          region: region.region,
          atMs: pairs.lastAckMs(index, atMs),
        }
      })
    }
  }
  const undercounted = new ExampleCollector(ctx.examplesMax)
  for (const region of final.regions) {
    for (let video = 0; video < population.videoCount; video++) {
      if (region.readOk[video] !== 1) continue
      const count = region.likeCount[video] as number
      const surely = surelyPerVideo[video] as number
      if (count >= surely) continue
      undercounted.add(() => {
        const witness = pairs.lastLiked(video, atMs)
        const userId = witness >= 0 ? (userIdOf(ctx, pairUserOf(pairs.pairKeyOf(witness)))) : undefined
        const ackMs = witness >= 0 ? pairs.lastAckMs(witness, atMs) : region.readAtMs
        const cause = undercountCause(ctx, { video, region, atMs })
        return {
          message: `${population.videoIds.get(video)} counts ${count} likes in ${region.region} but ${surely} acknowledged likes stand` + (userId === undefined ? '' : ` (latest: ${userId}'s at ${seconds(ackMs)})`) + cause,
          videoId: videoIdOf(ctx, video),
          region: region.region,
          atMs: ackMs,
          ...(userId === undefined ? {} : { userId }),
        }
      })
    }
  }
  const unverified = final.regions.reduce((sum, region) => sum + region.listFailures, 0)
  const values = { standingLikes: acknowledged, missingLikes: missing.count, undercountedVideos: undercounted.count, unreadLists: unverified, ...(sample === undefined ? {} : { sampledStandingLikes: inSample }) }
  if (acknowledged === 0 && unverified === 0) return nothingToJudge('no-lost-likes', { expected, why: 'no acknowledged like stands' + SEE_EXERCISED, values })
  const passed = missing.count === 0 && undercounted.count === 0 && unverified === 0
  return {
    name: 'no-lost-likes',
    status: statusOf(passed),
    observed:
      `${missing.count} acknowledged like(s) missing from a region's like lists, ${undercounted.count} video count(s) below their acknowledged likes` +
      (unverified > 0 ? `, ${unverified} liked list(s) could not be read` : '') +
      ` (of ${acknowledged} standing likes` +
      (sample === undefined ? ')' : `; like states read ${sampleWords(sample)}, which hold ${inSample} of them: the counts are judged in full)`),
    expected,
    values,
    examples: [...missing.examples, ...undercounted.examples].slice(0, ctx.examplesMax),
  }
}

/**
 * Why the region's count of the video is below its standing likes: its own like states holding
 * them all says the counter fell behind its like set; lacking some, likes were lost. Only the
 * pairs whose like state was read are looked at.
 */
function undercountCause(ctx: CheckContext, { video, region, atMs }: { video: number; region: RegionFinal; atMs: number }): string {
  const { pairs } = ctx
  let held = 0
  let read = 0
  for (let index = pairs.firstPairOf(video); index < pairs.pairEndOf(video); index++) {
    const pair = pairs.pairKeyOf(index)
    if (!pairs.mustBeLiked(index, atMs, atMs) || !likeStateRead(region, pair)) continue
    read++
    if (region.likedPairs.has(pair)) held++
  }
  if (read === 0) return ''
  const of = region.likeSample === undefined ? '' : ` (of the ${read} of them in the sample read)`
  return held >= read ? `; its own like list holds all ${read}${of}: the counter missed their increments` : `; its like list lacks ${read - held} of them too${of}: likes lost`
}
