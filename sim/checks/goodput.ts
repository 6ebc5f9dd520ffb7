// goodput: the share of genuine requests served within the client's deadline. During an
// overload of a region, served genuine requests per second must stay near the region's capacity
// (shedding keeps goodput up; a deep queue lets it collapse while throughput looks fine, per the
// AWS Builders' Library), and after the overload ends goodput must come back (no metastable
// failure): from some second within the recovery bound on, every second's genuine requests are
// served in time at the recovered share, through twice the bound. Latency of the accepted
// requests, and of the shed ones (they must be fast), is reported alongside.
import { FailureKind } from '../failure-kind.ts'
import { Outcome } from '../history.ts'
import { UserKind } from '../population.ts'
import { type CheckContext, type CheckExample, type CheckResult, seconds, statusOf, timingVerdict, userIdOf, videoIdOf, regionIdOf } from './check-types.ts'
import { OP_KIND_NAMES } from '../operation.ts'

const DEFAULTS = { minShareOfCapacity: 0.8, minServedShare: 0.95, recoveryS: 20, minRecoveredShare: 0.95, deadlineMs: 2000 }

export function checkGoodput(ctx: CheckContext): CheckResult {
  const { history, population, regionIds, faults } = ctx
  const config = { ...DEFAULTS, ...ctx.config.goodput }
  const regionId = ctx.config.goodput?.region ?? regionIds[0] ?? ''
  const region = regionIds.indexOf(regionId)
  const capacityRps = ctx.capacityRps[regionId] ?? Number.NaN
  const during = config.during ?? 'overload'
  const windows = faults.filter((f) => f.kind === during && f.region === regionId).map((f) => [f.startS * 1000, f.endS * 1000] as const)
  const expected =
    during === 'overload'
      ? `during overload of ${regionId}, genuine goodput >= ${config.minShareOfCapacity} x what capacity (${capacityRps} rps) allows; within ${config.recoveryS}s after it, every second serves >= ${config.minRecoveredShare} of genuine requests within ${config.deadlineMs}ms`
      : `during the ddos on ${regionId}, >= ${config.minServedShare} of genuine requests served within ${config.deadlineMs}ms; within ${config.recoveryS}s after it, every second serves >= ${config.minRecoveredShare}`
  if (windows.length === 0 || region < 0) {
    return { name: 'goodput', status: 'not-applicable', observed: `no ${during} of ${regionId} in the timeline`, expected, values: {}, examples: [] }
  }
  // Logical operations of genuine users at home in the region: first attempt, and when (if) served.
  const first = new Map<number, number>()
  const served = new Map<number, number>()
  const acceptedLatencies: number[] = []
  for (let i = 0; i < history.length; i++) {
    const user = history.userOf(i)
    if (population.truth.kind[user] !== UserKind.Genuine || population.userRegion[user] !== region) continue
    const op = history.opIdOf(i)
    if (!first.has(op)) first.set(op, history.invokeMsOf(i))
    if (history.outcomeOf(i) === Outcome.Ok && !served.has(op)) served.set(op, history.completeMsOf(i))
  }
  const inWindow = (t: number, w: readonly [number, number]): boolean => t >= w[0] && t < w[1]
  let overloadOffered = 0
  let overloadServed = 0
  let overloadMs = 0
  for (const w of windows) overloadMs += w[1] - w[0]
  // Seconds after the last overload ends, watched for twice the recovery bound (or to the end).
  const lastEndMs = Math.max(...windows.map((w) => w[1]))
  const watchS = Math.max(1, Math.min(2 * config.recoveryS, Math.floor((ctx.durationMs - lastEndMs) / 1000)))
  const afterOffered = new Int32Array(watchS)
  const afterServed = new Int32Array(watchS)
  for (const [op, startMs] of first) {
    const doneMs = served.get(op)
    const inTime = doneMs !== undefined && doneMs - startMs <= config.deadlineMs
    if (windows.some((w) => inWindow(startMs, w))) {
      overloadOffered++
      if (inTime) overloadServed++
      continue
    }
    const second = Math.floor((startMs - lastEndMs) / 1000)
    if (second >= 0 && second < watchS) {
      afterOffered[second] = (afterOffered[second] as number) + 1
      if (inTime) afterServed[second] = (afterServed[second] as number) + 1
    }
  }
  // Recovered from the first second after which every second meets the share.
  let recoveredAfterS: number | null = null
  for (let second = watchS - 1; second >= 0; second--) {
    const offered = afterOffered[second] as number
    if (offered > 0 && (afterServed[second] as number) / offered < config.minRecoveredShare) break
    recoveredAfterS = second
  }
  let recoveryOffered = 0
  let recoveryServed = 0
  for (let second = 0; second < Math.min(watchS, config.recoveryS); second++) {
    recoveryOffered += afterOffered[second] as number
    recoveryServed += afterServed[second] as number
  }
  let shedLatencyMax = 0
  for (let i = 0; i < history.length; i++) {
    if (history.regionOf(i) === region && history.failureOf(i) === FailureKind.Shed) {
      const latency = history.latencyMsOf(i)
      if (latency > shedLatencyMax) shedLatencyMax = latency
    }
  }
  for (let i = 0; i < history.length; i++) {
    if (history.outcomeOf(i) !== Outcome.Ok || history.regionOf(i) !== region) continue
    const t = history.invokeMsOf(i)
    if (windows.some((w) => inWindow(t, w))) acceptedLatencies.push(history.latencyMsOf(i))
  }
  acceptedLatencies.sort((a, b) => a - b)
  const p99 = acceptedLatencies.length === 0 ? null : (acceptedLatencies[Math.min(acceptedLatencies.length - 1, Math.floor(acceptedLatencies.length * 0.99))] as number)
  const goodputRps = overloadMs > 0 ? overloadServed / (overloadMs / 1000) : 0
  // Genuine home traffic is all the region serves in these scenarios; compare with what capacity allows.
  const offeredRps = overloadMs > 0 ? overloadOffered / (overloadMs / 1000) : 0
  const attainableRps = Math.min(offeredRps, capacityRps)
  const shareOfCapacity = attainableRps > 0 ? goodputRps / attainableRps : null
  const recoveredShare = recoveryOffered > 0 ? recoveryServed / recoveryOffered : null
  const servedShare = overloadOffered > 0 ? overloadServed / overloadOffered : null
  const holding =
    during === 'overload'
      ? shareOfCapacity !== null && shareOfCapacity >= config.minShareOfCapacity
      : servedShare !== null && servedShare >= config.minServedShare
  const passed = holding && recoveredAfterS !== null && recoveredAfterS <= config.recoveryS
  return timingVerdict({
    name: 'goodput',
    status: statusOf(passed),
    observed:
      `during ${during} ${goodputRps.toFixed(0)} genuine req/s served in time of ${offeredRps.toFixed(0)} offered (capacity ${capacityRps}): ` +
      `${servedShare === null ? 'n/a' : servedShare.toFixed(3)} of genuine requests, ${shareOfCapacity === null ? 'n/a' : shareOfCapacity.toFixed(3)} of attainable; ` +
      (recoveredAfterS === null ? `not recovered within ${watchS}s after it` : `recovered ${recoveredAfterS}s after it`) +
      ` (${recoveredShare === null ? 'n/a' : recoveredShare.toFixed(3)} served in time over the first ${config.recoveryS}s); ` +
      `accepted p99 ${p99 === null ? 'n/a' : seconds(p99)}, slowest shed response ${seconds(shedLatencyMax)}`,
    expected,
    values: {
      goodputRps,
      offeredRps,
      capacityRps,
      shareOfAttainable: shareOfCapacity,
      servedShare,
      recoveredShare,
      recoveredAfterS,
      acceptedP99Ms: p99,
      shedLatencyMaxMs: shedLatencyMax,
      overloadRequests: overloadOffered,
      recoveryRequests: recoveryOffered,
    },
    examples: unserved(ctx, { region, windows, deadlineMs: config.deadlineMs, first, served }),
  }, ctx.harness)
}

