// notifications: "someone liked your video" may be late under overload, but not lost. Every
// (liker, video) pair with an acknowledged like made during the run must have reached the
// creator's inbox by the end; creators who got more notifications than an inbox holds are
// skipped (their oldest ones are legitimately gone). Delivery delay is reported.
import { Outcome, pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, endedBeforeFinal, seconds, statusOf } from './check-types.ts'

export function checkNotifications(ctx: CheckContext): CheckResult {
  const { history, population } = ctx
  const final = history.final
  const expected = 'every acknowledged like reaches its creator as a notification by the end (late under overload is fine, lost is not)'
  if (final === undefined) return endedBeforeFinal('notifications', expected)
  // The first acknowledged like of each pair made during the run, by creator.
  const firstAck = new Map<number, { user: number; video: number; atMs: number }>()
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] !== OpKind.Like || history.outcome[i] !== Outcome.Ok) continue
    const pair = pairOf(history.video[i] as number, history.user[i] as number)
    if (!firstAck.has(pair)) firstAck.set(pair, { user: history.user[i] as number, video: history.video[i] as number, atMs: history.completeMs[i] as number })
  }
  const perCreator = new Map<number, Array<{ user: number; video: number; atMs: number }>>()
  for (const like of firstAck.values()) {
    const creator = population.videoCreator[like.video] as number
    let list = perCreator.get(creator)
    if (list === undefined) {
      list = []
      perCreator.set(creator, list)
    }
    list.push(like)
  }
  const missing = new ExampleCollector(ctx.examplesMax)
  let checked = 0
  let skippedCreators = 0
  const delays: number[] = []
  for (const [creator, likes] of perCreator) {
    const inbox = final.inboxes.get(creator)
    if (inbox === undefined || inbox.length >= final.inboxMax) {
      skippedCreators++
      continue
    }
    const delivered = new Set<number>()
    for (const entry of inbox) {
      delivered.add(pairOf(entry.video, entry.fromUser))
      delays.push(entry.deliveredAtMs - entry.likedAtMs)
    }
    for (const like of likes) {
      checked++
      if (delivered.has(pairOf(like.video, like.user))) continue
      missing.add(() => ({
        message: `${population.userIds[like.user]}'s like of ${population.videoIds[like.video]} (acknowledged at ${seconds(like.atMs)}) never reached ${population.userIds[creator]}'s notifications`,
        videoId: population.videoIds[like.video] as string,
        userId: population.userIds[like.user] as string,
        atMs: like.atMs,
      }))
    }
  }
  delays.sort((a, b) => a - b)
  const p99 = delays.length === 0 ? null : (delays[Math.min(delays.length - 1, Math.floor(delays.length * 0.99))] as number)
  const max = delays.length === 0 ? null : (delays[delays.length - 1] as number)
  return {
    name: 'notifications',
    status: statusOf(missing.count === 0 && final.inboxFailures === 0),
    observed:
      `${missing.count} of ${checked} likes never notified their creator` +
      (final.inboxFailures > 0 ? `, ${final.inboxFailures} inbox(es) unreadable` : '') +
      `; delivery delay p99 ${p99 === null ? 'n/a' : seconds(p99)}, max ${max === null ? 'n/a' : seconds(max)} (${skippedCreators} creator(s) with full inboxes skipped)`,
    expected,
    values: { missing: missing.count, checked, skippedCreators, delayP99Ms: p99, delayMaxMs: max, unreadInboxes: final.inboxFailures },
    examples: missing.examples,
  }
}
