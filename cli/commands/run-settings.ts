// What `likestorm run` was asked (flags parsed into settings) and what every run of it ends with,
// whichever mode: the earlier outputs cleared before, the matrix, index and exit code after.
import { PUBLIC_STRATEGY_NAMES } from '../../mock-server/core/strategy.ts'
import { writeIndex, type ReportPaths } from '../../reports/write-reports.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { LIBRARY } from '../../scenarios/library/index.ts'
import { parseTarget } from '../../scenarios/run/http/target.ts'
import { assertFaultRoute, FAULT_ROUTES, type FaultRoute } from '../../scenarios/run/http/http-faults.ts'
import type { RunResult } from '../../result/result.ts'
import { assertFitsScale } from '../../scenarios/run/run-setup.ts'
import { applyOverrides, overrideFlags, parseOverrides, type RunOverrides } from '../../scenarios/overrides.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { resolveWorldSpec } from '../../sim/world-spec.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { isScenarioFileArg, loadScenarioFiles, type ScenarioFileRef } from '../../scenarios/scenario-file.ts'
import { choiceFlag, durationFlagS, intFlag, numberFlag, parseFlags, stringFlag, type FlagSpec, type FlagValue } from '../args.ts'
import { exitForRuns, type StopSignal } from '../exit-codes.ts'
import { expandGlob, isGlob } from '../file-glob.ts'
import { clearIndexOutputs, clearRunOutputs } from '../run-outputs.ts'
import { renderCheckMatrix } from '../summary.ts'
import { runnableScenario } from '../scenario-arg.ts'
import { assertOneSystem, systemArg } from '../system-arg.ts'
import { detectorArg } from '../detector-arg.ts'
import { parseSeedList } from '../seed-list.ts'

export { runnableScenario }

export const RUN_FLAGS = {
  all: { type: 'boolean', help: 'every scenario of the library' },
  mode: { type: 'string', value: 'sim|http', help: 'sim: the engagement core in process, on virtual time (default); http: real sockets, to the mock server started here or to --target' },
  seed: { type: 'string', value: 'N', help: 'world seed (default 7); the same seed gives the same result.json' },
  seeds: { type: 'string', value: 'LIST', help: 'each scenario once per seed (1..10, 1,3,5 or 1..5,9; at most 1000) into <out>/<scenario>/seed-<N>/, then the detection numbers over the seeds (mean, sd, 95% CI) in <out>/<scenario>/seeds.json; not with --seed' },
  scale: { type: 'string', value: 'F', help: 'population and load multiplier, 0 < F <= 1000 (default 1)' },
  strategy: { type: 'string', value: 'S', help: 'counting strategy of the system under test: robust | naive (default robust)' },
  system: { type: 'string', value: 'MODULE', help: 'your own system under test: a .ts or .js module implementing the system interface (docs/systems.md); mode sim, or mode http on the embedded server; not with --strategy' },
  detector: { type: 'string', value: 'MODULE', help: 'your own bot detector for the purges (mode sim, or the embedded server of mode http), a .ts or .js module implementing the detector interface (docs/detectors.md); default the built-in one' },
  out: { type: 'string', value: 'DIR', help: 'results folder: DIR/<scenario>/result.json and reports (default out); not k6\'s --out (an output plugin): LikeStorm always writes result.json' },
  quiet: { type: 'boolean', help: 'no progress line' },
  'no-reports': { type: 'boolean', help: 'write result.json only (no report.html, summary.md, junit.xml)' },
  target: { type: 'string', value: 'URL', help: 'mode http: the first region\'s URL (the others on the next ports), or us-east=URL,us-west=URL,…; loopback only unless --allow-remote' },
  'target-profile': { type: 'string', value: 'FILE', help: 'mode http: the --target\'s capabilities document in a file, used instead of its /.well-known/likestorm.json (docs/targets.md)' },
  'allow-remote': { type: 'boolean', help: 'mode http: allow a --target that is not on this machine' },
  'allow-dirty-target': { type: 'boolean', help: 'mode http: run against a --target holding an earlier run\'s likes that cannot be reset; the checks it would fool are not applicable' },
  adapter: { type: 'string', value: 'MODULE', help: 'mode http: your module mapping each operation to your --target\'s own API (docs/targets.md)' },
  'admin-token': { type: 'string', value: 'T', help: 'mode http: the target\'s admin token (or LIKESTORM_ADMIN_TOKEN); without it faults against a --target are skipped and said so' },
  faults: { type: 'string', value: 'admin|proxy|none', help: "mode http with --target: the faults through the target's admin API (default), LikeStorm's loopback fault proxy in front of it, or none (docs/targets.md)" },
  'time-scale': { type: 'string', value: 'F', help: 'mode http: wall time = scenario time x F (0.5: twice as fast; default 1)' },
  'time-limit': { type: 'string', value: 'D', help: 'mode http: hard bound on a run\'s wall time (90s, 10m, or seconds); reaching it stops the run with a partial result, exit 4' },
  connections: { type: 'string', value: 'N', help: 'mode http: connections per region (default: the scenario\'s VUs, 64..2048)' },
  duration: { type: 'string', value: 'D', help: "the scenario's length, a k6 duration (30s, 5m, 1h30m): the main k6 scenario stretched to it" },
  rate: { type: 'string', value: 'N', help: "the main k6 scenario's arrival rate, iterations per its timeUnit (arrival-rate executors)" },
  vus: { type: 'string', value: 'N', help: "mode http: the main k6 scenario's VUs (maxVUs of an arrival-rate executor)" },
  threshold: { type: 'string', multiple: true, value: 'EXPR', help: "a k6 threshold 'metric: expression', repeatable; replaces the scenario's on that metric" },
  'allow-remote-target': { type: 'boolean', renamedTo: 'allow-remote' },
  'duration-max': { type: 'string', renamedTo: 'time-limit' },
  verbose: { type: 'boolean', help: 'print every check of every run, with examples (default: one line per run when there are several)' },
} as const satisfies FlagSpec

