// A detector from the user's module (`likestorm run … --detector ./my-detector.ts`), loaded as a
// --system module is (systems/system-file.ts, user-module.ts: TypeScript through tsx, `likestorm`
// resolving to the package). The module's default export, or its export named `detector`, must be
// a DetectorModule of the interface version this harness speaks (core/detection/detector-module.ts),
// whose `create` makes an object with every method of AccountDetector: checked here, all at once,
// before any run (a trial `create`), and handed back guarded (core/detection/detector-guard.ts), so
// that what the detector does wrong during a run is reported by the purge that needed it.
// Problems are values: the command line turns one into a usage error (exit 2, LS_BAD_DETECTOR).
import { guardDetectorModule } from './core/detection/detector-guard.ts'
import { DETECTOR_INTERFACE_VERSION, type DetectorModule } from './core/detection/detector-module.ts'
import { firstLine, readUserModule } from './user-module.ts'

/** What result.json records of a user's detector module. */
export interface DetectorFileRef {
  /** As given on the command line, with forward slashes. */
  readonly path: string
  /** SHA-256 of the file's bytes (what it imports is not covered). */
  readonly sha256: string
}

export type DetectorFileOutcome = { readonly ok: true; readonly module: DetectorModule; readonly file: DetectorFileRef } | { readonly ok: false; readonly problem: string }

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/
/** Methods every detector has (AccountDetector). */
export const DETECTOR_METHODS = ['account', 'like', 'unlike', 'view', 'score'] as const
/** The trial create's bound on events: a detector must accept the harness's bounds. */
const TRIAL_EVENTS_MAX = 1024

/** Where each module loaded here came from: as recorded, and resolved (another thread loads it again from there). */
const provenance = new WeakMap<DetectorModule, { readonly file: DetectorFileRef; readonly absolutePath: string }>()

/** The user's file a module loaded here came from; undefined for the built-in detectors. */
export function detectorFileOf(module: DetectorModule): DetectorFileRef | undefined {
  return provenance.get(module)?.file
}

/** Where the user's file a module loaded here came from, resolved (another thread loads it again from there). */
export function detectorPathOf(module: DetectorModule): string | undefined {
  return provenance.get(module)?.absolutePath
}

/** Load, check and guard the detector in `path` (relative to `cwd`). */
export async function loadDetectorFile(path: string, { cwd }: { cwd: string }): Promise<DetectorFileOutcome> {
  const read = await readUserModule(path, { cwd })
  const fail = (problem: string): DetectorFileOutcome => ({ ok: false, problem: `--detector ${read.shown}: ${problem}` })
  if (!read.ok) return fail(read.problem)
  const { shown, sha256, absolutePath, exports } = read
  const exported = exports['default'] ?? exports['detector']
  if (exported === undefined) return fail('exports no detector: `export default defineDetector({ interfaceVersion: 1, name, description, purgeScoreMin, create })` (or `export const detector = …`); see docs/detectors.md')
  const problems = detectorModuleProblems(exported)
  if (problems.length > 0) return fail(problems.join('; '))
  const module = guardDetectorModule(exported as DetectorModule)
  const file = { path: shown, sha256 }
  provenance.set(module, { file, absolutePath })
  return { ok: true, module, file }
}

/** Every way `value` is not a DetectorModule this harness can run (empty when it is one). */
export function detectorModuleProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [`its export is ${value === null ? 'null' : typeof value}, not a detector module object`]
  const module = value as Partial<Record<keyof DetectorModule, unknown>>
  if (module.interfaceVersion !== DETECTOR_INTERFACE_VERSION) {
    const found = module.interfaceVersion === undefined ? 'declares no interfaceVersion' : `implements detector interface version ${JSON.stringify(module.interfaceVersion)}`
    return [`${found}; this LikeStorm speaks version ${DETECTOR_INTERFACE_VERSION} (docs/detectors.md)`]
  }
  const problems: string[] = []
  if (typeof module.name !== 'string' || !NAME.test(module.name)) problems.push(`name ${JSON.stringify(module.name)}: must be 1 to 64 characters from a-z 0-9 . _ - starting with a letter or digit`)
  else if (module.name === 'built-in') problems.push('name built-in is the built-in detector\'s; choose another')
  if (typeof module.description !== 'string') problems.push('description: must be a string (one line: what the detector looks at)')
  if (typeof module.purgeScoreMin !== 'number' || !Number.isFinite(module.purgeScoreMin)) problems.push('purgeScoreMin: must be a finite number (a purge removes the accounts scoring at least this)')
  if (typeof module.create !== 'function') problems.push('create: must be a function (settings) => detector')
  else if (problems.length === 0) problems.push(...trialProblems(module as DetectorModule))
  return problems
}

/** A trial `create`: it must not throw and must return every method. */
function trialProblems(module: DetectorModule): string[] {
  let detector: unknown
  try {
    detector = module.create({ eventsMax: TRIAL_EVENTS_MAX })
  } catch (error) {
    return [`create() threw ${error instanceof Error ? error.name : 'a value'}: ${firstLine(error)}`]
  }
  if (typeof detector !== 'object' || detector === null) return [`create() returned ${detector === null ? 'null' : typeof detector}, not a detector`]
  const missing = DETECTOR_METHODS.filter((name) => typeof (detector as Record<string, unknown>)[name] !== 'function')
  return missing.length === 0 ? [] : [`create() returned a detector without ${missing.map((name) => `${name}()`).join(', ')}`]
}

