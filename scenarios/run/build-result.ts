// From a finished run (history, metrics, series) and its check verdicts to the result document.
// Pure: the same inputs give the same JSON, byte for byte.
import { FAILURE_KIND_NAMES, FailureKind } from '../../sim/failure-kind.ts'
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { CheckName, CheckResult, CheckStatus, HarnessHealth } from '../../sim/checks/check-types.ts'
import type { DetectionQuality } from '../../sim/checks/detection-quality.ts'
import type { PairTimeline } from '../../sim/checks/pair-timeline.ts'
import { describeFault } from '../../sim/faults.ts'
import { History, type PurgeRecord } from '../../sim/history.ts'
import { OP_KIND_NAMES, OpKind } from '../../sim/operation.ts'
import type { Population } from '../../sim/population.ts'
import { LIKESTORM_VERSION } from '../version.ts'
import { shellWord } from '../scenario-file.ts'
import type { RunMetrics } from './run-metrics.ts'
import type { RunSetup } from './run-setup.ts'
import { RESULT_SCHEMA_VERSION, type CheckOutcome, type FailureCounts, type FaultOutcome, type RunVerdict, type StoppedBy, type HttpRunConfig, type HotVideoSeries, type RunMode, type RunResult, type SystemRecord, type DetectorRecord, type TimeSeriesResult } from '../../result/result.ts'
import type { TimeSeries } from './time-series.ts'
import type { LatencyHistogram } from './latency-histogram.ts'
import type { ThresholdOutcome } from './metric-store.ts'

/** Charts stay readable and reports small: at most this many points per series. */
export const MAX_SERIES_POINTS = 600
const HOT_VIDEOS = 3

export interface ResultInput {
  readonly setup: RunSetup
  readonly mode: RunMode
  readonly strategy: Pick<StrategyBehaviour, 'name' | 'description'>
  /** A system from the user's module (--system): recorded, and named by the replay command. */
  readonly system?: SystemRecord | undefined
  /** A detector from the user's module (--detector): recorded, and named by the replay command. */
  readonly detector?: DetectorRecord | undefined
  readonly history: History
  readonly metrics: RunMetrics
  readonly series: TimeSeries
  /** Mode http: open-model latency per bucket and overall. */
  readonly open?: { readonly series: TimeSeries; readonly latency: LatencyHistogram } | undefined
  readonly lagMs: readonly Float64Array[]
  readonly pairs: PairTimeline
  readonly checks: readonly CheckResult[]
  readonly thresholds: readonly ThresholdOutcome[]
  readonly detection: DetectionQuality | null
  readonly stoppedBy: StoppedBy | undefined
  readonly systemCounters: Readonly<Record<string, number>>
  readonly http?: HttpRunConfig | undefined
  /** The driver's own health (mode http): thresholds are inconclusive when it could not keep the schedule. */
  readonly harness?: HarnessHealth | undefined
}

export function replayCommand({ scenario, seed, scale, strategy, system, detector, mode, http }: { scenario: string; seed: number; scale: number; strategy: string; system?: string | undefined; detector?: string | undefined; mode: RunMode; http?: HttpRunConfig | undefined }): string {
  let command = `npx likestorm run ${scenario} --seed ${seed}`
  if (mode !== 'sim') command += ` --mode ${mode}`
  // Against an external target the strategy is the target's own; the embedded server takes ours, or the user's module.
  // The target is every region's URL (http-runner's formatTarget), and the profile it was judged by.
  // So are --faults when it was not the admin API, --adapter and --allow-dirty-target.
  if (http !== undefined && http.target !== 'embedded') {
    command += ` --target ${http.target}${http.targetProfile === undefined ? '' : ` --target-profile ${http.targetProfile}`}${faultsFlag(http.faults)}`
    if (http.adapter !== undefined) command += ` --adapter ${shellWord(http.adapter)}`
    if (http.allowDirtyTarget === true) command += ' --allow-dirty-target'
  }
  else if (system !== undefined) command += ` --system ${shellWord(system)}`
  else if (strategy !== 'robust') command += ` --strategy ${strategy}`
  if (detector !== undefined) command += ` --detector ${shellWord(detector)}`
  if (scale !== 1) command += ` --scale ${scale}`
  if (http !== undefined && http.timeScale !== 1) command += ` --time-scale ${http.timeScale}`
  return command
}

