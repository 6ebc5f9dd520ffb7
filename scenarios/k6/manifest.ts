// likestorm.json, the manifest of an export: what ingest-k6 needs to judge a k6 run later —
// scenario, seed and scale (to rebuild the same world), the target, the LikeStorm version, the
// export's id (every point of the run carries it) and digests of the files it wrote.
import type { Scenario } from '../scenario.ts'
import type { ScenarioFileRef } from '../scenario-file.ts'
import { k6Error } from './errors.ts'

export const MANIFEST_FORMAT = 'likestorm-k6-export/1'
export const MANIFEST_FILE = 'likestorm.json'
export const SCRIPT_FILE = 'script.js'
export const WORKLOAD_FILE = 'workload.json'
export const README_FILE = 'README.md'
export const TESTRUN_FILE = 'k6-operator-testrun.yaml'
/** The oldest k6 release the script is written for (ES2017 modules). */
export const K6_MIN_VERSION = '0.46.0'
/** The k6 releases a real k6 ran an export with (test/k6/real-k6.test.ts runs the one on PATH). */
export const K6_TESTED_VERSIONS: readonly string[] = ['0.46.0', '0.48.0', '1.3.0']

export interface ExportManifest {
  readonly format: typeof MANIFEST_FORMAT
  readonly likestormVersion: string
  readonly exportId: string
  readonly scenario: string
  readonly seed: number
  readonly scale: number
  /** --target as given (or the default). */
  readonly target: string
  readonly regions: readonly string[]
  readonly urls: Readonly<Record<string, string>>
  readonly sessions: number
  readonly operations: number
  /** The environment variable the script reads the admin token from. */
  readonly adminTokenEnv: 'ADMIN_TOKEN'
  readonly k6: { readonly minVersion: string; readonly scenarios: readonly string[] }
  /** sha256 of the files the export wrote. */
  readonly files: Readonly<Record<string, string>>
  /** A scenario from the user's file: the file, and the scenario it defined (ingest judges by it, the file may have changed since). */
  readonly scenarioFile?: ScenarioFileRef
  readonly definition?: Scenario
}

/** A manifest read from disk, every problem named at once. */
export function parseManifest(value: unknown, where: string): ExportManifest {
  const problems: string[] = []
  if (typeof value !== 'object' || value === null) throw k6Error('LS_K6_BAD_EXPORT', `${where} is not a JSON object`)
  const m = value as Record<string, unknown>
  if (m['format'] !== MANIFEST_FORMAT) problems.push(`format: expected ${MANIFEST_FORMAT}, got ${JSON.stringify(m['format'])}`)
  const need = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (!ok(m[key])) problems.push(`${key}: ${what}, got ${JSON.stringify(m[key])}`)
  }
  const isString = (v: unknown): boolean => typeof v === 'string' && v !== ''
  const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0
  need('likestormVersion', isString, 'a version')
  need('exportId', (v) => typeof v === 'string' && /^[0-9a-f]{12}$/.test(v), '12 hex digits')
  need('scenario', isString, 'a scenario name')
  need('seed', isCount, 'a whole number >= 0')
  need('scale', (v) => typeof v === 'number' && v > 0 && v <= 1000, 'a number in (0, 1000]')
  need('target', isString, 'a URL')
  need('regions', (v) => Array.isArray(v) && v.length > 0 && v.every(isString), 'a list of region ids')
  need('urls', (v) => typeof v === 'object' && v !== null && Object.values(v).every(isString), 'a map of region to URL')
  need('sessions', isCount, 'a count')
  need('operations', isCount, 'a count')
  need('files', (v) => typeof v === 'object' && v !== null && Object.values(v).every(isString), 'a map of file to sha256')
  if (m['definition'] !== undefined) need('definition', (v) => typeof v === 'object' && v !== null && (v as { name?: unknown }).name === m['scenario'], 'the scenario the file defined, named as `scenario`')
  if (m['scenarioFile'] !== undefined) need('scenarioFile', (v) => typeof v === 'object' && v !== null && isString((v as { path?: unknown }).path), 'the scenario file { path, sha256 }')
  if (problems.length > 0) throw k6Error('LS_K6_BAD_EXPORT', `${where} is not a LikeStorm export manifest`, problems)
  return value as ExportManifest
}
