// From a finished run (history, metrics, series) and its check verdicts to the result document.
// Pure: the same inputs give the same JSON, byte for byte. Its sections are built beside it: the
// metrics (result-metrics.ts), the time series (result-timeseries.ts) and the replay command
// (replay-command.ts), with the rounding and key order of result-json.ts.
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { CheckName, CheckResult, CheckStatus, HarnessHealth } from '../../sim/checks/check-types.ts'
import type { DetectionQuality } from '../../sim/checks/detection-quality.ts'
import type { PairTimeline } from '../../sim/checks/pair-timeline.ts'
import { describeFault } from '../../sim/faults.ts'
import { History, type PurgeRecord } from '../../sim/history.ts'
import { LIKESTORM_VERSION } from '../version.ts'
import type { RunMetrics } from './run-metrics.ts'
import type { RunSetup } from './run-setup.ts'
import { RESULT_SCHEMA_VERSION, type CheckOutcome, type FaultOutcome, type RunVerdict, type StoppedBy, type HttpRunConfig, type RunMode, type RunResult, type SystemRecord, type DetectorRecord } from '../../result/result.ts'
import type { TimeSeries } from './time-series.ts'
import type { LatencyHistogram } from './latency-histogram.ts'
import type { ThresholdOutcome } from './metric-store.ts'
import { replayCommand } from './replay-command.ts'
import { round, roundDeep, roundValues, sortKeys } from './result-json.ts'
import { metricsSummary } from './result-metrics.ts'
import { timeSeries } from './result-timeseries.ts'

export { replayCommand } from './replay-command.ts'
export { round } from './result-json.ts'
export { MAX_SERIES_POINTS } from './result-timeseries.ts'

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

export function defaultCheckNames(faultKinds: readonly string[], { goodput, steadyState }: { goodput: boolean; steadyState: boolean }): CheckName[] {
  const names: CheckName[] = ['no-lost-likes', 'no-double-count', 'counter-bounds', 'bounded-staleness', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence', 'notifications', 'exercised']
  if (faultKinds.includes('bot-purge') || faultKinds.includes('inactive-purge')) names.push('purge-accuracy')
  if (faultKinds.includes('takedown')) names.push('takedown')
  if (goodput) names.push('goodput')
  if (steadyState) names.push('steady-state')
  return names
}