function faultsFlag(route: HttpRunConfig['faults']): string {
  return route === undefined || route === 'admin' ? '' : ` --faults ${route}`
}

export function buildResult(input: ResultInput): RunResult {
  const { setup, strategy, checks } = input
  const scenario = setup.scenario
  const outcomes: CheckOutcome[] = [
    ...checks.map((check) => ({ ...check, kind: 'invariant' as const, values: roundValues(check.values) })),
    ...input.thresholds.map((threshold) => thresholdOutcome(threshold, input.harness)),
  ]
  // A run an abortOnFail threshold stopped has failed, whatever its partial history shows at the end.
  const verdict = runVerdict(outcomes, input.http?.abortedBy !== undefined)
  // The library's expectations are the built-in systems' with the built-in detector.
  const expected = input.detector === undefined && (strategy.name === 'robust' || strategy.name === 'naive') ? (scenario.expect[strategy.name]?.failing ?? null) : null
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'likestorm', version: LIKESTORM_VERSION },
    scenario: { name: scenario.name, title: scenario.title, summary: scenario.summary },
    mode: input.mode,
    seed: setup.seed,
    scale: setup.scale,
    strategy: { name: strategy.name, description: strategy.description },
    ...(input.system === undefined ? {} : { system: input.system }),
    ...(input.detector === undefined ? {} : { detector: input.detector }),
    verdict,
    passed: verdict === 'pass',
    interrupted: input.stoppedBy !== undefined,
    ...(input.stoppedBy === undefined ? {} : { stoppedBy: input.stoppedBy }),
    replay: replayCommand({ scenario: scenario.name, seed: setup.seed, scale: setup.scale, strategy: strategy.name, system: input.system?.path, detector: input.detector?.path, mode: input.mode, http: input.http }),
    expectation: expected === null ? null : { failing: [...expected], matched: expectationMatched(expected, checks) },
    config: {
      durationS: scenario.durationS,
      load: scenario.load,
      world: {
        genuineUsers: setup.world.genuineUsers,
        creators: setup.world.creators,
        videos: setup.world.videos,
        inactiveAccounts: setup.world.inactiveAccounts,
        botAccounts: setup.world.farms.reduce((sum, farm) => sum + farm.accounts, 0),
        farms: setup.world.farms.length,
        zipfS: setup.world.zipfS,
      },
      capacityRps: setup.capacityRps,
      client: { ...setup.client },
      ...(input.http === undefined ? {} : { http: input.http }),
    },
    faults: faultOutcomes(input.history),
    checks: outcomes,
    detection: input.detection === null ? null : roundDeep(input.detection),
    metrics: metricsSummary(input),
    timeseries: timeSeries(input),
  }
}

/** fail when a check failed (or an abortOnFail threshold stopped the run), else inconclusive when one could not be judged. */
export function runVerdict(checks: readonly Pick<CheckOutcome, 'status'>[], abortedByThreshold: boolean): RunVerdict {
  if (abortedByThreshold || checks.some((check) => check.status === 'fail')) return 'fail'
  return checks.some((check) => check.status === 'inconclusive') ? 'inconclusive' : 'pass'
}

/**
 * Expectations name invariant checks. Among those judged (passed or failed), exactly the expected
 * ones must have failed; a check that was inconclusive or not applicable says nothing either way.
 */
function expectationMatched(expected: readonly string[], checks: readonly CheckResult[]): boolean {
  const judged = checks.filter((check) => check.status === 'pass' || check.status === 'fail')
  const failing = judged.filter((check) => check.status === 'fail').map((check) => check.name)
  const expectedJudged = expected.filter((name) => judged.some((check) => check.name === (name as CheckName)))
  return expectedJudged.length === failing.length && expectedJudged.every((name) => failing.includes(name as CheckName))
}

/** A k6 threshold as a check; latency and rate thresholds are timing checks (inconclusive on an unhealthy driver). */
function thresholdOutcome(threshold: ThresholdOutcome, harness: HarnessHealth | undefined): CheckOutcome {
  const observed = threshold.observed === null ? 'no samples' : String(round(threshold.observed, 3))
  const cause = harness?.scheduleNotKept
  const status: CheckStatus = cause !== undefined ? 'inconclusive' : threshold.passed ? 'pass' : 'fail'
  return {
    name: threshold.name,
    kind: 'threshold',
    status,
    observed: cause === undefined ? observed : `${observed}; INCONCLUSIVE: ${cause}`,
    expected: threshold.name.slice(threshold.name.indexOf(': ') + 2),
    values: { observed: threshold.observed === null ? null : round(threshold.observed, 6) },
    examples: [],
  }
}