/** Genuine requests from the overloaded region not served in time during the overload. */
function unserved(
  ctx: CheckContext,
  { region, windows, deadlineMs, first, served }: { region: number; windows: ReadonlyArray<readonly [number, number]>; deadlineMs: number; first: Map<number, number>; served: Map<number, number> },
): CheckExample[] {
  const { history, population, regionIds } = ctx
  const examples: CheckExample[] = []
  const named = new Set<number>()
  for (let i = 0; i < history.length && examples.length < ctx.examplesMax; i++) {
    const op = history.opIdOf(i)
    if (named.has(op) || history.attemptOf(i) !== 1) continue
    const user = history.userOf(i)
    if (population.truth.kind[user] !== UserKind.Genuine || population.userRegion[user] !== region) continue
    const startMs = first.get(op) as number
    if (!windows.some((w) => startMs >= w[0] && startMs < w[1])) continue
    const doneMs = served.get(op)
    if (doneMs !== undefined && doneMs - startMs <= deadlineMs) continue
    named.add(op)
    examples.push({
      message:
        `${OP_KIND_NAMES[history.kindOf(i)]} by ${population.userIds.get(user)} on ${population.videoIds.get(history.videoOf(i))} at ${seconds(startMs)} in ${regionIds[region]} ` +
        (doneMs === undefined ? 'was never served' : `was served only after ${seconds(doneMs - startMs)}`),
      userId: userIdOf(ctx, user),
      videoId: videoIdOf(ctx, history.videoOf(i)),
      region: regionIdOf(ctx, region),
      atMs: startMs,
    })
  }
  return examples
}
