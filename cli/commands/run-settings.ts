// What `likestorm run` was asked (flags parsed into settings) and what every run of it ends with,
// whichever mode: the earlier outputs cleared before, the matrix, index and exit code after.
import { PUBLIC_STRATEGY_NAMES } from '../../mock-server/core/strategy.ts'
import { writeIndex, type ReportPaths } from '../../reports/write-reports.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import { parseTarget } from '../../scenarios/run/http/target.ts'
import type { RunResult } from '../../result/result.ts'
import { assertFitsScale } from '../../scenarios/run/run-setup.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { resolveWorldSpec } from '../../sim/world-spec.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { isScenarioFileArg, loadScenarioFiles, type ScenarioFileRef } from '../../scenarios/scenario-file.ts'
import { swarmScenarioByName } from '../../scenarios/swarm.ts'
import { choiceFlag, intFlag, numberFlag, parseFlags, stringFlag } from '../args.ts'
import { exitForRuns, type StopSignal } from '../exit-codes.ts'
import { expandGlob, isGlob } from '../file-glob.ts'
import { clearIndexOutputs, clearRunOutputs } from '../run-outputs.ts'
import { renderCheckMatrix } from '../summary.ts'

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
  verbose: { type: 'boolean', help: 'print every check of every run, with examples (default: one line per run when there are several)' },
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
  /** The user's file each scenario came from, by scenario name (absent: every scenario is the library's). */
  readonly files?: Readonly<Record<string, ScenarioFileRef>>
  readonly seed: number
  readonly scale: number
  readonly strategy: string
  readonly outDir: string
  readonly quiet: boolean
  /** Write report.html, summary.md and junit.xml next to each result.json (default on). */
  readonly reports: boolean
}

export interface ReportedRun {
  readonly result: RunResult
  readonly reports: ReportPaths | undefined
}

export type Io = { out: NodeJS.WritableStream; err: NodeJS.WriteStream }

export function parseRunSettings(argv: readonly string[]): RunSettings {
  const { values, positionals } = parseFlags(argv, RUN_FLAGS, 'run')
  const mode = choiceFlag(values.mode, '--mode', ['sim', 'http'] as const, 'sim')
  const httpOnly = ['target', 'allow-remote-target', 'admin-token', 'time-scale', 'duration-max', 'connections'].filter((flag) => values[flag] !== undefined)
  if (mode === 'sim' && httpOnly.length > 0) throw new UsageError('LS_BAD_FLAG', `--${httpOnly[0]} needs --mode http`)
  const names = positionals
  if (values.all === true && names.length > 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name scenarios or pass --all, not both')
  if (values.all !== true && names.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name at least one scenario or pass --all; likestorm list shows them')
  // Files are loaded by loadRunSettings (asynchronously: a TypeScript file is compiled on import).
  const scenarios = values.all === true ? [...LIBRARY] : names.filter((name) => !isScenarioFileArg(name)).map(runnableScenario)
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

/**
 * The settings of `likestorm run`, with the scenarios of the user's files (and globs) loaded, in
 * the order the command line names them; every problem of every file is one usage error.
 */
export async function loadRunSettings(argv: readonly string[], cwd: string): Promise<RunSettings> {
  const settings = parseRunSettings(argv)
  const args = parseFlags(argv, RUN_FLAGS, 'run').positionals.map((arg) => ({ arg, paths: isScenarioFileArg(arg) ? filesOf(arg, cwd) : [] }))
  const paths = args.flatMap((entry) => entry.paths)
  if (paths.length === 0) return settings
  // In the order of `paths`: the first file's scenario first.
  const loaded = await loadScenarioFiles(paths, { cwd, mode: settings.mode })
  let next = 0
  const scenarios = args.flatMap(({ arg, paths: own }) => (isScenarioFileArg(arg) ? own.map(() => (loaded[next++] as (typeof loaded)[number]).scenario) : [runnableScenario(arg)]))
  const names = scenarios.map((scenario) => scenario.name)
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) throw new UsageError('LS_BAD_USAGE', `likestorm run: two scenarios are named ${twice}; each run writes to <out>/<name>, so names must differ`)
  return { ...settings, scenarios, files: Object.fromEntries(loaded.map((entry) => [entry.scenario.name, entry.file])) }
}

/** Whether `run`'s arguments name a scenario file (or a glob) besides library names. */
export function namesScenarioFiles(argv: readonly string[]): boolean {
  return parseFlags(argv, RUN_FLAGS, 'run').positionals.some(isScenarioFileArg)
}

function filesOf(arg: string, cwd: string): string[] {
  if (!isGlob(arg)) return [arg]
  let matches: string[]
  try {
    matches = expandGlob(arg, cwd)
  } catch (error) {
    throw new UsageError('LS_BAD_USAGE', `likestorm run ${arg}: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (matches.length === 0) throw new UsageError('LS_BAD_USAGE', `likestorm run: no file matches ${arg}`)
  return matches
}

/** A scenario of the library, or swarm-<seed>, by name (what `run` and its second thread accept). */
export function runnableScenario(name: string): Scenario {
  const scenario = scenarioByName(name) ?? swarmScenarioByName(name)
  if (scenario === undefined) throw new UsageError('LS_UNKNOWN_SCENARIO', `unknown scenario ${JSON.stringify(name)}; known: ${LIBRARY.map((s) => s.name).join(', ')} (or swarm-<seed>, or a scenario file such as ./my.scenario.ts)`)
  return scenario
}

/**
 * What the runner would refuse (an invalid scenario, a scale it does not fit, a bad --target),
 * refused before anything is cleared or run: one line, exit 2, and the earlier results untouched.
 */
export function assertRunnable(settings: RunSettings): void {
  for (const scenario of settings.scenarios) {
    const problems = validateScenario(scenario, { mode: settings.mode })
    if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid`, problems)
    assertFitsScale(scenario, settings.scale)
    if (settings.mode === 'http' && settings.http.target !== undefined) {
      parseTarget(settings.http.target, { regions: resolveWorldSpec(scenario.world).regions.map((region) => region.id), allowRemote: settings.http.allowRemoteTarget })
    }
  }
}

/**
 * Before anything runs, every earlier output this command would replace goes: each scenario's
 * result and reports, and the index in the output folder. A scenario a signal keeps from running
 * then has no result, rather than last week's.
 */
export function clearEarlierOutputs(dirs: readonly string[], outDir: string): void {
  for (const dir of dirs) clearRunOutputs(dir)
  clearIndexOutputs(outDir)
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

/** After the runs: the check matrix and index over several, what a signal kept from running, the exit code. */
export function finishRuns(runs: readonly ReportedRun[], { settings, out, signal }: { settings: RunSettings; out: NodeJS.WritableStream; signal: StopSignal | undefined }): number {
  const results = runs.map((run) => run.result)
  if (results.length > 1) out.write(`${renderCheckMatrix(results)}\n`)
  const index = writeRunsIndex(runs, settings.outDir)
  if (index !== undefined) out.write(`\nReports: ${index}\n`)
  const skipped = settings.scenarios.slice(runs.length).map((scenario) => scenario.name)
  if (signal !== undefined && skipped.length > 0) out.write(`${signal}: stopped before ${skipped.join(', ')} ran (no result written for them)\n`)
  return exitForRuns(results, signal)
}
