// Run one scenario: validate it, drive it (mode sim), check the history, build the result.
// This is the programmatic API behind `likestorm run`.
import { strategyByName, type StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import { runChecks } from '../../sim/checks/index.ts'
import type { CheckContext, CheckName } from '../../sim/checks/check-types.ts'
import { measureDetection } from '../../sim/checks/detection-quality.ts'
import { PairTimeline } from '../../sim/checks/pair-timeline.ts'
import type { History } from '../../sim/history.ts'
import type { Population } from '../../sim/population.ts'
import { UsageError } from '../errors.ts'
import type { Scenario } from '../scenario.ts'
import { validateScenario } from '../validate.ts'
import { buildResult, defaultCheckNames } from './build-result.ts'
import type { RunResult } from './result.ts'
import { prepareRun } from './run-setup.ts'
import { runSimDriver, type SimProgress } from './sim-driver.ts'
import { evaluateThresholds, metricsFromHistory } from './metric-store.ts'
import { parseThresholds } from './threshold.ts'

export interface RunOptions {
  readonly scenario: Scenario
  readonly seed: number
  readonly scale?: number
  /** A strategy name (robust, naive, or a broken-* test variant) or a behaviour object. */
  readonly strategy?: string | StrategyBehaviour
  readonly maxOperations?: number
  readonly examplesMax?: number
  readonly onProgress?: (progress: SimProgress) => void
}

export interface RunOutcome {
  readonly result: RunResult
  readonly history: History
  readonly population: Population
  readonly operations: number
}

export function resolveStrategy(strategy: string | StrategyBehaviour | undefined): StrategyBehaviour {
  if (strategy === undefined) return strategyByName('robust') as StrategyBehaviour
  if (typeof strategy !== 'string') return strategy
  const found = strategyByName(strategy)
  if (found === undefined) throw new UsageError('LS_UNKNOWN_STRATEGY', `unknown strategy ${JSON.stringify(strategy)}; allowed: robust, naive`)
  return found
}

export function checksFor(scenario: Scenario): CheckName[] {
  const config = scenario.checks?.config
  return [...(scenario.checks?.run ?? defaultCheckNames(scenario.faults.map((f) => f.kind), { goodput: config?.goodput !== undefined, steadyState: config?.['steady-state'] !== undefined }))]
}

export function runScenario(options: RunOptions): RunOutcome {
  const { scenario, seed } = options
  const scale = options.scale ?? 1
  const problems = validateScenario(scenario)
  if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid`, problems)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('LS_BAD_FLAG', `--seed must be a whole number >= 0, got ${seed}`)
  if (!(scale > 0 && scale <= 1000)) throw new UsageError('LS_BAD_FLAG', `--scale must be in (0, 1000], got ${scale}`)
  const strategy = resolveStrategy(options.strategy)
  const setup = prepareRun({ scenario, seed, scale })
  const deadlineS = scenario.checks?.config?.convergence?.deadlineS ?? 30
  const run = runSimDriver({
    setup,
    strategy,
    convergenceDeadlineMs: deadlineS * 1000,
    ...(options.maxOperations === undefined ? {} : { maxOperations: options.maxOperations }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  })
  const pairs = new PairTimeline(run.history, { videoCount: setup.population.videoCount, importedLikes: setup.population.importedLikes })
  const ctx: CheckContext = {
    history: run.history,
    population: setup.population,
    regionIds: setup.population.regionIds,
    faults: scenario.faults,
    durationMs: setup.durationMs,
    pairs,
    config: scenario.checks?.config ?? {},
    capacityRps: setup.capacityRps,
    examplesMax: options.examplesMax ?? 10,
  }
  const checks = runChecks(ctx, checksFor(scenario))
  const thresholds = evaluateThresholds(
    metricsFromHistory(run.history, { regionIds: setup.population.regionIds, scenario: scenario.name }),
    parseThresholds(scenario.load.thresholds),
  )
  const hasPurge = scenario.faults.some((f) => f.kind === 'bot-purge' || f.kind === 'inactive-purge')
  const systemCounters = { ...run.core.state(run.endMs).counters }
  const result = buildResult({
    setup,
    mode: 'sim',
    strategy,
    history: run.history,
    metrics: run.metrics,
    series: run.series,
    lagMs: run.lagMs,
    pairs,
    checks,
    thresholds,
    detection: hasPurge ? measureDetection(ctx) : null,
    interrupted: run.truncated,
    systemCounters,
  })
  return { result, history: run.history, population: setup.population, operations: run.operations }
}