export interface HttpSettings {
  readonly target: string | undefined
  readonly targetProfile?: string
  readonly allowRemoteTarget: boolean
  readonly adminToken: string | undefined
  /** --faults: how faults reach the --target (absent: admin). */
  readonly faults?: FaultRoute
  readonly timeScale: number
  readonly durationMaxS: number | undefined
  readonly connections: number | undefined
  readonly allowDirtyTarget?: boolean
  /** --adapter: the user's module, as given (relative to the working directory). */
  readonly adapter?: string
}

export interface RunSettings {
  readonly mode: 'sim' | 'http'
  readonly http: HttpSettings
  readonly scenarios: readonly Scenario[]
  /** The user's file each scenario came from, by scenario name (absent: every scenario is the library's). */
  readonly files?: Readonly<Record<string, ScenarioFileRef>>
  readonly seed: number
  /** --seeds: each scenario runs once per seed, into <out>/<scenario>/seed-<N> (absent: once, with `seed`). */
  readonly seeds?: readonly number[]
  readonly scale: number
  readonly strategy: string
  /** --system: the user's module, as given (relative to the working directory); the runs use it instead of `strategy`. */
  readonly system?: string
  /** --detector: the user's detector module, as given; the bot purges use it instead of the built-in one. */
  readonly detector?: string
  readonly outDir: string
  readonly quiet: boolean
  /** Write report.html, summary.md and junit.xml next to each result.json (default on). */
  readonly reports: boolean
  /** --duration, --rate, --vus, --threshold: already applied to `scenarios`, recorded in each result. */
  readonly overrides?: RunOverrides
}

export interface ReportedRun {
  readonly result: RunResult
  readonly reports: ReportPaths | undefined
}

export type Io = { out: NodeJS.WritableStream; err: NodeJS.WriteStream }

