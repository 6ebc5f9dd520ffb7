// exercised: the run did enough acknowledged work for the other checks to mean something. The
// data invariants judge only what the system acknowledged: a service that answers every request
// with an error loses no like, counts none twice and never shows a made-up 0, so without this
// check it would pass them all ("0 of 0"). Counted are genuine users' logical operations the
// driver sent (attack and farm traffic is the system's to refuse; an operation the driver never
// sent, for want of a free VU, is the harness's and is reported apart), per group, each of which
// must have a share acknowledged. The default share is far below what a working system shows
// under the library's worst shedding, and far above a service that does not work.
import { BitSet } from '../bit-set.ts'
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
/** The code of an attempt the client gave up on (scenarios/protocol/answer-kind.ts): the one ending a late clock can cause. */
const CLIENT_TIMEOUT = 'LS_CLIENT_TIMEOUT'
type Group = (typeof GROUPS)[number]
/** The group of each OpKind (ReadVideo, View, Like, Unlike, ReadLiked). */
const GROUP_OF_KIND: readonly number[] = [1, 2, 0, 0, 1]
const GROUP_BITS = 3
const ACKNOWLEDGED = 4
const SENT = 8

/** How operations that were not acknowledged ended, by error code: how many, and the latest attempt of the first of them (by id). */
interface Ending {
  count: number
  op: number
  index: number
}

export function checkExercised(ctx: CheckContext): CheckResult {
  const { history, population } = ctx
  const minShare = minShares(ctx.config.exercised?.minAcknowledgedShare)
  const expected = `at least ${GROUPS.map((g) => `${percent(minShare[g])} of ${g}`).join(', ')} by genuine users acknowledged (the other checks judge only what was acknowledged)`
  // Per logical operation (op ids are dense), one byte: its group (plus one; 0 for none of a
  // genuine user's), whether an attempt was acknowledged, and whether one was sent.
  const opLimit = history.opIdLimit()
  const state = new Uint8Array(opLimit)
  const genuine = (i: number): boolean => population.truth.kind[history.userOf(i)] === UserKind.Genuine
  for (let i = 0; i < history.length; i++) {
    if (!genuine(i)) continue
    const op = history.opIdOf(i)
    let flags = ((state[op] as number) & ~GROUP_BITS) | ((GROUP_OF_KIND[history.kindOf(i)] as number) + 1)
    if (history.outcomeOf(i) === Outcome.Ok) flags |= ACKNOWLEDGED
    if (history.failureOf(i) !== FailureKind.NotSent) flags |= SENT
    state[op] = flags
  }
  const sentOf = [0, 0, 0]
  const ackOf = [0, 0, 0]
  let dropped = 0
  let unanswered = 0
  for (let op = 0; op < opLimit; op++) {
    const flags = state[op] as number
    if ((flags & GROUP_BITS) === 0) continue
    if ((flags & SENT) === 0) {
      dropped++
      continue
    }
    const g = (flags & GROUP_BITS) - 1
    sentOf[g] = (sentOf[g] as number) + 1
    if ((flags & ACKNOWLEDGED) !== 0) ackOf[g] = (ackOf[g] as number) + 1
    else unanswered++
  }
  const endings = unanswered === 0 ? new Map<string, Ending>() : endingsOf(history, state, genuine)
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
  // A shortfall of mostly client timeouts while the harness's own timers ran late (a machine short
  // of CPU) is the harness's: the timeouts fired on a stalled clock. Refusals and errors are the service's.
  const timedOut = endings.get(CLIENT_TIMEOUT)?.count ?? 0
  const harnessCause = ctx.harness?.timersLate !== undefined && timedOut * 2 >= unanswered ? ctx.harness.timersLate : undefined
  const failed = harnessCause === undefined ? 'fail' : 'inconclusive'
  const inconclusiveNote = harnessCause === undefined ? '' : `; INCONCLUSIVE: most ended in the client's timeouts while ${harnessCause}`
  if (totalAck === 0) {
    return {
      name: 'exercised',
      status: failed,
      observed: `0 of ${count(totalSent)} operations acknowledged (${endedText()}): nothing was exercised, the other checks are vacuous${droppedNote}${inconclusiveNote}`,
      expected,
      values,
      examples,
    }
  }
  const shares = GROUPS.flatMap((g, k) => ((sentOf[k] as number) === 0 ? [] : [`${g} ${percent((ackOf[k] as number) / (sentOf[k] as number))} (${count(ackOf[k] as number)} of ${count(sentOf[k] as number)})`]))
  return {
    name: 'exercised',
    status: short.length === 0 ? statusOf(true) : failed,
    observed:
      `genuine operations acknowledged: ${shares.join(', ')}` +
      (short.length === 0 ? '' : `; ${short.join(' and ')} below the minimum (the unacknowledged ${endedText()}): the other checks judged little of the run${inconclusiveNote}`) +
      droppedNote,
    expected,
    values,
    examples,
  }
}

/**
 * How the sent, unacknowledged operations ended: each by its latest attempt, found by reading the
 * history backwards (an operation's first row met is its latest), with one bit per operation.
 */
function endingsOf(history: CheckContext['history'], state: Uint8Array, genuine: (i: number) => boolean): Map<string, Ending> {
  const endings = new Map<string, Ending>()
  const seen = new BitSet(state.length)
  for (let i = history.length - 1; i >= 0; i--) {
    if (!genuine(i)) continue
    const op = history.opIdOf(i)
    if (!seen.add(op)) continue
    const flags = state[op] as number
    if ((flags & SENT) === 0 || (flags & ACKNOWLEDGED) !== 0) continue
    const code = history.outcomeOf(i) === Outcome.Pending ? 'no answer before the run stopped' : history.errorCode(i) || 'no code'
    const ending = endings.get(code)
    if (ending === undefined) endings.set(code, { count: 1, op, index: i })
    else {
      ending.count++
      if (op < ending.op) {
        ending.op = op
        ending.index = i
      }
    }
  }
  return endings
}

function minShares(config: ExercisedShares | undefined): Record<Group, number> {
  return {
    likes: config?.likes ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
    reads: config?.reads ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
    views: config?.views ?? DEFAULT_MIN_ACKNOWLEDGED_SHARE,
  }
}

/** One operation per way of ending, most frequent first: what to try by hand. */
function endingExamples(ctx: CheckContext, ranked: ReadonlyArray<readonly [string, Ending]>): CheckExample[] {
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
