// Run one scenario in mode http: validate it, drive it over sockets, judge the history, build the
// result. The programmatic API behind `likestorm run --mode http`.
import type { StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import type { DetectorModule } from '../../../mock-server/core/detection/detector-module.ts'
import { UsageError } from '../../errors.ts'
import type { Scenario } from '../../scenario.ts'
import { validateScenario } from '../../validate.ts'
import { judgeRun } from '../judge.ts'
import type { RunOutcome } from '../runner.ts'
import { resolveStrategy } from '../runner.ts'
import { prepareRun } from '../run-setup.ts'
import type { RunSetup } from '../run-setup.ts'
import { runHttpDriver, vuBudget, type HttpProgress, type HttpRun, type WallBound } from './http-driver.ts'
import { distinctRegionCount, formatTarget } from './target.ts'
import { assertFaultRoute, type FaultRoute } from './http-faults.ts'
import { resolveTarget } from './target-capabilities.ts'
import { loadAdapterFile } from './adapter-file.ts'
import type { TargetFacts } from '../../../sim/checks/applicability.ts'
import { DEFAULT_FRESH_GRACE_MS } from '../../../sim/checks/bounded-staleness.ts'
import type { TargetCapabilityRecord } from '../../../result/result.ts'
import { convergenceDeadlineMs, describeWallPlan, wallPlan } from './wall-plan.ts'
import { worldMismatchMessage } from './world-watch.ts'
import { timersRanLate } from './harness-health.ts'

export interface HttpScenarioOptions {
  readonly scenario: Scenario
  readonly seed: number
  readonly scale?: number
  /** The system of the embedded mock server: a strategy's name, or a module (a user's, from loadSystemFile); ignored with a target. */
  readonly strategy?: string | StrategyBehaviour
  /** The embedded server's bot-purge detector (a user's module, from loadDetectorFile); refused with a target, which purges with its own. */
  readonly detector?: DetectorModule
  /** The first region's URL, or region=url,… ; without it the mock server runs in this process. */
  readonly target?: string
  /** A capabilities document in a file, instead of the target's own (docs/targets.md). */
  readonly targetProfile?: string
  readonly allowRemoteTarget?: boolean
  /** Bearer token of the target's admin API (faults, probes, a reset of a target left dirty). */
  readonly adminToken?: string
  /** How faults reach a --target: its admin API (default), the fault proxy (fault-proxy.ts), or none. */
  readonly faults?: FaultRoute
  /** A module mapping each operation to the target's own API (docs/targets.md), relative to the working directory; only with a target. */
  readonly adapter?: string
  /** Run against a target holding state from before the run that cannot be reset; the checks it would fool are not applicable. */
  readonly allowDirtyTarget?: boolean
  /** Wall time = scenario time x timeScale (default 1). */
  readonly timeScale?: number
  /**
   * Hard bound on the run's wall time, seconds. Default: twice what the run plans (the traffic at
   * the time scale, the drain, the quiet period, the convergence deadline, the final reads at the
   * final-read rate) plus a minute; see wall-plan.ts.
   */
  readonly durationMaxS?: number
  readonly maxOperations?: number
  /** Connections per region (default 64). */
  readonly connections?: number
  readonly examplesMax?: number
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: HttpProgress) => void
}

export interface HttpRunOutcome extends RunOutcome {
  readonly skippedFaults: readonly string[]
  readonly wallMs: number
}

export const DEFAULT_MAX_HTTP_OPERATIONS = 20_000_000
export const DEFAULT_CONNECTIONS = 64
export const CONNECTIONS_MAX = 2048