export function parseRunSettings(argv: readonly string[]): RunSettings {
  const { values, positionals } = parseFlags(argv, RUN_FLAGS, 'run')
  const mode = choiceFlag(values.mode, '--mode', ['sim', 'http'] as const, 'sim')
  const httpOnly = ['target', 'target-profile', 'allow-remote', 'admin-token', 'faults', 'time-scale', 'time-limit', 'connections', 'allow-dirty-target', 'adapter'].filter((flag) => values[flag] !== undefined)
  if (mode === 'sim' && httpOnly.length > 0) throw new UsageError('LS_BAD_FLAG', `--${httpOnly[0]} needs --mode http`)
  assertOneSystem(values)
  if (values.system !== undefined && values.target !== undefined) throw new UsageError('LS_BAD_FLAG', '--system runs your module on the embedded server; --target is a service of its own: pass one or the other')
  const seeds = seedsFlag(values)
  if (values.detector !== undefined && values.target !== undefined) throw new UsageError('LS_BAD_FLAG', '--detector runs the purges of mode sim or of the embedded server: a --target purges with its own detector')
  const names = positionals
  if (values.all === true && names.length > 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name scenarios or pass --all, not both')
  if (values.all !== true && names.length === 0) throw new UsageError('LS_BAD_USAGE', 'likestorm run: name at least one scenario or pass --all; likestorm list shows them')
  // Files are loaded by loadRunSettings (asynchronously: a TypeScript file is compiled on import).
  const overrides = parseOverrides({ duration: stringValue(values.duration), rate: stringValue(values.rate), vus: stringValue(values.vus), threshold: stringValues(values, 'threshold') })
  // Mode sim starts every arrival: VUs bound concurrency only over sockets.
  if (mode === 'sim' && overrides?.vus !== undefined) throw new UsageError('LS_BAD_FLAG', '--vus needs --mode http: mode sim starts every arrival and has no VUs to set')
  const scenarios = overridden(values.all === true ? [...LIBRARY] : names.filter((name) => !isScenarioFileArg(name)).map(runnableScenario), overrides)
  if (values['target-profile'] !== undefined && values.target === undefined) throw new UsageError('LS_BAD_FLAG', '--target-profile describes a --target: give the --target too')
  const faults = values.faults === undefined ? undefined : choiceFlag(values.faults, '--faults', FAULT_ROUTES, 'admin')
  assertFaultRoute(faults, stringValue(values.target))
  for (const flag of ['adapter', 'allow-dirty-target'] as const) if (values[flag] !== undefined && values.target === undefined) throw new UsageError('LS_BAD_FLAG', `--${flag} is about a --target: give the --target too`)
  const http: HttpSettings = {
    target: typeof values.target === 'string' ? values.target : undefined,
    ...(typeof values['target-profile'] === 'string' ? { targetProfile: values['target-profile'] } : {}),
    allowRemoteTarget: values['allow-remote'] === true,
    adminToken: typeof values['admin-token'] === 'string' ? values['admin-token'] : (process.env['LIKESTORM_ADMIN_TOKEN'] ?? process.env['ADMIN_TOKEN']),
    ...(faults === undefined ? {} : { faults }),
    timeScale: numberFlag(values['time-scale'], '--time-scale', { min: 0, max: 100, fallback: 1 }),
    durationMaxS: durationFlagS(values['time-limit'], '--time-limit', { maxS: 7 * 86_400 }),
    connections: values.connections === undefined ? undefined : intFlag(values.connections, '--connections', { min: 1, max: 4096, fallback: 64 }),
    ...(values['allow-dirty-target'] === true ? { allowDirtyTarget: true } : {}),
    ...(typeof values.adapter === 'string' ? { adapter: values.adapter } : {}),
  }
  return {
    mode,
    http,
    scenarios,
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    ...(seeds === undefined ? {} : { seeds }),
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    strategy: choiceFlag(values.strategy, '--strategy', PUBLIC_STRATEGY_NAMES, 'robust'),
    ...(typeof values.system === 'string' ? { system: values.system } : {}),
    ...(typeof values.detector === 'string' ? { detector: values.detector } : {}),
    outDir: stringFlag(values.out, 'out'),
    quiet: values.quiet === true,
    reports: values['no-reports'] !== true,
    ...(overrides === undefined ? {} : { overrides }),
  }
}

/** The scenarios as --duration, --rate, --vus and --threshold make them; one usage error names every flag that does not apply. */
function overridden(scenarios: readonly Scenario[], overrides: RunOverrides | undefined): Scenario[] {
  const problems: string[] = []
  const changed = scenarios.map((scenario) => {
    const outcome = applyOverrides(scenario, overrides)
    problems.push(...outcome.problems.map((problem) => `${scenario.name}: ${problem}`))
    return outcome.scenario
  })
  if (problems.length > 0) throw new UsageError('LS_BAD_FLAG', `likestorm run: ${problems.join('; ')}`)
  return changed
}

/** --seeds: one seed list, in either mode (not with --seed). */
function seedsFlag(values: Readonly<Record<string, FlagValue>>): number[] | undefined {
  if (values.seeds === undefined) return undefined
  if (values.seed !== undefined) throw new UsageError('LS_BAD_FLAG', '--seeds runs every seed it lists; --seed names one: pass one or the other')
  return parseSeedList(String(values.seeds))
}

function stringValue(value: FlagValue): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** A repeatable flag's values, in order. */
function stringValues(values: Readonly<Record<string, FlagValue>>, flag: string): string[] | undefined {
  const value = values[flag]
  if (value === undefined) return undefined
  return (Array.isArray(value) ? value : [value]).map(String)
}

/**
 * The settings of `likestorm run`, with the scenarios of the user's files (and globs) loaded, in
 * the order the command line names them; every problem of every file is one usage error. A
 * --system module is loaded and checked here too, so that one that cannot run stops the command
 * before anything is cleared (the runs load it again where they run: another thread for mode sim).
 */
export async function loadRunSettings(argv: readonly string[], cwd: string): Promise<RunSettings> {
  const settings = parseRunSettings(argv)
  if (settings.system !== undefined) await systemArg(settings.system, cwd)
  if (settings.detector !== undefined) await detectorArg(settings.detector, cwd)
  const args = parseFlags(argv, RUN_FLAGS, 'run').positionals.map((arg) => ({ arg, paths: isScenarioFileArg(arg) ? filesOf(arg, cwd) : [] }))
  const paths = args.flatMap((entry) => entry.paths)
  if (paths.length === 0) return settings
  // In the order of `paths`: the first file's scenario first.
  const loaded = await loadScenarioFiles(paths, { cwd, mode: settings.mode })
  let next = 0
  const named = args.flatMap(({ arg, paths: own }) => (isScenarioFileArg(arg) ? own.map(() => (loaded[next++] as (typeof loaded)[number]).scenario) : [runnableScenario(arg)]))
  const scenarios = overridden(named, settings.overrides)
  const names = scenarios.map((scenario) => scenario.name)
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) throw new UsageError('LS_BAD_USAGE', `likestorm run: two scenarios are named ${twice}; each run writes to <out>/<name>, so names must differ`)
  return { ...settings, scenarios, files: Object.fromEntries(loaded.map((entry) => [entry.scenario.name, entry.file])) }
}

