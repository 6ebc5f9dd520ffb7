// likestorm run <scenario…|--all> [--mode sim] [--seed N] [--scale F] [--strategy S] [--out DIR]
import { join } from 'node:path'
import { PUBLIC_STRATEGY_NAMES } from '../../mock-server/core/strategy.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import { swarmScenarioByName } from '../../scenarios/swarm.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import type { RunResult } from '../../scenarios/run/result.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { choiceFlag, intFlag, numberFlag, parseFlags, stringFlag } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { progressLine } from '../progress.ts'
import { renderCheckMatrix, renderRunSummary } from '../summary.ts'
import { writeResult } from '../write-result.ts'
import { writeIndex, writeReports, type ReportPaths } from '../../reports/write-reports.ts'

export const RUN_FLAGS = {
  all: { type: 'boolean' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  scale: { type: 'string' },
  strategy: { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  'no-reports': { type: 'boolean' },
} as const

export interface RunSettings {
  readonly scenarios: readonly Scenario[]
  readonly seed: number
  readonly scale: number
  readonly strategy: string
  readonly outDir: string
  readonly quiet: boolean
  /** Write report.html, summary.md and junit.xml next to each result.json (default on). */
  readonly reports: boolean
}

export function parseRunSettings(argv: readonly string[]): RunSettings {
  const { values, positionals } = parseFlags(argv, RUN_FLAGS, 'run')
  choiceFlag(values.mode, '--mode', ['sim'] as const, 'sim')
  const names = positionals
  if (values.all === true && names.length > 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name scenarios or pass --all, not both')
  if (values.all !== true && names.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name at least one scenario or pass --all; likestorm list shows them')
  const scenarios = values.all === true ? [...LIBRARY] : names.map((name) => {
    const scenario = scenarioByName(name) ?? swarmScenarioByName(name)
    if (scenario === undefined) throw new UsageError('LS_UNKNOWN_SCENARIO', `unknown scenario ${JSON.stringify(name)}; known: ${LIBRARY.map((s) => s.name).join(', ')} (or swarm-<seed>)`)
    return scenario
  })
  return {
    scenarios,
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    strategy: choiceFlag(values.strategy, '--strategy', PUBLIC_STRATEGY_NAMES, 'robust'),
    outDir: stringFlag(values.out, 'out'),
    quiet: values.quiet === true,
    reports: values['no-reports'] !== true,
  }
}

export interface ReportedRun {
  readonly result: RunResult
  readonly reports: ReportPaths | undefined
}

/** Run scenarios in mode sim, print each summary, write each result and its reports. */
export function runAndReport(
  settings: RunSettings,
  { out, err, dirFor }: { out: NodeJS.WritableStream; err: NodeJS.WriteStream; dirFor: (scenario: Scenario, strategy: string) => string },
  strategy = settings.strategy,
): ReportedRun[] {
  const runs: ReportedRun[] = []
  for (const scenario of settings.scenarios) {
    const progress = progressLine({ stream: err, enabled: !settings.quiet })
    const started = performance.now()
    const outcome = runScenario({
      scenario,
      seed: settings.seed,
      scale: settings.scale,
      strategy,
      onProgress: (p) => progress.update(`${scenario.name} [${strategy}] ${((100 * p.virtualMs) / p.durationMs).toFixed(0)}% · ${p.operations.toLocaleString('en-US')} operations`),
    })
    progress.done()
    const dir = dirFor(scenario, strategy)
    const path = writeResult(outcome.result, dir)
    const reports = settings.reports ? writeReports(outcome.result, dir) : undefined
    out.write(`${renderRunSummary(outcome.result, { resultPath: path, wallMs: performance.now() - started, ...(reports === undefined ? {} : { reportPath: reports.html }) })}\n\n`)
    runs.push({ result: outcome.result, reports })
  }
  return runs
}

/** The index page over several runs, when their reports were written. */
export function writeRunsIndex(runs: readonly ReportedRun[], dir: string): string | undefined {
  if (runs.length < 2 || runs.some((run) => run.reports === undefined)) return undefined
  return writeIndex(
    runs.map((run) => run.result),
    dir,
    runs.map((run) => run.reports as ReportPaths),
  )
}

export function runCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number {
  const settings = parseRunSettings(argv)
  const runs = runAndReport(settings, { ...io, dirFor: (scenario) => join(settings.outDir, scenario.name) })
  const results = runs.map((run) => run.result)
  if (results.length > 1) io.out.write(`${renderCheckMatrix(results)}\n`)
  const index = writeRunsIndex(runs, settings.outDir)
  if (index !== undefined) io.out.write(`\nReports: ${index}\n`)
  return results.every((result) => result.passed) ? EXIT.OK : EXIT.CHECK_FAILED
}