function faultOutcomes(history: History): FaultOutcome[] {
  return history.faults.map((record) => {
    const base = {
      kind: record.spec.kind,
      description: describeFault(record.spec),
      startMs: record.startMs,
      endMs: record.endMs,
      spec: record.spec,
      ...(record.skipped === undefined ? {} : { skipped: record.skipped }),
      ...(record.via === undefined ? {} : { via: record.via }),
    }
    const purge = record.purge
    if (purge === undefined) return base
    const reasons: Record<string, number> = {}
    for (const list of purge.reasons) {
      for (const reason of list) {
        const key = reason.replace(/\(.*\)$/, '')
        reasons[key] = (reasons[key] ?? 0) + 1
      }
    }
    return {
      ...base,
      purge: { kind: purge.kind, atMs: purge.atMs, accounts: purge.accounts.length, likesRemoved: purge.removedUsers.length, ...viewsRemoved(purge), reasons: sortKeys(reasons) },
    }
  })
}

/** The views a purge removed, when it removed any (absent otherwise: the system keeps views, or the accounts had none). */
function viewsRemoved(purge: PurgeRecord): { viewsRemoved?: number } {
  const views = purge.removedViews?.views.reduce((sum, count) => sum + count, 0) ?? 0
  return views > 0 ? { viewsRemoved: views } : {}
}

function metricsSummary(input: ResultInput): RunResult['metrics'] {
  const { metrics, history } = input
  const byKind: Record<string, RunResult['metrics']['byKind'][string]> = {}
  OP_KIND_NAMES.forEach((name, kind) => {
    byKind[name] = {
      operations: metrics.operations[kind] as number,
      attempts: metrics.attempts[kind] as number,
      ok: metrics.ok[kind] as number,
      failed: metrics.failed[kind] as number,
      indeterminate: metrics.indeterminate[kind] as number,
      latencyMs: (metrics.latency[kind] as { summary(): RunResult['metrics']['latencyMs'] }).summary(),
    }
  })
  let likesAcknowledged = 0
  for (let i = 0; i < history.length; i++) if (history.isAcknowledged(i, OpKind.Like)) likesAcknowledged++
  const sum = (array: Int32Array): number => array.reduce((a, b) => a + b, 0)
  return {
    operations: sum(metrics.operations),
    attempts: sum(metrics.attempts),
    ok: sum(metrics.ok),
    failed: sum(metrics.failed),
    indeterminate: sum(metrics.indeterminate),
    retries: metrics.retries,
    failovers: metrics.failovers,
    staleReads: metrics.staleReads,
    zeroLikeReads: metrics.zeroLikeReads,
    likesAcknowledged,
    errors: sortKeys(Object.fromEntries(metrics.errors)),
    failures: failureCounts(metrics.failures),
    byKind,
    latencyMs: metrics.overallLatency().summary(),
    ...(input.open === undefined ? {} : { openModelLatencyMs: input.open.latency.summary() }),
    system: input.systemCounters,
  }
}

function timeSeries(input: ResultInput): TimeSeriesResult {
  const { series, setup } = input
  const factor = Math.max(1, Math.ceil(series.buckets / MAX_SERIES_POINTS))
  const points = Math.ceil(series.buckets / factor)
  const range = (point: number): [number, number] => [point * factor, Math.min(series.buckets, (point + 1) * factor)]
  const rate = (array: Int32Array): number[] =>
    Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let total = 0
      for (let bucket = first; bucket < end; bucket++) total += array[bucket] as number
      return round(total / (((end - first) * series.bucketMs) / 1000), 2)
    })
  const count = (array: Int32Array): number[] =>
    Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let total = 0
      for (let bucket = first; bucket < end; bucket++) total += array[bucket] as number
      return total
    })
  const percentile = (p: number, from: TimeSeries = series): (number | null)[] => Array.from({ length: points }, (_, point) => from.percentileMs(...range(point), p))
  const replicationLagMs: Record<string, (number | null)[]> = {}
  setup.population.regionIds.forEach((region, index) => {
    const lag = input.lagMs[index] as Float64Array
    replicationLagMs[region] = Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let worst = Number.NaN
      for (let bucket = first; bucket < end; bucket++) {
        const value = lag[bucket] as number
        if (!Number.isNaN(value) && !(value <= worst)) worst = value
      }
      return Number.isNaN(worst) ? null : round(worst, 1)
    })
  })
  return {
    bucketMs: series.bucketMs * factor,
    tMs: Array.from({ length: points }, (_, point) => point * factor * series.bucketMs),
    offeredRps: rate(series.offered),
    servedRps: rate(series.served),
    shedRps: rate(series.shed),
    failedRps: rate(series.failed),
    timeoutRps: rate(series.timeouts),
    latencyP50Ms: percentile(50),
    latencyP95Ms: percentile(95),
    latencyP99Ms: percentile(99),
    ...(input.open === undefined
      ? {}
      : { openModelLatencyP50Ms: percentile(50, input.open.series), openModelLatencyP95Ms: percentile(95, input.open.series), openModelLatencyP99Ms: percentile(99, input.open.series) }),
    staleReads: count(series.staleReads),
    zeroLikeReads: count(series.zeroLikeReads),
    replicationLagMs,
    hotVideos: hotVideos(input, points, factor),
  }
}

