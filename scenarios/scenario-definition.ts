// From what a scenario file exports (any value: a file is the user's, JSON or JavaScript) to a
// Scenario: `extends` resolved against the library, the fields' shapes checked, then the
// scenario's own rules (validate.ts). Every problem at once, each with its field path.
import { LIBRARY, scenarioByName } from './library/index.ts'
import type { Scenario, ScenarioDefinition } from './scenario.ts'
import { validateScenario } from './validate.ts'

type Shape = 'string' | 'number' | 'object' | 'array'

/** Every field a definition may have, with its shape; the required ones once `extends` is applied. */
const FIELDS: Readonly<Record<keyof ScenarioDefinition, { shape: Shape; required: boolean }>> = {
  name: { shape: 'string', required: true },
  extends: { shape: 'string', required: false },
  title: { shape: 'string', required: true },
  summary: { shape: 'string', required: true },
  durationS: { shape: 'number', required: true },
  minScale: { shape: 'number', required: false },
  world: { shape: 'object', required: true },
  load: { shape: 'object', required: true },
  faults: { shape: 'array', required: true },
  system: { shape: 'object', required: true },
  client: { shape: 'object', required: false },
  checks: { shape: 'object', required: false },
  expect: { shape: 'object', required: true },
}

/** Fields merged one level deep over the base's: bags of independent settings. */
const MERGED = ['world', 'system', 'client', 'checks'] as const

const DEFAULT_EXPECT: Scenario['expect'] = { robust: { failing: [] } }

export interface DefinitionOutcome {
  /** The scenario, when there is no problem. */
  readonly scenario: Scenario | undefined
  readonly problems: readonly string[]
}

/** The scenario `value` defines, or every problem with it (`mode`: the scenario's rules differ by mode). */
export function resolveDefinition(value: unknown, { mode }: { mode: 'sim' | 'http' }): DefinitionOutcome {
  if (!isRecord(value)) return { scenario: undefined, problems: [`must be a scenario object (export default defineScenario({ … })), got ${describe(value)}`] }
  // An unknown field (a typo) does not keep the rules from running; a missing or misshapen one does.
  const unknown = Object.keys(value).filter((key) => !Object.hasOwn(FIELDS, key)).map((key) => `${key}: unknown field; known: ${Object.keys(FIELDS).join(', ')}`)
  const problems: string[] = []
  const base = baseOf(value['extends'], problems)
  const merged = mergeOverBase(value, base)
  for (const [key, field] of Object.entries(FIELDS)) {
    const given = merged[key]
    if (given === undefined) {
      if (field.required) problems.push(`${key}: required${key === 'name' ? '' : ' (or `extends` a library scenario that has it)'}`)
    } else if (shapeOf(given) !== field.shape) {
      problems.push(`${key}: must be ${article(field.shape)}, got ${describe(given)}`)
    }
  }
  problems.push(...expectProblems(merged['expect']))
  if (problems.length > 0) return { scenario: undefined, problems: [...unknown, ...problems] }
  const scenario = merged as unknown as Scenario
  try {
    problems.push(...validateScenario(scenario, { mode }))
  } catch (error) {
    // A field of the wrong shape deeper down (say, a fault's region a number): the rules above
    // could not all run; what they found is still reported.
    problems.push(`could not be checked further: ${error instanceof Error ? error.message : String(error)}`)
  }
  return problems.length + unknown.length > 0 ? { scenario: undefined, problems: [...unknown, ...problems] } : { scenario, problems: [] }
}

function baseOf(name: unknown, problems: string[]): Scenario | undefined {
  if (name === undefined) return undefined
  const base = typeof name === 'string' ? scenarioByName(name) : undefined
  if (base === undefined) problems.push(`extends: unknown library scenario ${JSON.stringify(name)}; known: ${LIBRARY.map((s) => s.name).join(', ')}`)
  return base
}

function mergeOverBase(value: Readonly<Record<string, unknown>>, base: Scenario | undefined): Record<string, unknown> {
  const { extends: _extends, ...own } = value
  const merged: Record<string, unknown> = { ...base, ...own }
  for (const key of MERGED) {
    const from = base?.[key]
    if (isRecord(from) && isRecord(own[key])) merged[key] = { ...from, ...own[key] }
  }
  merged['faults'] ??= []
  // The run is the file's: its reports carry its name, not the base's title.
  merged['title'] = own['title'] ?? own['name']
  merged['expect'] ??= DEFAULT_EXPECT
  return merged
}

function expectProblems(expect: unknown): string[] {
  if (!isRecord(expect)) return []
  const problems: string[] = []
  for (const key of Object.keys(expect)) if (key !== 'robust' && key !== 'naive') problems.push(`expect.${key}: unknown strategy; known: robust, naive`)
  for (const strategy of ['robust', 'naive'] as const) {
    const outcome = expect[strategy]
    if (outcome === undefined && strategy === 'naive') continue
    if (!isRecord(outcome) || !Array.isArray(outcome['failing'])) problems.push(`expect.${strategy}.failing: must be a list of check names ([] when every check passes)`)
  }
  return problems
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function shapeOf(value: unknown): Shape | 'other' {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'object') return value === null ? 'other' : (typeof value as Shape)
  return 'other'
}

function article(shape: Shape): string {
  return shape === 'array' ? 'a list' : shape === 'object' ? 'an object' : `a ${shape}`
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`
}
