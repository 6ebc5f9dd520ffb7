// bounded-staleness: an answer's asOfMs says how old it is and its stale flag whether it is the
// live state; both are claims, and this check holds the answer to them. The other checks judge an
// answer's content at the time it claims, so a claim of any age would excuse any content: "not
// liked, as of the world's first instant" is no flip and within every bound.
//   - An answer marked fresh (stale: false) is the region's live state: it claims a time no
//     earlier than a small replication grace before it was requested (a write's answer, which a
//     retry replays, before its first attempt). While its region is cut off from another (a
//     partition or an outage, until the convergence deadline after it) the live state is honestly
//     as old as the cut: it may claim any time since the cut began.
//   - An answer marked stale is last-known-good: it is no older than the newest fresh answer its
//     region had given about the same thing (the video's counts, or the user's like) before it was
//     asked (less the grace). Being that, it may be as old as that answer: an honest last-known-
//     good value of a cold video dates from its last good read, however long ago. A stale answer
//     whose region had given no fresh answer about it is at most maxStaleMs old (unless a request
//     about it went unseen: then the region may know what the history does not). What a --target
//     answered the harness before the run (History.countsReadBefore) was given too: a cold
//     video's last known good may be the freshness inspection's read, from before the run began.
//   - No answer claims a time later than the grace after it was answered (the grace also covers
//     what a target's clock may be off beyond the calibration's own estimate).
// Answers without asOfMs claim nothing more: every check takes them as current at their request,
// so there is nothing more to hold them to here. Against a target on another clock, asOfMs is
// known only up to the offset between the clocks (history.asOfSlackMs; Infinity when the target
// could not be calibrated): the answers are judged at the one offset within that uncertainty that
// most of them agree with, so a consistent clock offset is never a violation and a claim that
// agrees with no other is.
import { Outcome } from '../history.ts'
import { OpKind } from '../operation.ts'
import { type CheckContext, type CheckResult, nothingToJudge, SEE_EXERCISED, seconds, statusOf } from './check-types.ts'
import { DEFAULT_DEADLINE_S } from './convergence.ts'
import { estimateOffsetMs } from './clock-offset.ts'
import { lastKnownGood } from './last-known-good.ts'
import { type Cut, cutStartMs, JudgedColumns, Verdicts } from './staleness-verdicts.ts'

/**
 * robust's fresh answers lag their request (or the cut) by at most 151 ms, its replication delay,
 * in every library scenario (seeds 1-7, scales 0.25 to 1): 2 s leaves room for a real target's.
 * In scenario ms; a target on its own clock replicates in wall time, so the judge divides the
 * grace by the time scale for it (as it does a client's deadline).
 */
export const DEFAULT_FRESH_GRACE_MS = 2000
/**
 * A minute, for a stale answer that is not its region's last known good. robust's stale answers
 * are exactly that, so never meet this bound (given every good answer it gave: against a --target,
 * those of the run's preparation too, else one dating from the freshness inspection met it); their age alone reaches 119 s in storm and 116 s in
 * overload-virginia (seeds 1-7, scales 0.25 to 1; 85 s in baseline over http under load): a cold
 * video's last good read may date from the run's start, so no bound on age alone holds for them.
 */
export const DEFAULT_MAX_STALE_MS = 60_000

