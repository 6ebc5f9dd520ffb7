// Run one scenario: validate it, drive it (mode sim), check the history, build the result.
// This is the programmatic API behind `likestorm run`.
import { strategyByName, type StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import { SystemCreateError } from '../../mock-server/systems/guard.ts'
import type { SystemFaultReport } from '../../mock-server/systems/fault-log.ts'
import type { DetectorModule } from '../../mock-server/core/detection/detector-module.ts'
import type { History } from '../../sim/history.ts'
import type { Population } from '../../sim/population.ts'
import { UsageError } from '../errors.ts'
import type { Scenario } from '../scenario.ts'
import { validateScenario } from '../validate.ts'
import { judgeRun } from './judge.ts'
export { checksFor } from './judge.ts'
import type { RunResult, StoppedBy } from '../../result/result.ts'
import { prepareRun, type RunSetup } from './run-setup.ts'
import { DEFAULT_MAX_OPERATIONS, runSimDriver, type SimProgress } from './sim-driver.ts'

export interface RunOptions {
  readonly scenario: Scenario
  readonly seed: number
  readonly scale?: number
  /**
   * A strategy name (robust, naive) or a system module: the user's, loaded by loadSystemFile
   * (mock-server/systems/system-file.ts: checked, guarded, recorded in the result), or a test's
   * planted-defect variant (test/helpers/planted-defects.ts).
   */
  readonly strategy?: string | StrategyBehaviour
  /** The bot purges' detector: the user's, loaded by loadDetectorFile (mock-server/detector-file.ts), or any DetectorModule; default the built-in one. */
  readonly detector?: DetectorModule
  readonly maxOperations?: number
  readonly examplesMax?: number
  readonly onProgress?: (progress: SimProgress) => void
  /**
   * Polled every 65,536 operations (mode sim computes without yielding, so a signal handler
   * cannot run meanwhile): a signal's name ends the traffic there; the final reads still run and
   * the result is marked stoppedBy that signal.
   */
  readonly stopSignal?: () => string | undefined
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

export function runScenario(options: RunOptions): RunOutcome {
  const { scenario, seed } = options
  const scale = options.scale ?? 1
  const problems = validateScenario(scenario)
  if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid`, problems)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('LS_BAD_FLAG', `--seed must be a whole number >= 0, got ${seed}`)
  if (!(scale > 0 && scale <= 1000)) throw new UsageError('LS_BAD_FLAG', `--scale must be in (0, 1000], got ${scale}`)
  const strategy = resolveStrategy(options.strategy)
  const setup = prepareRun({ scenario, seed, scale })
  const run = driveScenario(options, setup, strategy)
  const result = judgeRun({
    setup,
    mode: 'sim',
    strategy,
    ...(options.detector === undefined ? {} : { detector: options.detector }),
    history: run.history,
    stoppedBy: run.stoppedBy,
    systemCounters: run.systemCounters,
    systemFaults: run.systemFaults,
    examplesMax: options.examplesMax ?? 10,
  })
  return { result, history: run.history, population: setup.population, operations: run.operations }
}

/**
 * The traffic through the core, and what the judge needs of it. The core itself (the system's
 * state: hundreds of MB at scale) is no longer referenced once this returns, so the checkers do
 * not keep it alive beside their own memory.
 */
function driveScenario(options: RunOptions, setup: RunSetup, strategy: StrategyBehaviour): DrivenRun {
  const deadlineS = setup.scenario.checks?.config?.convergence?.deadlineS ?? 30
  const run = simRun(() => runSimDriver({
    setup,
    strategy,
    detector: options.detector,
    convergenceDeadlineMs: deadlineS * 1000,
    ...(options.maxOperations === undefined ? {} : { maxOperations: options.maxOperations }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.stopSignal === undefined ? {} : { shouldStop: () => options.stopSignal?.() !== undefined }),
  }))
  const stoppedBy: StoppedBy | undefined = run.stopped
    ? { kind: 'signal', detail: options.stopSignal?.() ?? 'stopped' }
    : run.truncated
      ? { kind: 'operation-cap', detail: `the operation cap of ${(options.maxOperations ?? DEFAULT_MAX_OPERATIONS).toLocaleString('en-US')} operations was reached` }
      : undefined
  return { history: run.history, operations: run.operations, stoppedBy, systemCounters: { ...run.core.state(run.endMs).counters }, systemFaults: run.core.systemFaults() }
}

interface DrivenRun {
  readonly history: History
  readonly operations: number
  readonly stoppedBy: StoppedBy | undefined
  readonly systemCounters: Readonly<Record<string, number>>
  readonly systemFaults: SystemFaultReport | undefined
}

/** A user's module whose create() throws with this scenario cannot run it: a usage error (exit 2), not a crash. */
function simRun<T>(run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof SystemCreateError) throw new UsageError('LS_BAD_SYSTEM', error.message)
    throw error
  }
}
