// Judging a finished run, whatever drove it (sim, http, an ingested k6 run): the checkers on the
// history, the k6 thresholds on the metrics built from it, detection quality, and the result.
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { SystemFaultReport } from '../../mock-server/systems/fault-log.ts'
import { systemFileOf } from '../../mock-server/systems/system-file.ts'
import type { DetectorModule } from '../../mock-server/core/detection/detector-module.ts'
import { detectorFileOf } from '../../mock-server/detector-file.ts'
import { seconds, type CheckContext, type HarnessHealth, type SystemFaultsSeen } from '../../sim/checks/check-types.ts'
import type { TargetFacts } from '../../sim/checks/applicability.ts'
import { DEFAULT_FRESH_GRACE_MS } from '../../sim/checks/bounded-staleness.ts'
import { measureDetection } from '../../sim/checks/detection-quality.ts'
import { runChecks } from '../../sim/checks/index.ts'
import { scanZeroReads } from '../../sim/checks/never-zero.ts'
import { PairTimeline } from '../../sim/checks/pair-timeline.ts'
import type { History } from '../../sim/history.ts'
import { buildResult, defaultCheckNames } from './build-result.ts'
import type { CheckName } from '../../sim/checks/check-types.ts'
import type { Scenario } from '../scenario.ts'
import { digestHistory } from './history-digest.ts'
import { evaluateThresholds, HistoryMetrics, type MetricStore } from './metric-store.ts'
import type { HttpRunConfig, RunMode, RunResult, StoppedBy } from '../../result/result.ts'
import type { RunSetup } from './run-setup.ts'
import { parseThresholds } from './threshold.ts'

export interface JudgeInput {
  readonly setup: RunSetup
  readonly mode: RunMode
  readonly strategy: Pick<StrategyBehaviour, 'name' | 'description'>
  /** The bot purges' detector, when not the built-in one. */
  readonly detector?: DetectorModule | undefined
  readonly history: History
  /** Why the run stopped before its end; undefined when it ran to completion. */
  readonly stoppedBy: StoppedBy | undefined
  /** Counters the system reported about itself (shown, never trusted by a checker). */
  readonly systemCounters: Readonly<Record<string, number>>
  /** A user's system guarded in this process (mode sim): what went wrong, with examples. Over HTTP only its count comes back, in systemCounters. */
  readonly systemFaults?: SystemFaultReport | undefined
  readonly examplesMax?: number
  /** Open-model bookkeeping of an http run: arrivals with no free VU, and the peak of busy VUs. */
  readonly droppedIterations?: number
  readonly peakVus?: number
  /** Time covered by the charts (defaults to the scenario's duration). */
  readonly durationMs?: number
  /** Mode http: how the run was driven. */
  readonly http?: HttpRunConfig
  /** Mode http with --time-scale: wall ms per scenario ms (latencies are wall ms, history times scenario ms). */
  readonly timeScale?: number
  /** Mode http: the driver's own health; timing checks are inconclusive when it could not keep the schedule. */
  readonly harness?: HarnessHealth
  /** Mode http against a --target: what it lets the checks see (a check needing what it lacks is not applicable). */
  readonly target?: TargetFacts
}

