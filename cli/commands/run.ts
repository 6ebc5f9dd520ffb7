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
import { EXIT, exitForVerdicts } from '../exit-codes.ts'
import { progressLine } from '../progress.ts'
import { renderCheckMatrix, renderRunSummary } from '../summary.ts'
import { writeResult } from '../write-result.ts'
import { writeIndex, writeReports, type ReportPaths } from '../../reports/write-reports.ts'
import { runScenarioHttp } from '../../scenarios/run/http/http-runner.ts'
import type { HttpProgress } from '../../scenarios/run/http/http-driver.ts'
import type { SimProgress } from '../../scenarios/run/sim-driver.ts'
import { renderK6Summary } from '../k6-summary.ts'

export const RUN_FLAGS = {
  all: { type: 'boolean' },
  mode: { type: 'string' },
  target: { type: 'string' },
  'allow-remote-target': { type: 'boolean' },
  'admin-token': { type: 'string' },
  'time-scale': { type: 'string' },
  'duration-max': { type: 'string' },
  connections: { type: 'string' },
  seed: { type: 'string' },
  scale: { type: 'string' },
  strategy: { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  'no-reports': { type: 'boolean' },
} as const

export interface HttpSettings {
  readonly target: string | undefined
  readonly allowRemoteTarget: boolean
  readonly adminToken: string | undefined
  readonly timeScale: number
  readonly durationMaxS: number | undefined
  readonly connections: number | undefined
}

export interface RunSettings {
  readonly mode: 'sim' | 'http'
  readonly http: HttpSettings
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
  const mode = choiceFlag(values.mode, '--mode', ['sim', 'http'] as const, 'sim')
  const httpOnly = ['target', 'allow-remote-target', 'admin-token', 'time-scale', 'duration-max', 'connections'].filter((flag) => values[flag] !== undefined)
  if (mode === 'sim' && httpOnly.length > 0) throw new UsageError('LS_BAD_FLAG', `--${httpOnly[0]} needs --mode http`)
  const names = positionals
  if (values.all === true && names.length > 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name scenarios or pass --all, not both')
  if (values.all !== true && names.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name at least one scenario or pass --all; likestorm list shows them')
  const scenarios = values.all === true ? [...LIBRARY] : names.map((name) => {
    const scenario = scenarioByName(name) ?? swarmScenarioByName(name)
    if (scenario === undefined) throw new UsageError('LS_UNKNOWN_SCENARIO', `unknown scenario ${JSON.stringify(name)}; known: ${LIBRARY.map((s) => s.name).join(', ')} (or swarm-<seed>)`)
    return scenario
  })
  const http: HttpSettings = {
    target: typeof values.target === 'string' ? values.target : undefined,
    allowRemoteTarget: values['allow-remote-target'] === true,
    adminToken: typeof values['admin-token'] === 'string' ? values['admin-token'] : (process.env['LIKESTORM_ADMIN_TOKEN'] ?? process.env['ADMIN_TOKEN']),
    timeScale: numberFlag(values['time-scale'], '--time-scale', { min: 0, max: 100, fallback: 1 }),
    durationMaxS: values['duration-max'] === undefined ? undefined : numberFlag(values['duration-max'], '--duration-max', { min: 0, max: 7 * 86_400, fallback: 0 }),
    connections: values.connections === undefined ? undefined : intFlag(values.connections, '--connections', { min: 1, max: 4096, fallback: 64 }),
  }
  return {
    mode,
    http,
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
      onProgress: (p) => progress.update(renderSimProgress(`${scenario.name} [${strategy}]`, p)),
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

export function runCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number | Promise<number> {
  const settings = parseRunSettings(argv)
  if (settings.mode === 'http') return runHttpCommand(settings, io)
  const runs = runAndReport(settings, { ...io, dirFor: (scenario) => join(settings.outDir, scenario.name) })
  const results = runs.map((run) => run.result)
  if (results.length > 1) io.out.write(`${renderCheckMatrix(results)}\n`)
  const index = writeRunsIndex(runs, settings.outDir)
  if (index !== undefined) io.out.write(`\nReports: ${index}\n`)
  return exitForVerdicts(results.map((result) => result.verdict))
}

/** Mode http: the runs go over sockets, one after the other; Ctrl-C stops cleanly. */
async function runHttpCommand(settings: RunSettings, io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): Promise<number> {
  const { runs, aborted } = await runHttpAndReport(settings, { ...io, dirFor: (scenario) => join(settings.outDir, scenario.name), k6Summary: true })
  const results = runs.map((run) => run.result)
  if (results.length > 1) io.out.write(`${renderCheckMatrix(results)}\n`)
  const index = writeRunsIndex(runs, settings.outDir)
  if (index !== undefined) io.out.write(`\nReports: ${index}\n`)
  // Ctrl-C or the duration bound: 130; a run stopped by an abortOnFail threshold failed: 1.
  if (aborted || results.some((result) => result.interrupted && result.config.http?.abortedBy === undefined)) return EXIT.INTERRUPTED
  return exitForVerdicts(results.map((result) => result.verdict))
}

/**
 * Run scenarios in mode http, one after the other: a progress line, each summary (and the k6-style
 * summary when asked), each result and its reports. The first Ctrl-C stops the current run cleanly
 * (a partial result is written) and skips the rest; a second one quits at once.
 */
export async function runHttpAndReport(
  settings: RunSettings,
  { out, err, dirFor, k6Summary }: { out: NodeJS.WritableStream; err: NodeJS.WriteStream; dirFor: (scenario: Scenario, strategy: string) => string; k6Summary: boolean },
): Promise<{ runs: ReportedRun[]; aborted: boolean }> {
  const abort = new AbortController()
  const onSignal = (): void => {
    if (abort.signal.aborted) process.exit(EXIT.INTERRUPTED)
    err.write('\nlikestorm: stopping (Ctrl-C again to quit at once); writing a partial result\n')
    abort.abort()
  }
  process.on('SIGINT', onSignal)
  const runs: ReportedRun[] = []
  try {
    for (const scenario of settings.scenarios) {
      if (abort.signal.aborted) break
      const progress = progressLine({ stream: err, enabled: !settings.quiet })
      const lineProgress = !settings.quiet && err.isTTY !== true
      let lastLine = 0
      const outcome = await runScenarioHttp({
        scenario,
        seed: settings.seed,
        scale: settings.scale,
        strategy: settings.strategy,
        timeScale: settings.http.timeScale,
        allowRemoteTarget: settings.http.allowRemoteTarget,
        signal: abort.signal,
        ...(settings.http.target === undefined ? {} : { target: settings.http.target }),
        ...(settings.http.adminToken === undefined ? {} : { adminToken: settings.http.adminToken }),
        ...(settings.http.durationMaxS === undefined ? {} : { durationMaxS: settings.http.durationMaxS }),
        ...(settings.http.connections === undefined ? {} : { connections: settings.http.connections }),
        onProgress: (p) => {
          const text = renderHttpProgress(scenario.name, p)
          progress.update(text)
          // Without a terminal: a plain line every 10 s of wall time.
          if (lineProgress && performance.now() - lastLine > 10_000) {
            lastLine = performance.now()
            err.write(`${text}\n`)
          }
        },
      })
      progress.done()
      const dir = dirFor(scenario, settings.strategy)
      const path = writeResult(outcome.result, dir)
      const reports = settings.reports ? writeReports(outcome.result, dir) : undefined
      out.write(`${renderRunSummary(outcome.result, { resultPath: path, wallMs: outcome.wallMs, ...(reports === undefined ? {} : { reportPath: reports.html }) })}\n`)
      for (const skipped of outcome.skippedFaults) out.write(`  skipped: ${skipped}\n`)
      out.write(k6Summary ? `\n${renderK6Summary(outcome.result)}\n\n` : '\n')
      runs.push({ result: outcome.result, reports })
    }
  } finally {
    process.off('SIGINT', onSignal)
  }
  return { runs, aborted: abort.signal.aborted }
}

/** One progress line of a sim run: how far through the traffic, or that the final reads are under way. */
export function renderSimProgress(label: string, p: SimProgress): string {
  const operations = `${p.operations.toLocaleString('en-US')} operations`
  if (p.phase === 'traffic') return `${label} ${((100 * p.virtualMs) / p.durationMs).toFixed(0)}% · ${operations}`
  return `${label} ${p.phase === 'final' ? 'final reads' : 'done'} · ${operations}`
}

export function renderHttpProgress(name: string, p: HttpProgress): string {
  const elapsed = `${(p.scenarioMs / 1000).toFixed(0)}s/${(p.durationMs / 1000).toFixed(0)}s`
  const errors = p.attempts === 0 ? '0.0%' : `${((100 * p.failed) / p.attempts).toFixed(1)}%`
  const faults = p.activeFaults.length === 0 ? '' : ` · faults: ${p.activeFaults.join(', ')}`
  return `${name} [http] ${p.phase} ${elapsed} · ${p.ratePerS.toFixed(0)} req/s · ${p.attempts.toLocaleString('en-US')} requests · ${errors} errors${faults}`
}