export function checkBoundedStaleness(ctx: CheckContext): CheckResult {
  const { history, regionIds } = ctx
  const graceMs = ctx.config['bounded-staleness']?.freshGraceMs ?? DEFAULT_FRESH_GRACE_MS
  const maxStaleMs = ctx.config['bounded-staleness']?.maxStaleMs ?? DEFAULT_MAX_STALE_MS
  const catchUpMs = (ctx.config.convergence?.deadlineS ?? DEFAULT_DEADLINE_S) * 1000
  const cuts = replicationCuts(ctx, catchUpMs)
  const expected =
    `answers marked fresh claim a time at most ${seconds(graceMs)} before their request (or since a partition or outage of their region began, until ${seconds(catchUpMs)} after it); ` +
    `answers marked stale are no older than the newest fresh answer their region gave about the same thing before (or, without one, at most ${seconds(maxStaleMs)} old); none claims a time more than ${seconds(graceMs)} after it was answered`
  // A write's answer may be the replay of its first attempt's: it is judged from that attempt.
  const firstAttempt = history.firstAttempts(OpKind.Like, OpKind.Unlike)
  const known = lastKnownGood(history, regionIds.length)
  // Each judged answer as the range of clock offsets under which its claim holds: [lo, hi]. A
  // stale answer older than its region's last known good breaks its claim whatever the offset
  // (both times are on the target's clock). On one clock (mode sim, the embedded server) the
  // offset is 0 and each answer is judged as the scan meets it; against a target on its own clock
  // the offset is estimated from them all first, so they wait in typed columns (one row per
  // judged answer: a run judges millions of them).
  const slackMs = history.asOfSlackMs
  const verdicts = new Verdicts(ctx, { cuts, known, graceMs, maxStaleMs })
  const columns = slackMs > 0 ? new JudgedColumns(judgedCount(history)) : undefined
  // The stale answers come in the same (ascending) order as the table's rows.
  let staleSeen = 0
  let withoutAsOf = 0
  for (let i = 0; i < history.length; i++) {
    const kind = history.kindOf(i)
    if (kind === OpKind.View || history.outcomeOf(i) !== Outcome.Ok) continue
    const asOfMs = history.asOfMsOf(i)
    if (Number.isNaN(asOfMs)) {
      withoutAsOf++
      continue
    }
    const invokeMs = history.invokeMsOf(i)
    const requestMs = isWrite(kind) ? history.invokeMsOf(firstAttempt.rowOf(history.opIdOf(i))) : invokeMs
    const stale = history.isStale(i)
    const floorMs = stale ? requestMs : Math.min(requestMs, cutStartMs(cuts, history.regionOf(i), invokeMs))
    const hiMs = history.completeMsOf(i) + graceMs - asOfMs
    let loMs = floorMs - graceMs - asOfMs
    let olderThanKnown = false
    if (stale) {
      const good = known.at(staleSeen++)
      olderThanKnown = asOfMs < good.newestFreshAsOfMs - graceMs
      // The last known good may be any age; without one (and nothing unseen), maxStaleMs bounds it.
      const bounded = good.newestFreshAsOfMs === -Infinity && !good.unseenBefore
      loMs = bounded ? floorMs - maxStaleMs - asOfMs : -Infinity
    }
    if (columns === undefined) verdicts.judge(i, floorMs, loMs, hiMs, olderThanKnown, 0)
    else columns.add(i, floorMs, loMs, hiMs, olderThanKnown)
  }
  const offsetMs = columns === undefined ? 0 : estimateOffsetMs(columns.loMs, columns.hiMs, slackMs)
  columns?.judgeAll(verdicts, offsetMs)
  if (verdicts.judged === 0) {
    const why = withoutAsOf > 0 ? `none of ${withoutAsOf} answers claimed a time (asOfMs); the other checks take each as current at its request` : `no answer claimed a time (asOfMs)${SEE_EXERCISED}`
    return nothingToJudge('bounded-staleness', { expected, why, values: { answersJudged: 0, withoutAsOf } })
  }
  const { violations, freshTooOld, staleTooOld, fromFuture, freshLagMaxMs, staleAgeMaxMs } = verdicts
  const clock =
    slackMs === 0
      ? ''
      : Number.isFinite(slackMs)
        ? `; asOfMs known to within ±${seconds(slackMs)} of our clock, judged at the offset ${seconds(offsetMs)} most answers agree with`
        : `; the target's clock was not calibrated (no admin API): answers were judged against each other, at the one clock offset most of them agree with`
  return {
    name: 'bounded-staleness',
    status: statusOf(violations.count === 0),
    observed:
      `${violations.count} of ${verdicts.judged} answers claimed an age they may not have (${freshTooOld} marked fresh but older than allowed, ${staleTooOld} marked stale but older than allowed, ${fromFuture} from after they were answered); ` +
      `of those that held, the oldest fresh one lagged its request by ${seconds(freshLagMaxMs)} and the oldest stale one was ${seconds(staleAgeMaxMs)} old` +
      (withoutAsOf > 0 ? `; ${withoutAsOf} answers gave no asOfMs (taken as current at their request)` : '') +
      clock,
    expected,
    values: { answersJudged: verdicts.judged, freshTooOld, staleTooOld, fromFuture, freshLagMaxMs, staleAgeMaxMs, withoutAsOf, clockOffsetMs: offsetMs },
    examples: violations.examples,
  }
}

/** Answers bounded-staleness judges: acknowledged, not a view, with an asOfMs. */
function judgedCount(history: CheckContext['history']): number {
  let count = 0
  for (let i = 0; i < history.length; i++) if (history.kindOf(i) !== OpKind.View && history.outcomeOf(i) === Outcome.Ok && !Number.isNaN(history.asOfMsOf(i))) count++
  return count
}

function isWrite(kind: number): boolean {
  return kind === OpKind.Like || kind === OpKind.Unlike
}

/**
 * Windows in which a region's live state may honestly be old, from the start of a cut to the
 * convergence deadline after its end: a partition of the region, or an outage of any region (the
 * others stop hearing from it, and it comes back behind them).
 */
function replicationCuts(ctx: CheckContext, catchUpMs: number): Cut[] {
  const out: Cut[] = []
  const add = (region: string, fault: { startS: number; endS: number }, label: string): void => {
    const index = ctx.regionIds.indexOf(region)
    if (index >= 0) out.push({ region: index, fromMs: fault.startS * 1000, toMs: fault.endS * 1000 + catchUpMs, label })
  }
  for (const fault of ctx.faults) {
    if (fault.kind === 'partition') {
      add(fault.a, fault, `partition of ${fault.a} and ${fault.b}`)
      add(fault.b, fault, `partition of ${fault.a} and ${fault.b}`)
    } else if (fault.kind === 'region-outage') {
      for (const region of ctx.regionIds) add(region, fault, `outage of ${fault.region}`)
    }
  }
  return out.map((cut) => chainStart(out, cut))
}

/**
 * A cut reaching back through the cuts of its region it follows without a gap: an outage of
 * us-west from 7 s, then a partition of us-west and ap-southeast from 12 s, leave ap-southeast
 * without news of us-west since 7 s, though the outage's own window ended before. Bounded: each
 * pass moves the start to an earlier cut's, or stops.
 */
function chainStart(cuts: readonly Cut[], cut: Cut): Cut {
  let chained = cut
  for (;;) {
    let earlier: Cut | undefined
    for (const other of cuts) if (other.region === cut.region && other.fromMs < chained.fromMs && other.toMs >= chained.fromMs && (earlier === undefined || other.fromMs < earlier.fromMs)) earlier = other
    if (earlier === undefined) return chained
    chained = { ...chained, fromMs: earlier.fromMs, label: `${earlier.label}, then ${chained.label}` }
  }
}
