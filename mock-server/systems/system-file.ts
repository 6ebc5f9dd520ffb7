// A system from the user's module (`likestorm run … --system ./my-system.ts`, `serve --system`):
// TypeScript through tsx's loader (no setup on the user's side; `import type … from 'likestorm'`
// resolves to the package), JavaScript by import. The module's default export, or its export named
// `system`, must be a SystemModule of the interface version this harness speaks, whose `create`
// makes an object with every method of EngagementSystem: it is checked here, all at once, before
// any run (a trial `create` in a small environment of its own), and the module handed back is
// guarded (guard.ts), so that what the system does wrong during a run is its failure, not a crash.
// Problems are values: the command line turns one into a usage error (exit 2, LS_BAD_SYSTEM).
import { firstLine, readUserModule } from '../user-module.ts'
import { DEFAULT_CORE_CONFIG } from '../core/config.ts'
import { Environment } from '../env/environment.ts'
import { guardModule } from './guard.ts'
import { SYSTEM_INTERFACE_VERSION, type EngagementSystem, type SystemModule, type SystemSettings } from './system.ts'

/** What result.json records of a user's system module. */
export interface SystemFileRef {
  /** As given on the command line, with forward slashes. */
  readonly path: string
  /** SHA-256 of the file's bytes (what it imports is not covered). */
  readonly sha256: string
}

export type SystemFileOutcome = { readonly ok: true; readonly module: SystemModule; readonly file: SystemFileRef } | { readonly ok: false; readonly problem: string }

/** Where a loaded module came from (its absolute path: a second thread loads it again from there) and the interface version it implements. */
export interface SystemProvenance extends SystemFileRef {
  readonly absolutePath: string
  readonly interfaceVersion: number
}

/** A name goes into result.json, folder names and the summary: short, plain. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/
const BUILT_IN_NAMES = ['robust', 'naive']

/** Every method an EngagementSystem must have (reserve is optional). */
export const SYSTEM_METHODS = [
  'like',
  'unlike',
  'view',
  'readCounts',
  'readLike',
  'likedPage',
  'notifications',
  'onMessage',
  'onTick',
  'onOutage',
  'onRecover',
  'onDirectory',
  'onTakedown',
  'seedLike',
  'purgeAccount',
  'observe',
  'counters',
] as const satisfies readonly (keyof EngagementSystem)[]

const provenance = new WeakMap<SystemModule, SystemProvenance>()

/** The user's file a module loaded here came from; undefined for the built-in systems and tests' own. */
export function systemFileOf(module: object): SystemProvenance | undefined {
  return provenance.get(module as SystemModule)
}

/** Load, check and guard the system in `path` (relative to `cwd`). */
export async function loadSystemFile(path: string, { cwd }: { cwd: string }): Promise<SystemFileOutcome> {
  const read = await readUserModule(path, { cwd })
  const fail = (problem: string): SystemFileOutcome => ({ ok: false, problem: `--system ${read.shown}: ${problem}` })
  if (!read.ok) return fail(read.problem)
  const { shown, sha256, absolutePath, exports } = read
  const exported = exports['default'] ?? exports['system']
  if (exported === undefined) return fail('exports no system: `export default { interfaceVersion: 1, name, description, writesWaitOnCache, create }` (or `export const system = …`); see docs/systems.md')
  const problems = moduleProblems(exported)
  if (problems.length > 0) return fail(problems.join('; '))
  const module = guardModule(exported as SystemModule)
  provenance.set(module, { path: shown, sha256, absolutePath, interfaceVersion: module.interfaceVersion })
  return { ok: true, module, file: { path: shown, sha256 } }
}

/** Every way `value` is not a SystemModule this harness can run (empty when it is one). */
export function moduleProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [`its export is ${value === null ? 'null' : typeof value}, not a system module object`]
  const module = value as Partial<Record<keyof SystemModule, unknown>>
  const version = module.interfaceVersion
  // The version first and alone: a module of another version differs in ways the rest would misname.
  if (version !== SYSTEM_INTERFACE_VERSION) {
    const found = version === undefined ? 'declares no interfaceVersion' : `implements system interface version ${JSON.stringify(version)}`
    return [`${found}; this LikeStorm speaks version ${SYSTEM_INTERFACE_VERSION} (docs/systems.md#versioning)`]
  }
  const problems: string[] = []
  if (typeof module.name !== 'string' || !NAME.test(module.name)) problems.push(`name ${JSON.stringify(module.name)}: must be 1 to 64 characters from a-z 0-9 . _ - starting with a letter or digit`)
  else if (BUILT_IN_NAMES.includes(module.name)) problems.push(`name ${module.name} is a built-in system's (--strategy ${module.name}); choose another`)
  if (typeof module.description !== 'string') problems.push('description: must be a string (one line: what the system does)')
  if (typeof module.writesWaitOnCache !== 'boolean') problems.push('writesWaitOnCache: must be a boolean (true when likes wait on the counter cache)')
  if (module.honoursDeadlines !== undefined && typeof module.honoursDeadlines !== 'boolean') problems.push('honoursDeadlines: must be a boolean when given (default true: attempts past their client\'s deadline are refused unexecuted)')
  if (module.removesPurgedViews !== undefined && typeof module.removesPurgedViews !== 'boolean') problems.push('removesPurgedViews: must be a boolean when given (default false: a purge removes likes only)')
  if (typeof module.create !== 'function') problems.push('create: must be a function (env, settings) => EngagementSystem')
  else if (problems.length === 0) problems.push(...trialProblems(module as SystemModule))
  return problems
}

/** A trial `create` in a two-region environment of its own: it must not throw and must return every method. */
function trialProblems(module: SystemModule): string[] {
  const env = new Environment({
    regions: ['trial-a', 'trial-b'].map((id) => ({ id, capacityRps: 1000, cacheCapacityOpsPerS: 1000 })),
    lagMs: () => DEFAULT_CORE_CONFIG.defaultReplicationLagMs,
    seed: 1,
    serviceTimeMs: DEFAULT_CORE_CONFIG.serviceTimeMs,
    serviceJitterMeanMs: DEFAULT_CORE_CONFIG.serviceJitterMeanMs,
    cacheTimeoutMs: DEFAULT_CORE_CONFIG.cacheTimeoutMs,
  })
  const settings: SystemSettings = {
    idempotencyTtlMs: DEFAULT_CORE_CONFIG.idempotencyTtlMs,
    idempotencyMaxKeys: DEFAULT_CORE_CONFIG.idempotencyMaxKeys,
    notificationDelayMs: DEFAULT_CORE_CONFIG.notificationDelayMs,
    inboxMax: DEFAULT_CORE_CONFIG.inboxMax,
    counterWritesPerSPerShard: DEFAULT_CORE_CONFIG.counterWritesPerSPerShard,
    replicationBacklogMaxEntries: DEFAULT_CORE_CONFIG.replicationBacklogMaxEntries,
    purgesMayRun: true,
  }
  let system: unknown
  try {
    system = module.create(env, settings)
  } catch (error) {
    return [`create() ${firstLine(error) === '' ? 'threw' : `threw ${error instanceof Error ? error.name : 'a value'}: ${firstLine(error)}`}`]
  }
  if (typeof system !== 'object' || system === null) return [`create() returned ${system === null ? 'null' : typeof system}, not a system`]
  const missing = SYSTEM_METHODS.filter((name) => typeof (system as Record<string, unknown>)[name] !== 'function')
  return missing.length === 0 ? [] : [`create() returned a system without ${missing.map((name) => `${name}()`).join(', ')}`]
}

