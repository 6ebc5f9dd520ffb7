// exercised: the run did enough acknowledged work for the other checks to mean something. The
// data invariants judge only what the system acknowledged: a service that answers every request
// with an error loses no like, counts none twice and never shows a made-up 0, so without this
// check it would pass them all ("0 of 0"). Counted are genuine users' logical operations the
// driver sent (attack and farm traffic is the system's to refuse; an operation the driver never
// sent, for want of a free VU, is the harness's and is reported apart), per group, each of which
// must have a share acknowledged. The default share is far below what a working system shows
// under the library's worst shedding, and far above a service that does not work.
import { FailureKind } from '../failure-kind.ts'
import { Outcome } from '../history.ts'
import { OP_KIND_NAMES, OpKind } from '../operation.ts'
import { UserKind } from '../population.ts'
import { type CheckContext, type CheckExample, type CheckResult, type ExercisedShares, seconds, statusOf, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'

/**
 * robust acknowledges >= 73% of each group in every library scenario (seeds 1-7, scales 0.25 to
 * 1) and naive >= 46% (seed 7), overload-virginia the lowest for both: a quarter is a run that did
 * work, and a service that does not work falls far below it.
 */
export const DEFAULT_MIN_ACKNOWLEDGED_SHARE = 0.25
const GROUPS = ['likes', 'reads', 'views'] as const
type Group = (typeof GROUPS)[number]
/** The group of each OpKind (ReadVideo, View, Like, Unlike, ReadLiked). */
const GROUP_OF_KIND: readonly number[] = [1, 2, 0, 0, 1]
/** The driver could not send the operation: every VU was busy (mode http's open model). */
const NONE = 255

export function checkExercised(ctx: CheckContext): CheckResult {
  const { history, population } = ctx
  const minShare = minShares(ctx.config.exercised?.minAcknowledgedShare)
  const expected = `at least ${GROUPS.map((g) => `${percent(minShare[g])} of ${g}`).join(', ')} by genuine users acknowledged (the other checks judge only what was acknowledged)`
  // Per logical operation (op ids are dense): its group, whether an attempt was acknowledged or
  // sent, and its latest attempt (for the code it ended with).
  const opLimit = history.opIdLimit()
  const group = new Uint8Array(opLimit).fill(NONE)
  const acknowledged = new Uint8Array(opLimit)
  const sent = new Uint8Array(opLimit)
  const latest = new Int32Array(opLimit).fill(-1)
  for (let i = 0; i < history.length; i++) {
    if (population.truth.kind[history.userOf(i)] !== UserKind.Genuine) continue
    const op = history.opIdOf(i)
    group[op] = GROUP_OF_KIND[history.kindOf(i)] as number
    if (history.outcomeOf(i) === Outcome.Ok) acknowledged[op] = 1
    if (history.failureOf(i) !== FailureKind.NotSent) sent[op] = 1
    latest[op] = i
  }
  const sentOf = [0, 0, 0]
  const ackOf = [0, 0, 0]
  let dropped = 0
  // How the operations that were not acknowledged ended: count and one of them, by error code.
  const endings = new Map<string, { count: number; index: number }>()
  for (let op = 0; op < opLimit; op++) {
    const g = group[op] as number
    if (g === NONE) continue
    if (sent[op] !== 1) {
      dropped++
      continue
    }
    sentOf[g] = (sentOf[g] as number) + 1
    if (acknowledged[op] === 1) {
      ackOf[g] = (ackOf[g] as number) + 1
      continue
    }
    const index = latest[op] as number
    const code = history.outcomeOf(index) === Outcome.Pending ? 'no answer before the run stopped' : history.errorCode(index) || 'no code'
    const ending = endings.get(code)
    if (ending === undefined) endings.set(code, { count: 1, index })
    else ending.count++
  }
  const totalSent = sentOf.reduce((a, b) => a + b, 0)
  const totalAck = ackOf.reduce((a, b) => a + b, 0)
  const values: Record<string, number | null> = { dropped }
  GROUPS.forEach((g, k) => {
    values[`${g}Sent`] = sentOf[k] as number
    values[`${g}Acknowledged`] = ackOf[k] as number
    values[`${g}Share`] = (sentOf[k] as number) === 0 ? null : (ackOf[k] as number) / (sentOf[k] as number)
  })
  const droppedNote = dropped > 0 ? `; ${count(dropped)} more never sent (no free VU)` : ''
  if (totalSent === 0) {
    return {
      name: 'exercised',
      status: 'inconclusive',
      observed: dropped > 0 ? `the driver sent none of ${count(dropped)} operations (no free VU): the system was not exercised` : 'the run recorded no operation of a genuine user',
      expected,
      values,
      examples: [],
    }
  }
  const ranked = [...endings.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
  const endedText = (): string => {
    const [first] = ranked
    if (ranked.length === 1 && first !== undefined) return `all ended ${first[0]}`
    return `ended ${ranked.slice(0, 3).map(([code, e]) => `${count(e.count)} ${code}`).join(', ')}${ranked.length > 3 ? ', …' : ''}`
  }
  const short = GROUPS.filter((g, k) => (sentOf[k] as number) > 0 && (ackOf[k] as number) / (sentOf[k] as number) < minShare[g])
  const examples = short.length === 0 ? [] : endingExamples(ctx, ranked)
  if (totalAck === 0) {
    return {
      name: 'exercised',
      status: 'fail',
      observed: `0 of ${count(totalSent)} operations acknowledged (${endedText()}): nothing was exercised, the other checks are vacuous${droppedNote}`,
      expected,
      values,
      examples,
    }
  }
  const shares = GROUPS.flatMap((g, k) => ((sentOf[k] as number) === 0 ? [] : [`${g} ${percent((ackOf[k] as number) / (sentOf[k] as number))} (${count(ackOf[k] as number)} of ${count(sentOf[k] as number)})`]))
  return {
    name: 'exercised',
    status: statusOf(short.length === 0),
    observed:
      `genuine operations acknowledged: ${shares.join(', ')}` +
      (short.length === 0 ? '' : `; ${short.join(' and ')} below the minimum (the unacknowledged ${endedText()}): the other checks judged little of the run`) +
      droppedNote,
    expected,
    values,
    examples,
  }
}

function minShares(config: ExercisedShares | undefined): Record<Group, number> {
  return {
    likes: config?.likes ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
    reads: config?.reads ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
    views: config?.views ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
  }
}

/** One operation per way of ending, most frequent first: what to try by hand. */
function endingExamples(ctx: CheckContext, ranked: ReadonlyArray<readonly [string, { count: number; index: number }]>): CheckExample[] {
  const { history } = ctx
  return ranked.slice(0, ctx.examplesMax).map(([code, { count: times, index }]) => {
    const user = userIdOf(ctx, history.userOf(index))
    const video = videoIdOf(ctx, history.videoOf(index))
    const region = regionIdOf(ctx, history.regionOf(index))
    const kind = history.kindOf(index)
    const what = kind === OpKind.ReadLiked ? `read-back of ${user}'s like of ${video}` : `${OP_KIND_NAMES[kind]} of ${video} by ${user}`
    return {
      message: `${what} in ${region} at ${seconds(history.invokeMsOf(index))} ended ${code} (as did ${count(times)} operation(s) in all)`,
      videoId: video,
      userId: user,
      region,
      atMs: history.invokeMsOf(index),
    }
  })
}

function percent(share: number): string {
  return `${Math.floor(share * 1000) / 10}%`
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}
