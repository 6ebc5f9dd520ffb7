// steady-state: over a long steady run nothing creeps. Latency (p99 of acknowledged requests),
// the error rate and replication lag in the last third of the run stay within a bound of the
// first third, and counts never drift (that part is counter-bounds' job on the same history).
import { Outcome } from '../history.ts'
import { type CheckContext, type CheckExample, type CheckResult, seconds, statusOf, timingVerdict, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { OP_KIND_NAMES } from '../operation.ts'

const DEFAULT_MAX_GROWTH = 1.5
/** Absolute slack so that a few milliseconds of noise never fail a flat run. */
const LATENCY_SLACK_MS = 5
const ERROR_RATE_SLACK = 0.002

export function checkSteadyState(ctx: CheckContext): CheckResult {
  const { history } = ctx
  const maxGrowth = ctx.config['steady-state']?.maxGrowth ?? DEFAULT_MAX_GROWTH
  const third = ctx.durationMs / 3
  const early: number[] = []
  const late: number[] = []
  let earlyAttempts = 0
  let earlyErrors = 0
  let lateAttempts = 0
  let lateErrors = 0
  for (let i = 0; i < history.length; i++) {
    const t = history.invokeMsOf(i)
    const isEarly = t < third
    const isLate = t >= 2 * third && t < ctx.durationMs
    if (!isEarly && !isLate) continue
    const failed = history.outcomeOf(i) !== Outcome.Ok
    if (isEarly) {
      earlyAttempts++
      if (failed) earlyErrors++
      else early.push(history.latencyMsOf(i))
    } else {
      lateAttempts++
      if (failed) lateErrors++
      else late.push(history.latencyMsOf(i))
    }
  }
  const p99 = (values: number[]): number | null => {
    if (values.length === 0) return null
    values.sort((a, b) => a - b)
    return values[Math.min(values.length - 1, Math.floor(values.length * 0.99))] as number
  }
  const earlyP99 = p99(early)
  const lateP99 = p99(late)
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
      message: `${OP_KIND_NAMES[history.kindOf(i)]} by ${population.userIds[user]} on ${population.videoIds[video]} in ${regionIds[history.regionOf(i)]} at ${seconds(t)} took ${seconds(latency)}, over the early bound of ${seconds(thresholdMs)}`,
      userId: userIdOf(ctx, user),
      videoId: videoIdOf(ctx, video),
      region: regionIdOf(ctx, history.regionOf(i)),
      atMs: t,
    })
    i += Math.floor(history.length / (3 * ctx.examplesMax))
  }
  return examples
}
