// convergence: after the last fault ends, every region catches up (its replication watermark
// passes the end of the fault) within the deadline, and after the quiet period all regions agree
// on every count and every like (when the like states were read on a sample of the pairs, every
// like of the sample: a pair one region did not read is not compared).
import { lastDisturbanceEndMs } from '../faults.ts'
import { likeSampleOf, likeStateRead, pairUserOf, pairVideoOf } from '../history.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, sampleWords, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf } from './check-types.ts'

export const DEFAULT_DEADLINE_S = 30

export function checkConvergence(ctx: CheckContext): CheckResult {
  const { history, population } = ctx
  const deadlineMs = (ctx.config.convergence?.deadlineS ?? DEFAULT_DEADLINE_S) * 1000
  const expected = `every region caught up within ${deadlineMs / 1000}s of the last fault ending, and all regions agree on every count and like`
  const final = history.final
  if (final === undefined) {
    return endedBeforeFinal('convergence', expected)
  }
  const fromMs = history.convergenceFromMs ?? lastDisturbanceEndMs(ctx.faults)
  let caughtUpAtMs = Number.NaN
  for (const probe of history.probes) {
    if (probe.atMs < fromMs) continue
    if (probe.watermarkMs.every((mark) => mark >= fromMs)) {
      caughtUpAtMs = probe.atMs
      break
    }
  }
  const catchUpMs = Number.isNaN(caughtUpAtMs) ? null : caughtUpAtMs - fromMs
  const differ = new ExampleCollector(ctx.examplesMax)
  const reference = final.regions[0]
  let differingVideos = 0
  let differingLikes = 0
  let compared = 0
  if (reference !== undefined) {
    for (const region of final.regions.slice(1)) {
      // Likes one region lists and the other does not, by video (the first user for examples).
      const differingUser = new Map<number, number>()
      const note = (pair: number): void => {
        differingLikes++
        const video = pairVideoOf(pair)
        if (!differingUser.has(video)) differingUser.set(video, pairUserOf(pair))
      }
      for (const pair of reference.likedPairs) if (!region.likedPairs.has(pair) && likeStateRead(region, pair)) note(pair)
      for (const pair of region.likedPairs) if (!reference.likedPairs.has(pair) && likeStateRead(reference, pair)) note(pair)
      for (let video = 0; video < population.videoCount; video++) {
        if (reference.readOk[video] !== 1 || region.readOk[video] !== 1) continue
        compared++
        const a = [reference.likeCount[video], reference.viewCount[video], reference.uniqueViewers[video]]
        const b = [region.likeCount[video], region.viewCount[video], region.uniqueViewers[video]]
        const user = differingUser.get(video)
        if (a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && user === undefined) continue
        differingVideos++
        differ.add(() => ({
          message:
            `${population.videoIds.get(video)}: ${reference.region} shows ${a[0]} likes/${a[1]} views/${a[2]} viewers, ${region.region} shows ${b[0]}/${b[1]}/${b[2]}` +
            (user === undefined ? '' : `; ${population.userIds.get(user)}'s like is in one and not the other`),
          videoId: videoIdOf(ctx, video),
          region: region.region,
          atMs: final.atMs,
          ...(user === undefined ? {} : { userId: userIdOf(ctx, user) }),
        }))
      }
    }
  }
  // A target without an admin API reports no watermarks: the catch-up time is not measured (not
  // failed for want of it), and the agreement at the end is judged alone.
  const measured = history.probes.length > 0
  const sample = likeSampleOf(final)
  compared += final.regions.reduce((sum, region) => sum + region.likedPairs.size, 0)
  if (!measured && compared === 0) {
    return nothingToJudge('convergence', { expected, why: 'no watermark was reported and no count or like list was read in two regions' + SEE_EXERCISED, values: { catchUpMs, differingVideos, differingLikes, deadlineMs } })
  }
  const inTime = !measured || (catchUpMs !== null && catchUpMs <= deadlineMs)
  const agree = differingVideos === 0 && differingLikes === 0
  // Probing that stopped before the deadline without showing the catch-up (a load generator that
  // judged it by a rougher clock) has not seen the regions miss it: not a failure of the system.
  const lastProbeMs = history.probes.at(-1)?.atMs ?? Number.NEGATIVE_INFINITY
  const unseen = measured && catchUpMs === null && lastProbeMs < fromMs + deadlineMs
  // A catch-up timed while the harness's own timers ran late (its probes, or the embedded server's
  // replication, behind on a machine short of CPU) measured the machine: the agreement still counts.
  const lateClock = measured && !inTime && agree ? ctx.harness?.timersLate : undefined
  return {
    name: 'convergence',
    status: (unseen || lateClock !== undefined) && agree ? 'inconclusive' : statusOf(inTime && agree),
    observed:
      (!measured
        ? 'catch-up not measured (the target reported no replication watermarks: no admin API)'
        : unseen
          ? `the probes stopped ${seconds(lastProbeMs - fromMs)} after the last fault, before the regions were seen to catch up (the load generator stopped probing early)`
          : catchUpMs === null
            ? `regions had not caught up ${seconds(deadlineMs)} after the last fault`
            : `regions caught up ${seconds(catchUpMs)} after the last fault`) +
      `; ${differingVideos} video(s) and ${differingLikes} like(s) differ between regions at the end` +
      (sample === undefined ? '' : ` (likes compared ${sampleWords(sample)}, counts in full)`) +
      (lateClock === undefined ? '' : `; INCONCLUSIVE: the catch-up was timed while ${lateClock}`),
    expected,
    values: { catchUpMs, differingVideos, differingLikes, deadlineMs },
    examples: differ.examples,
  }
}
