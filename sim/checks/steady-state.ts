// steady-state: over a long steady run nothing creeps. Latency (p99 of acknowledged requests),
// the error rate and replication lag in the last third of the run stay within a bound of the
// first third, and counts never drift (that part is counter-bounds' job on the same history).
import { Outcome } from '../history.ts'
import { type CheckContext, type CheckExample, type CheckResult, seconds, statusOf, timingVerdict, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { OP_KIND_NAMES } from '../operation.ts'
import { Float32Rank } from './float32-rank.ts'

const DEFAULT_MAX_GROWTH = 1.5
/** Absolute slack so that a few milliseconds of noise never fail a flat run. */
const LATENCY_SLACK_MS = 5
const ERROR_RATE_SLACK = 0.002

export function checkSteadyState(ctx: CheckContext): CheckResult {
  const { history } = ctx
  const maxGrowth = ctx.config['steady-state']?.maxGrowth ?? DEFAULT_MAX_GROWTH
  const third = ctx.durationMs / 3
  // The p99s exactly, in two passes and fixed memory (float32-rank.ts): a run has millions of latencies.
  const early = new Float32Rank()
  const late = new Float32Rank()
  let earlyAttempts = 0
  let earlyErrors = 0
  let lateAttempts = 0
  let lateErrors = 0
  const inThird = (i: number): Float32Rank | undefined => {
    const t = history.invokeMsOf(i)
    return t < third ? early : t >= 2 * third && t < ctx.durationMs ? late : undefined
  }
  for (let i = 0; i < history.length; i++) {
    const rank = inThird(i)
    if (rank === undefined) continue
    const failed = history.outcomeOf(i) !== Outcome.Ok
    if (rank === early) {
      earlyAttempts++
      if (failed) earlyErrors++
    } else {
      lateAttempts++
      if (failed) lateErrors++
    }
    if (!failed) rank.countFirst(history.latencyMsOf(i))
  }
  for (const rank of [early, late]) rank.choose(Math.min(rank.count - 1, Math.floor(rank.count * 0.99)))
  for (let i = 0; i < history.length; i++) {
    if (history.outcomeOf(i) === Outcome.Ok) inThird(i)?.countSecond(history.latencyMsOf(i))
  }
  const earlyP99 = early.value()
  const lateP99 = late.value()
  const earlyRate = earlyAttempts === 0 ? 0 : earlyErrors / earlyAttempts
  const lateRate = lateAttempts === 0 ? 0 : lateErrors / lateAttempts
  const lag = (from: number, to: number): number => {
    let worst = 0
    for (const sample of history.lagSamples) {
      if (sample.atMs < from || sample.atMs >= to) continue
      for (const mark of sample.watermarkMs) worst = Math.max(worst, sample.atMs - mark)
    }
    return worst
  }
  const earlyLag = lag(0, third)
  const lateLag = lag(2 * third, ctx.durationMs)
  const latencyOk = earlyP99 !== null && lateP99 !== null && lateP99 <= earlyP99 * maxGrowth + LATENCY_SLACK_MS
  const errorsOk = lateRate <= earlyRate * maxGrowth + ERROR_RATE_SLACK
  const lagOk = lateLag <= earlyLag * maxGrowth + LATENCY_SLACK_MS * 10
  return timingVerdict({
    name: 'steady-state',
    status: statusOf(latencyOk && errorsOk && lagOk),
    observed:
      `p99 ${earlyP99 === null ? 'n/a' : seconds(earlyP99)} -> ${lateP99 === null ? 'n/a' : seconds(lateP99)}, ` +
      `error rate ${earlyRate.toFixed(4)} -> ${lateRate.toFixed(4)}, replication lag ${seconds(earlyLag)} -> ${seconds(lateLag)} (first third -> last third)`,
    expected: `latency p99, error rate and replication lag in the last third within ${maxGrowth}x of the first third`,
    values: { earlyP99Ms: earlyP99, lateP99Ms: lateP99, earlyErrorRate: earlyRate, lateErrorRate: lateRate, earlyLagMs: earlyLag, lateLagMs: lateLag },
    examples: latencyOk ? [] : slowLate(ctx, { fromMs: 2 * third, thresholdMs: (earlyP99 ?? 0) * maxGrowth + LATENCY_SLACK_MS }),
  }, ctx.harness)
}

/** Requests of the last third slower than the first third's bound, for examples. */
function slowLate(ctx: CheckContext, { fromMs, thresholdMs }: { fromMs: number; thresholdMs: number }): CheckExample[] {
  const { history, population, regionIds } = ctx
  const examples: CheckExample[] = []
  for (let i = 0; i < history.length && examples.length < ctx.examplesMax; i++) {
    const t = history.invokeMsOf(i)
    if (t < fromMs || t >= ctx.durationMs || history.outcomeOf(i) !== Outcome.Ok) continue
    const latency = history.latencyMsOf(i)
    if (latency <= thresholdMs) continue
    const user = history.userOf(i)
    const video = history.videoOf(i)
    examples.push({
      message: `${OP_KIND_NAMES[history.kindOf(i)]} by ${population.userIds.get(user)} on ${population.videoIds.get(video)} in ${regionIds[history.regionOf(i)]} at ${seconds(t)} took ${seconds(latency)}, over the early bound of ${seconds(thresholdMs)}`,
      userId: userIdOf(ctx, user),
      videoId: videoIdOf(ctx, video),
      region: regionIdOf(ctx, history.regionOf(i)),
      atMs: t,
    })
    i += Math.floor(history.length / (3 * ctx.examplesMax))
  }
  return examples
}
