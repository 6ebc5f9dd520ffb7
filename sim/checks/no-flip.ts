// no-flip: "my like keeps getting unliked". A read of a user's own like that says "not liked",
// while as of the time it claims the like surely stood (acknowledged, not undone by the user,
// not purged), is a flip.
import { Outcome, pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, ExampleCollector, seconds, statusOf } from './check-types.ts'

export function checkNoFlip(ctx: CheckContext): CheckResult {
  const { history, population, pairs, regionIds } = ctx
  const flips = new ExampleCollector(ctx.examplesMax)
  let readBacks = 0
  for (let i = 0; i < history.length; i++) {
    if (history.kind[i] !== OpKind.ReadLiked || history.outcome[i] !== Outcome.Ok) continue
    readBacks++
    if (history.liked[i] !== 0) continue
    const video = history.video[i] as number
    const user = history.user[i] as number
    const index = pairs.indexOf(pairOf(video, user))
    if (index < 0) continue
    const tMs = history.earliestAsOfMs(i)
    if (!pairs.mustBeLiked(index, tMs, history.completeMs[i] as number)) continue
    flips.add(() => ({
      message: `${population.userIds[user]} read their like of ${population.videoIds[video]} back as unliked in ${regionIds[history.region[i] as number]} at ${seconds(history.invokeMs[i] as number)}; it was acknowledged at ${seconds(pairs.lastAckMs(index, tMs))} and never undone`,
      videoId: population.videoIds[video] as string,
      userId: population.userIds[user] as string,
      region: regionIds[history.region[i] as number] as string,
      atMs: history.invokeMs[i] as number,
    }))
  }
  return {
    name: 'no-flip',
    status: statusOf(flips.count === 0),
    observed: `${flips.count} of ${readBacks} read-backs showed an acknowledged like as unliked`,
    expected: 'an acknowledged like never reads back as unliked unless its user undid it or a purge removed it',
    values: { flips: flips.count, readBacks },
    examples: flips.examples,
  }
}