export async function runScenarioHttp(options: HttpScenarioOptions): Promise<HttpRunOutcome> {
  const { scenario, seed } = options
  const scale = options.scale ?? 1
  const timeScale = options.timeScale ?? 1
  const problems = validateScenario(scenario, { mode: 'http' })
  if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid`, problems)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('LS_BAD_FLAG', `--seed must be a whole number >= 0, got ${seed}`)
  if (!(scale > 0 && scale <= 1000)) throw new UsageError('LS_BAD_FLAG', `--scale must be in (0, 1000], got ${scale}`)
  if (!(timeScale >= 0.01 && timeScale <= 100)) throw new UsageError('LS_BAD_FLAG', `--time-scale must be in [0.01, 100], got ${timeScale}`)
  assertFaultRoute(options.faults, options.target)
  const strategy = resolveStrategy(options.strategy)
  if (options.detector !== undefined && options.target !== undefined) throw new UsageError('LS_BAD_FLAG', '--detector runs the purges of the embedded server (or mode sim): a --target purges with its own detector')
  if (options.adapter !== undefined && options.target === undefined) throw new UsageError('LS_BAD_FLAG', '--adapter maps operations to a --target\'s own API: give the --target too')
  const adapter = options.adapter === undefined ? undefined : await loadAdapterFile(options.adapter, { cwd: process.cwd() })
  const setup = prepareRun({ scenario, seed, scale })
  const { population } = setup
  const resolved =
    options.target === undefined
      ? undefined
      : await resolveTarget({
          text: options.target,
          ...(options.targetProfile === undefined ? {} : { profilePath: options.targetProfile }),
          regions: population.regionIds,
          allowRemote: options.allowRemoteTarget === true,
          probeIds: { userId: population.userIds.get(0) as string, videoId: population.videoIds.get(0) as string },
          ...(adapter?.adapter.capabilities === undefined ? {} : { adapterDocument: { document: adapter.adapter.capabilities, where: `--adapter ${adapter.path}` } }),
        })
  const target = resolved?.target
  // The embedded server runs on the scenario clock; a target on its own wall clock.
  const wallMsPerServerMs = target === undefined ? timeScale : 1
  const durationMax = wallBound(setup, { timeScale, wallMsPerServerMs, durationMaxS: options.durationMaxS })
  // Each VU holds a connection in k6; so may ours (bounded).
  const connections = options.connections ?? Math.min(CONNECTIONS_MAX, Math.max(DEFAULT_CONNECTIONS, vuBudget(setup)))
  const run = await runHttpDriver({
    setup,
    strategy,
    ...(options.detector === undefined ? {} : { detector: options.detector }),
    ...(resolved === undefined ? {} : { target: resolved.target, capabilities: resolved.capabilities }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(adapter === undefined ? {} : { adapter: adapter.adapter }),
    ...(options.allowDirtyTarget === true ? { allowDirtyTarget: true } : {}),
    timeScale,
    durationMax,
    maxOperations: options.maxOperations ?? DEFAULT_MAX_HTTP_OPERATIONS,
    connections,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  })
  const targetName = target === undefined ? 'embedded' : formatTarget(target.urls, population.regionIds)
  if (run.worldMismatch !== undefined) {
    throw new UsageError('LS_WORLD_MISMATCH', worldMismatchMessage({ target: targetName, evidence: run.worldMismatch, scenario: scenario.name, seed, scale }))
  }
  const notKept = run.health.cause ?? 'the load generator could not keep the schedule'
  const harness = run.health.scheduleKept ? undefined : { scheduleNotKept: notKept, ...(timersRanLate(run.health, { clientTimeoutMs: setup.client.timeoutMs }) ? { timersLate: notKept } : {}) }
  const result = judgeRun({
    setup: withTargetTimeDeadlines(setup, wallMsPerServerMs / timeScale),
    mode: 'http',
    strategy: target === undefined ? strategy : { name: 'target', description: `the service at ${targetName}` },
    ...(options.detector === undefined ? {} : { detector: options.detector }),
    history: run.history,
    stoppedBy: run.stoppedBy,
    systemCounters: run.systemCounters,
    examplesMax: options.examplesMax ?? 10,
    droppedIterations: run.droppedIterations,
    peakVus: run.peakVus,
    timeScale,
    ...(harness === undefined ? {} : { harness }),
    ...(target === undefined ? {} : { target: targetFacts(run, { distinctRegions: distinctRegionCount(target.urls), freshGraceMs: freshGraceMs(scenario) / timeScale, timeScale }) }),
    http: {
      target: targetName,
      ...(options.targetProfile === undefined ? {} : { targetProfile: options.targetProfile }),
      ...(target === undefined ? {} : { faults: options.faults ?? 'admin' }),
      ...(adapter === undefined ? {} : { adapter: adapter.path }),
      ...(options.allowDirtyTarget === true ? { allowDirtyTarget: true } : {}),
      timeScale,
      connections,
      wallMs: Math.round(run.wallMs),
      droppedIterations: run.droppedIterations,
      peakVus: run.peakVus,
      skippedFaults: run.skippedFaults,
      ...(run.abortedBy === undefined ? {} : { abortedBy: run.abortedBy }),
      health: run.health,
      capabilities: capabilityRecord(run),
    },
  })
  return { result, history: run.history, population: setup.population, operations: run.operations, skippedFaults: run.skippedFaults, wallMs: run.wallMs }
}

/** --time-limit when given, else the run's plan with its margin (wall-plan.ts); each with the line that says it was reached. */
function wallBound(setup: RunSetup, { timeScale, wallMsPerServerMs, durationMaxS }: { timeScale: number; wallMsPerServerMs: number; durationMaxS: number | undefined }): WallBound {
  if (durationMaxS !== undefined) return { ms: durationMaxS * 1000, detail: `--time-limit ${durationMaxS} s reached` }
  const plan = wallPlan(setup, { timeScale, wallMsPerServerMs })
  const boundS = Math.round(plan.durationMaxMs / 1000)
  return { ms: plan.durationMaxMs, detail: `the default wall-time bound of ${boundS} s reached (${describeWallPlan(plan)}); pass --time-limit to allow longer` }
}

/**
 * The setup the checks judge by. The convergence deadline is the target's: a target on its own
 * clock catches up in its own seconds, which are 1/timeScale scenario seconds each (the embedded
 * server's clock is the scenario's, and nothing changes).
 */
function withTargetTimeDeadlines(setup: RunSetup, scenarioMsPerServerMs: number): RunSetup {
  if (scenarioMsPerServerMs === 1) return setup
  const { scenario } = setup
  const convergence = { ...scenario.checks?.config?.convergence, deadlineS: (convergenceDeadlineMs(setup) * scenarioMsPerServerMs) / 1000 }
  return { ...setup, scenario: { ...scenario, checks: { ...scenario.checks, config: { ...scenario.checks?.config, convergence } } } }
}

/** What the checks may rely on, from what the target offered the run (and the state and clock it was found in). */
function targetFacts(run: HttpRun, { distinctRegions, freshGraceMs, timeScale }: { distinctRegions: number; freshGraceMs: number; timeScale: number }): TargetFacts {
  const { capabilities, clock } = run
  const source =
    capabilities.source === 'document' ? 'its capabilities document says so' : capabilities.source === 'profile' ? 'its --target-profile says so' : 'it serves no capabilities document: the minimum is assumed'
  return {
    distinctRegions,
    // Always read (past the read-back bound on a sample, which the checks judge alone). Not read
    // because the run ended first: the checks say so themselves.
    likeStates: true,
    creatorsKnown: capabilities.notifications && capabilities.world === 'loaded',
    staleness: capabilities.staleness === 'asOf',
    source,
    ...(capabilities.state?.fresh === false ? { leftoverState: capabilities.state.detail } : {}),
    clockSlackMs: clock.uncertaintyWallMs === null ? Infinity : clock.uncertaintyWallMs / timeScale,
    freshGraceMs,
  }
}

/** bounded-staleness's grace for a fresh answer's lag, scenario ms at time scale 1 (the judge scales it for a target). */
function freshGraceMs(scenario: Scenario): number {
  return scenario.checks?.config?.['bounded-staleness']?.freshGraceMs ?? DEFAULT_FRESH_GRACE_MS
}

/** config.http.capabilities: what the target offered and how the run used it. */
function capabilityRecord(run: HttpRun): TargetCapabilityRecord {
  const { capabilities, urls } = run
  return {
    source: capabilities.source,
    ...(capabilities.service === undefined ? {} : { service: capabilities.service }),
    regions: { ...urls },
    distinctRegions: distinctRegionCount(urls),
    likedLists: capabilities.likedLists,
    likeStates: run.likeStates ?? 'none',
    ...(run.likeStatesSample === undefined ? {} : { likeStatesSample: run.likeStatesSample }),
    notifications: capabilities.notifications,
    world: capabilities.world,
    staleness: capabilities.staleness,
    admin: capabilities.admin,
    clock: run.clock,
    ...(capabilities.state === undefined ? {} : { state: capabilities.state }),
    notes: capabilities.notes,
  }
}
