// takedown: a video taken down for a guideline breach is hidden, not emptied. While it is down
// no read may show its counts; once restored, its first reads must show the likes that stood
// (within the counter bounds of that moment), not a count that restarted from nothing.
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'

export function checkTakedown(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const windows: Array<{ video: number; startMs: number; endMs: number }> = []
  for (const fault of ctx.faults) {
    if (fault.kind !== 'takedown') continue
    for (const rank of fault.videoRanks) windows.push({ video: population.rankToVideo[rank - 1] as number, startMs: fault.startS * 1000, endMs: fault.endS * 1000 })
  }
  const expected = 'taken-down videos show no counts while down, and show the likes that stood once restored'
  if (windows.length === 0) return { name: 'takedown', status: 'not-applicable', observed: 'no takedown in the timeline', expected, values: {}, examples: [] }
  const byVideo = new Map(windows.map((w) => [w.video, w]))
  const shown = new ExampleCollector(ctx.examplesMax)
  const restoredWrong = new ExampleCollector(ctx.examplesMax)
  // First reads after restore: one per (video, region).
  const seenAfter = new Set<string>()
  let restoredReads = 0
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.ReadVideo)) continue
    const video = history.videoOf(i)
    const window = byVideo.get(video)
    if (window === undefined) continue
    const t = history.invokeMsOf(i)
    const region = regionIdOf(ctx, history.regionOf(i))
    const reader = history.userOf(i)
    if (t >= window.startMs && t < window.endMs) {
      shown.add(() => ({
        message: `${population.videoIds.get(video)} was taken down at ${seconds(window.startMs)} but ${population.userIds.get(reader)} read ${history.likeCountOf(i)} likes on it in ${region} at ${seconds(t)}`,
        videoId: videoIdOf(ctx, video),
        userId: userIdOf(ctx, reader),
        region,
        atMs: t,
      }))
      continue
    }
    const key = `${video}/${region}`
    if (t < window.endMs || seenAfter.has(key)) continue
    seenAfter.add(key)
    restoredReads++
    const [lower, upper] = pairs.bounds(video, history.earliestAsOfMs(i), history.completeMsOf(i))
    const value = history.likeCountOf(i)
    if (value >= lower && value <= upper) continue
    restoredWrong.add(() => ({
      message:
        `${population.videoIds.get(video)} came back at ${seconds(window.endMs)} showing ${value} likes in ${region} to ${population.userIds.get(reader)} at ${seconds(t)}; ${lower}..${upper} stood` +
        (value < lower ? ' — its count restarted: the takedown dropped the counts instead of hiding them' : ' — more than stood: likes refused while it was down counted anyway, or likes counted twice'),
      videoId: videoIdOf(ctx, video),
      userId: userIdOf(ctx, reader),
      region,
      atMs: t,
    }))
  }
  // A video restored late in the run may be read by nobody before its end: the final reads (after
  // the quiet period) are its first reads then, judged the same way.
  const final = history.final
  if (final !== undefined) {
    for (const window of windows) {
      if (window.endMs > final.atMs) continue
      const [lower, upper] = pairs.bounds(window.video, final.atMs, final.atMs)
      for (const regionFinal of final.regions) {
        const key = `${window.video}/${regionFinal.region}`
        if (seenAfter.has(key) || regionFinal.readOk[window.video] !== 1) continue
        seenAfter.add(key)
        restoredReads++
        const value = regionFinal.likeCount[window.video] as number
        if (value >= lower && value <= upper) continue
        restoredWrong.add(() => ({
          message: `${population.videoIds.get(window.video)} came back at ${seconds(window.endMs)} showing ${value} likes in ${regionFinal.region} at the final reads (${seconds(final.atMs)}); ${lower}..${upper} stood`,
          videoId: videoIdOf(ctx, window.video),
          region: regionFinal.region,
          atMs: final.atMs,
        }))
      }
    }
  }
  return {
    name: 'takedown',
    status: statusOf(shown.count === 0 && restoredWrong.count === 0 && restoredReads > 0),
    observed:
      `${shown.count} read(s) showed counts of a taken-down video; ` +
      (restoredReads === 0 ? 'no read of a restored video was answered, the final reads included: the videos never came back (or nothing was read)' : `${restoredWrong.count} of ${restoredReads} first read(s) after restore were off the standing likes`),
    expected,
    values: { shownWhileDown: shown.count, wrongAfterRestore: restoredWrong.count, restoredReads },
    examples: [...shown.examples, ...restoredWrong.examples].slice(0, ctx.examplesMax),
  }
}
