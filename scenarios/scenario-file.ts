// A scenario from the user's file (`likestorm run ./incident.ts`): TypeScript through tsx's loader
// (no setup on the user's side), JavaScript by import, JSON by parse. The file's default export is resolved
// and checked (scenario-definition.ts); the file's path and the SHA-256 of its bytes go into the
// result, and the replay command names the file.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve, sep } from 'node:path'
import { importUserModule } from '../mock-server/user-module.ts'
import type { RunResult } from '../result/result.ts'
import { UsageError } from './errors.ts'
import { resolveDefinition } from './scenario-definition.ts'
import type { Scenario } from './scenario.ts'

/** What result.json records of a scenario's file. */
export interface ScenarioFileRef {
  /** As given on the command line, with forward slashes. */
  readonly path: string
  /** SHA-256 of the file's bytes (what it imports is not covered). */
  readonly sha256: string
}

export interface LoadedScenario {
  readonly scenario: Scenario
  readonly file: ScenarioFileRef
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/
const FILE_BYTES_MAX = 1024 * 1024

/** An argument of `run` that names a file rather than a library scenario. */
export function isScenarioFileArg(arg: string): boolean {
  return CODE.test(arg) || arg.endsWith('.json') || /[\\/*?]/.test(arg)
}

/**
 * The scenarios in `paths` (relative to `cwd`), or one usage error (LS_BAD_SCENARIO) that lists
 * every problem of every file, each as `<file>: <field path>: <problem>`.
 */
export async function loadScenarioFiles(paths: readonly string[], { cwd, mode }: { cwd: string; mode: 'sim' | 'http' }): Promise<LoadedScenario[]> {
  const loaded: LoadedScenario[] = []
  const problems: string[] = []
  for (const path of paths) {
    // Recorded without a leading ./ (the replay adds one): a replay then records the same path.
    const shown = path.split(sep).join('/').replace(/^(\.\/)+(?=.)/, '')
    const outcome = await loadOne(resolve(cwd, path), mode)
    if (outcome.scenario === undefined) problems.push(...outcome.problems.map((problem) => `${shown}: ${problem}`))
    else loaded.push({ scenario: outcome.scenario, file: { path: shown, sha256: outcome.sha256 } })
  }
  if (problems.length > 0) {
    const files = new Set(problems.map((problem) => problem.slice(0, problem.indexOf(': '))))
    throw new UsageError('LS_BAD_SCENARIO', `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${[...files].join(', ')}`, problems)
  }
  return loaded
}

async function loadOne(absolute: string, mode: 'sim' | 'http'): Promise<{ scenario: Scenario | undefined; problems: readonly string[]; sha256: string }> {
  let bytes: Buffer
  try {
    bytes = readFileSync(absolute)
  } catch (error) {
    return { scenario: undefined, problems: [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`], sha256: '' }
  }
  if (bytes.length > FILE_BYTES_MAX) return { scenario: undefined, problems: [`is larger than ${FILE_BYTES_MAX / 1024} KB`], sha256: '' }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  let exported: unknown
  try {
    exported = await exportedValue(absolute, bytes, sha256)
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /'likestorm'/.test(firstLine(error))
    return { scenario: undefined, problems: [`does not load: ${firstLine(error)}${missing ? ' (install the package in this project: see docs/install.md in LikeStorm)' : ''}`], sha256 }
  }
  const outcome = resolveDefinition(exported, { mode })
  if (outcome.scenario === undefined) return { ...outcome, sha256 }
  // The sim runs on a second thread and the result is JSON: a scenario is plain data.
  try {
    return { scenario: structuredClone(outcome.scenario), problems: [], sha256 }
  } catch (error) {
    return { scenario: undefined, problems: [`must be plain data (no functions or class instances): ${firstLine(error)}`], sha256 }
  }
}

async function exportedValue(absolute: string, bytes: Buffer, sha256: string): Promise<unknown> {
  if (!CODE.test(absolute)) return JSON.parse(bytes.toString('utf8'))
  // The digest in the URL: a file edited between two runs of one process is imported afresh.
  const module = await importUserModule(absolute, sha256)
  if (!('default' in module)) throw new Error('has no default export (export default defineScenario({ … }))')
  return module['default']
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/** The result of a run of a file's scenario: the file recorded, the replay naming the file. */
export function withScenarioFile(result: RunResult, file: ScenarioFileRef): RunResult {
  const prefix = `npx likestorm run ${result.scenario.name}`
  if (!result.replay.startsWith(prefix)) throw new Error(`withScenarioFile: replay ${JSON.stringify(result.replay)} does not start with ${JSON.stringify(prefix)}`)
  return { ...result, scenario: { ...result.scenario, file }, replay: `npx likestorm run ${shellWord(file.path)}${result.replay.slice(prefix.length)}` }
}

export function shellWord(path: string): string {
  const local = isAbsolute(path) || path.startsWith('.') ? path : `./${path}`
  return /^[\w./@+-]+$/.test(local) ? local : `'${local.replace(/'/g, "'\\''")}'`
}