/** Whether `run`'s arguments name a file to load: a scenario file (or a glob) besides library names, or a --system module. */
export function namesFiles(argv: readonly string[]): boolean {
  const { values, positionals } = parseFlags(argv, RUN_FLAGS, 'run')
  return values.system !== undefined || values.detector !== undefined || positionals.some(isScenarioFileArg)
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

/**
 * What the runner would refuse (an invalid scenario, a scale it does not fit, a bad --target),
 * refused before anything is cleared or run: one line, exit 2, and the earlier results untouched.
 */
export function assertRunnable(settings: RunSettings): void {
  for (const scenario of settings.scenarios) {
    const problems = validateScenario(scenario, { mode: settings.mode })
    const flags = overrideFlags(settings.overrides)
    if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid${flags === '' ? '' : ` with ${flags}`}`, problems)
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
export function finishRuns(runs: readonly ReportedRun[], { settings, out, signal, matrix = true }: { settings: RunSettings; out: NodeJS.WritableStream; signal: StopSignal | undefined; matrix?: boolean }): number {
  const results = runs.map((run) => run.result)
  if (matrix && results.length > 1) out.write(`${renderCheckMatrix(results)}\n`)
  const index = writeRunsIndex(runs, settings.outDir)
  if (index !== undefined) out.write(`\nReports: ${index}\n`)
  // --seeds runs a scenario several times: it is named once.
  const skipped = [...new Set(settings.scenarios.slice(runs.length).map((scenario) => scenario.name))]
  if (signal !== undefined && skipped.length > 0) out.write(`${signal}: stopped before ${skipped.join(', ')} ran (no result written for them)\n`)
  return exitForRuns(results, signal)
}