/** The most-liked videos: what the history proves stood, against what readers were shown. */
function hotVideos(input: ResultInput, points: number, factor: number): HotVideoSeries[] {
  const { pairs, history, series, setup } = input
  const population: Population = setup.population
  const endMs = series.buckets * series.bucketMs
  const pairCounts = Array.from({ length: population.videoCount }, (_, video) => pairs.pairEndOf(video) - pairs.firstPairOf(video))
  const candidates = pairCounts
    .map((pairCount, video) => ({ video, pairCount }))
    .sort((a, b) => b.pairCount - a.pairCount || a.video - b.video)
    .slice(0, HOT_VIDEOS)
    .filter((c) => c.pairCount > 0)
  const rankOf = new Int32Array(population.videoCount)
  population.rankToVideo.forEach((video, rank) => {
    rankOf[video] = rank + 1
  })
  const pointMs = series.bucketMs * factor
  return candidates.map(({ video }) => {
    const shownMin: (number | null)[] = new Array(points).fill(null)
    const shownMax: (number | null)[] = new Array(points).fill(null)
    const zeroReads: number[] = new Array(points).fill(0)
    for (let i = 0; i < history.length; i++) {
      if (history.videoOf(i) !== video || !history.isAcknowledged(i, OpKind.ReadVideo)) continue
      const t = history.invokeMsOf(i)
      if (t >= endMs) continue
      const point = Math.min(points - 1, Math.floor(t / pointMs))
      const value = history.likeCountOf(i)
      const min = shownMin[point]
      const max = shownMax[point]
      if (min === null || min === undefined || value < min) shownMin[point] = value
      if (max === null || max === undefined || value > max) shownMax[point] = value
      if (value === 0) zeroReads[point] = (zeroReads[point] as number) + 1
    }
    const trueLikes = Array.from({ length: points }, (_, point) => {
      const at = Math.min(endMs, (point + 1) * pointMs)
      return pairs.bounds(video, at, at)[0]
    })
    return { videoId: population.videoIds.get(video) as string, rank: rankOf[video] as number, trueLikes, shownMin, shownMax, zeroReads }
  })
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

function roundValues(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  for (const [key, value] of Object.entries(values)) out[key] = value === null || Number.isInteger(value) ? value : round(value, 6)
  return out
}

function roundDeep<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 6) : v))) as T
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export function defaultCheckNames(faultKinds: readonly string[], { goodput, steadyState }: { goodput: boolean; steadyState: boolean }): CheckName[] {
  const names: CheckName[] = ['no-lost-likes', 'no-double-count', 'counter-bounds', 'bounded-staleness', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence', 'notifications', 'exercised']
  if (faultKinds.includes('bot-purge') || faultKinds.includes('inactive-purge')) names.push('purge-accuracy')
  if (faultKinds.includes('takedown')) names.push('takedown')
  if (goodput) names.push('goodput')
  if (steadyState) names.push('steady-state')
  return names
}

/** Failed and indeterminate attempts by kind, every kind named (0 when none), in the kinds' order. */
function failureCounts(counts: Int32Array): FailureCounts {
  const out: Record<string, number> = {}
  FAILURE_KIND_NAMES.forEach((name, kind) => {
    if (kind !== FailureKind.None) out[name] = counts[kind] as number
  })
  return out as FailureCounts
}
