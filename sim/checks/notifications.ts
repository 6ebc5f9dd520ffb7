// notifications: "someone liked your video" may be late under overload, but not lost, and it
// reaches that video's creator. Every (liker, video) pair with an acknowledged like made during
// the run must be in its creator's inbox by the end. A full inbox holds the newest `inboxMax`
// deliveries, so a like may be missing from it only if its notification can have been delivered
// before the oldest one the inbox still shows (a like is delivered no earlier than it was first
// requested); every later one must be there. An entry about another creator's video, or about a
// like nobody made, is wrong, and does not count towards filling the inbox: a service that shows
// everyone the newest likes site-wide fails on both counts. Delivery delay is reported.
import { Outcome, pairOf, type InboxEntry } from '../history.ts'
import type { FaultSpec } from '../faults.ts'
import { type CheckContext, type CheckExample, type CheckResult, ExampleCollector, endedBeforeFinal, nothingToJudge, SEE_EXERCISED, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'

interface AcknowledgedLike {
  readonly user: number
  readonly video: number
  readonly region: number
  /** When it was first acknowledged. */
  readonly atMs: number
  /** The earliest a notification of the pair can have been delivered: its first like request. */
  earliestMs: number
}

export function checkNotifications(ctx: CheckContext): CheckResult {
  const { history, population, pairs } = ctx
  const final = history.final
  const expected =
    "every acknowledged like reaches its video's creator as a notification by the end (late under overload is fine, lost is not; a full inbox may have let go only of likes older than the oldest it shows), and no inbox shows a like on another creator's video or one nobody made"
  if (final === undefined) return endedBeforeFinal('notifications', expected)
  // The first acknowledged like of each pair made during the run, and its first request.
  const likes = new Map<number, AcknowledgedLike>()
  const firstRequestMs = new Map<number, number>()
  for (let i = 0; i < history.length; i++) {
    if (!history.mayHaveLiked(i)) continue
    const pair = pairOf(history.videoOf(i), history.userOf(i))
    if (!firstRequestMs.has(pair)) firstRequestMs.set(pair, history.invokeMsOf(i))
    if (history.outcomeOf(i) !== Outcome.Ok || likes.has(pair)) continue
    likes.set(pair, { user: history.userOf(i), video: history.videoOf(i), region: history.regionOf(i), atMs: history.completeMsOf(i), earliestMs: Infinity })
  }
  const perCreator = new Map<number, AcknowledgedLike[]>()
  for (const [pair, like] of likes) {
    like.earliestMs = firstRequestMs.get(pair) ?? like.atMs
    const creator = population.videoCreator[like.video] as number
    let list = perCreator.get(creator)
    if (list === undefined) {
      list = []
      perCreator.set(creator, list)
    }
    list.push(like)
  }
  const missing = new ExampleCollector(ctx.examplesMax)
  const wrong = new ExampleCollector(ctx.examplesMax)
  let checked = 0
  let fullInboxes = 0
  let mayBeEvicted = 0
  let unjudgedInboxes = 0
  let foreign = 0
  let phantom = 0
  const delays: number[] = []
  // Each inbox's entries about its creator's own videos and likes that were requested: only those
  // fill an inbox (a notification about someone else's video is no excuse for losing one's own).
  const rightful = new Map<number, InboxEntry[]>()
  for (const [creator, inbox] of final.inboxes) {
    const own: InboxEntry[] = []
    rightful.set(creator, own)
    for (const entry of inbox) {
      delays.push(entry.deliveredAtMs - entry.likedAtMs)
      const owner = entry.video >= 0 ? (population.videoCreator[entry.video] as number) : -1
      const made = entry.video >= 0 && entry.fromUser >= 0 && wasLiked(pairs, pairOf(entry.video, entry.fromUser))
      if (owner === creator && made) {
        own.push(entry)
        continue
      }
      if (owner !== creator) foreign++
      else phantom++
      wrong.add(() => {
        const video = population.videoIds.get(entry.video) ?? '(an unknown video)'
        const from = population.userIds.get(entry.fromUser) ?? '(an unknown user)'
        return {
          message:
            owner !== creator
              ? `${population.userIds.get(creator)}'s notifications show ${from}'s like of ${video}, a video of ${owner >= 0 ? population.userIds.get(owner) : 'nobody in this world'}: notifications not kept per creator`
              : `${population.userIds.get(creator)}'s notifications show a like of ${video} by ${from} that was never requested`,
          ...(entry.video >= 0 ? { videoId: video } : {}),
          ...(entry.fromUser >= 0 ? { userId: from } : {}),
          atMs: entry.deliveredAtMs,
        }
      })
    }
  }
  for (const [creator, creatorLikes] of perCreator) {
    const inbox = rightful.get(creator)
    if (inbox === undefined) continue
    // A full inbox lets go of its oldest deliveries: the oldest it shows bounds what it may have dropped.
    const full = inbox.length >= final.inboxMax
    let oldestShownMs = -Infinity
    if (full) {
      oldestShownMs = Math.min(...inbox.map((entry) => entry.deliveredAtMs))
      // Delivery times not on the run's clock cannot say what was let go of: not judged.
      if (!(oldestShownMs <= final.atMs)) {
        unjudgedInboxes++
        continue
      }
      fullInboxes++
    }
    const delivered = new Set<number>()
    for (const entry of inbox) delivered.add(pairOf(entry.video, entry.fromUser))
    for (const like of creatorLikes) {
      if (like.earliestMs <= oldestShownMs) {
        if (!delivered.has(pairOf(like.video, like.user))) mayBeEvicted++
        continue
      }
      checked++
      if (delivered.has(pairOf(like.video, like.user))) continue
      missing.add(() => {
        const region = regionIdOf(ctx, like.region)
        const trouble = faultAt(ctx.faults, region, like.atMs)
        return {
          message:
            `${population.userIds.get(like.user)}'s like of ${population.videoIds.get(like.video)} (acknowledged in ${region} at ${seconds(like.atMs)}` +
            (trouble === undefined ? '' : `, during the ${trouble.kind} of ${region}`) +
            `) never reached ${population.userIds.get(creator)}'s notifications` +
            (full ? `, though it came after the oldest one their full inbox shows (delivered at ${seconds(oldestShownMs)})` : '') +
            (trouble === undefined ? '' : ` — dropped under the ${trouble.kind} rather than deferred?`),
          videoId: videoIdOf(ctx, like.video),
          userId: userIdOf(ctx, like.user),
          region,
          atMs: like.atMs,
        }
      })
    }
  }
  delays.sort((a, b) => a - b)
  const p99 = delays.length === 0 ? null : (delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] as number)
  const max = delays.length === 0 ? null : (delays[delays.length - 1] as number)
  const values = { missing: missing.count, checked, fullInboxes, mayBeEvicted, unjudgedInboxes, foreignEntries: foreign, phantomEntries: phantom, delayP99Ms: p99, delayMaxMs: max, unreadInboxes: final.inboxFailures }
  if (checked === 0 && mayBeEvicted === 0 && foreign + phantom === 0 && final.inboxFailures === 0) {
    return nothingToJudge('notifications', { expected, why: unjudgedInboxes > 0 ? `${unjudgedInboxes} full inbox(es) with delivery times not on the run's clock` : 'no like was acknowledged' + SEE_EXERCISED, values })
  }
  return {
    name: 'notifications',
    status: statusOf(missing.count === 0 && foreign + phantom === 0 && final.inboxFailures === 0),
    observed:
      `${missing.count} of ${checked} likes never notified their creator` +
      (foreign + phantom > 0 ? `, ${foreign} notification(s) about another creator's video and ${phantom} about a like never requested` : '') +
      (final.inboxFailures > 0 ? `, ${final.inboxFailures} inbox(es) unreadable` : '') +
      (fullInboxes > 0 ? `; ${fullInboxes} full inbox(es) judged by the oldest delivery they show (${mayBeEvicted} older like(s) may have been let go of)` : '') +
      (unjudgedInboxes > 0 ? `, ${unjudgedInboxes} full inbox(es) with delivery times not on the run's clock not judged` : '') +
      `; delivery delay p99 ${p99 === null ? 'n/a' : seconds(p99)}, max ${max === null ? 'n/a' : seconds(max)}`,
    expected,
    values,
    // Both kinds of fault shown when both occur: alternately, lost likes first.
    examples: missing.examples.flatMap((example, k) => [example, ...(k < wrong.examples.length ? [wrong.examples[k] as CheckExample] : [])]).concat(wrong.examples.slice(missing.examples.length)).slice(0, ctx.examplesMax),
  }
}

/** Whether any like of the pair may have been made (acknowledged, indeterminate or imported). */
function wasLiked(pairs: CheckContext['pairs'], pair: number): boolean {
  const index = pairs.indexOf(pair)
  if (index < 0) return false
  return pairs.hasLike(index)
}

/** A fault of the region (or of every region) going on at the time, for the example's hint. */
function faultAt(faults: readonly FaultSpec[], region: string, atMs: number): FaultSpec | undefined {
  return faults.find((f) => 'region' in f && f.region === region && atMs >= f.startS * 1000 && atMs < f.endS * 1000)
}