export function judgeRun(input: JudgeInput): RunResult {
  const { setup, history } = input
  const scenario = setup.scenario
  // The embedded server or mode sim ran the user's module (--system): not the target's service.
  const userSystem = input.http === undefined || input.http.target === 'embedded' ? systemFileOf(input.strategy) : undefined
  const detectorFile = input.detector === undefined ? undefined : detectorFileOf(input.detector)
  const population = setup.population
  const durationMs = input.durationMs ?? setup.durationMs
  const pairs = new PairTimeline(history, { videoCount: population.videoCount, importedLikes: population.importedLikes })
  const timeScale = input.timeScale ?? 1
  const config = scenario.checks?.config ?? {}
  // A client's deadline is wall time; the history speaks scenario time.
  const goodput = config.goodput === undefined ? undefined : { ...config.goodput, deadlineMs: (config.goodput.deadlineMs ?? setup.client.timeoutMs) / timeScale }
  // A run cut short did not offer the scenario's load over its windows: what its timing checks
  // measured says nothing about the system (a goodput window cut in half is not a drop). Unless
  // a threshold crossing cut it: that crossing is the verdict, as in k6.
  const cut = input.stoppedBy !== undefined && input.stoppedBy.kind !== 'abort-on-fail'
  const harness: HarnessHealth | undefined =
    input.harness?.scheduleNotKept === undefined && cut ? { scheduleNotKept: `the run stopped before its end (${input.stoppedBy?.detail})` } : input.harness
  // So is the replication grace of a target on its own clock (the embedded server runs on the scenario's).
  const external = input.http !== undefined && input.http.target !== 'embedded'
  const staleness = { ...config['bounded-staleness'], freshGraceMs: (config['bounded-staleness']?.freshGraceMs ?? DEFAULT_FRESH_GRACE_MS) / (external ? timeScale : 1) }
  const ctx: CheckContext = {
    history,
    population,
    regionIds: population.regionIds,
    faults: scenario.faults,
    durationMs,
    pairs,
    config: { ...config, 'bounded-staleness': staleness, ...(goodput === undefined ? {} : { goodput }) },
    capacityRps: setup.capacityRps,
    examplesMax: input.examplesMax ?? 10,
    ...(harness === undefined ? {} : { harness }),
    ...(userSystem === undefined ? {} : { systemFaults: faultsSeen(input) }),
    ...(input.target === undefined ? {} : { target: input.target }),
  }
  // A user's system is held to the interface besides: the guard around it counted what it did wrong.
  const names = checksFor(scenario)
  const checks = runChecks(ctx, userSystem === undefined || names.includes('system-faults') ? names : [...names, 'system-faults'])
  const store = runMetrics(ctx, { scenario: scenario.name, timeScale, droppedIterations: input.droppedIterations ?? 0, peakVus: input.peakVus ?? 0 })
  const thresholds = evaluateThresholds(store, parseThresholds(scenario.load.thresholds))
  const digest = digestHistory(history, { durationMs, regionCount: population.regionIds.length, ...(input.mode === 'http' ? { openModel: { timeScale } } : {}) })
  const hasPurge = scenario.faults.some((f) => f.kind === 'bot-purge' || f.kind === 'inactive-purge')
  return buildResult({
    setup,
    mode: input.mode,
    strategy: input.strategy,
    system: userSystem === undefined ? undefined : { name: input.strategy.name, path: userSystem.path, sha256: userSystem.sha256, interfaceVersion: userSystem.interfaceVersion },
    detector: input.detector === undefined ? undefined : { name: input.detector.name, interfaceVersion: input.detector.interfaceVersion, ...detectorFile },
    history,
    metrics: digest.metrics,
    series: digest.series,
    open: digest.open,
    lagMs: digest.lagMs,
    pairs,
    checks,
    thresholds,
    detection: hasPurge ? measureDetection(ctx) : null,
    stoppedBy: input.stoppedBy,
    systemCounters: input.systemCounters,
    http: input.http,
    harness,
  })
}

/** What the guard saw: its own report in mode sim; over HTTP, the count the server's counters carry. */
function faultsSeen(input: JudgeInput): SystemFaultsSeen {
  const report = input.systemFaults
  if (report === undefined) return { count: input.systemCounters['systemFaults'] ?? 0, examples: [] }
  const examples = report.examples.map((fault) => ({
    message: `${fault.call}${fault.region === '' ? '' : ` in ${fault.region}`} at ${seconds(fault.atMs)}${fault.videoId === undefined ? '' : ` (${fault.videoId})`}: ${fault.problem}`,
    ...(fault.region === '' ? {} : { region: fault.region }),
    ...(fault.videoId === undefined ? {} : { videoId: fault.videoId }),
    atMs: fault.atMs,
  }))
  return { count: report.count, examples }
}

/** The checks a scenario runs: its own list, or every invariant plus those its faults call for. */
export function checksFor(scenario: Scenario): CheckName[] {
  const config = scenario.checks?.config
  return [...(scenario.checks?.run ?? defaultCheckNames(scenario.faults.map((f) => f.kind), { goodput: config?.goodput !== undefined, steadyState: config?.['steady-state'] !== undefined }))]
}

/** The run's metrics: the history's attempts, and the reads never-zero finds showing a made-up 0. */
function runMetrics(ctx: CheckContext, { scenario, timeScale, droppedIterations, peakVus }: { scenario: string; timeScale: number; droppedIterations: number; peakVus: number }): MetricStore {
  const { history } = ctx
  const metrics = new HistoryMetrics({ regionIds: ctx.regionIds, scenario, timeScale })
  metrics.record(history, 0, history.length)
  const { store } = metrics
  scanZeroReads(ctx, {
    zeroLikes: (i) => store.add('reads_zero_while_liked', metrics.tagsOf(history.kindOf(i), history.regionOf(i)), 1),
    zeroViews: () => undefined,
  })
  if (droppedIterations > 0) store.add('dropped_iterations', { scenario }, droppedIterations)
  if (peakVus > 0) store.add('vus', { scenario }, peakVus)
  return store
}
