// Reading a saved result.json (the I/O edge of every report): unreadable, not JSON, another
// schema version, or not a result at all each give one line with a code.
import { readFileSync } from 'node:fs'
import type { RunResult } from './result.ts'
import { ResultError } from './result-error.ts'
import { RESULT_SCHEMA_VERSION_READ, validateResult } from './result-schema.ts'

/** Problems shown in the one-line message; the rest are counted. */
const PROBLEMS_SHOWN = 3

export function parseResult(text: string, source: string): RunResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ResultError('LS_RESULT_UNREADABLE', `${source} is not JSON (${(error as Error).message})`)
  }
  const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined
  if (version === 1) value = upgradeFromVersion1(value as Version1Result)
  else if (version !== RESULT_SCHEMA_VERSION_READ) {
    const what = version === undefined ? 'has no schemaVersion: it is not a LikeStorm result' : `has schemaVersion ${JSON.stringify(version)}; this likestorm reads versions 1 and ${RESULT_SCHEMA_VERSION_READ}`
    throw new ResultError('LS_RESULT_INVALID', `${source} ${what}`)
  }
  const problems = validateResult(value)
  if (problems.length > 0) {
    const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : ''
    throw new ResultError('LS_RESULT_INVALID', `${source} is not a valid result: ${problems.slice(0, PROBLEMS_SHOWN).join('; ')}${more}`)
  }
  return value as RunResult
}

interface Version1Result {
  readonly passed: boolean
  readonly checks: ReadonlyArray<{ readonly passed: boolean }>
  readonly [field: string]: unknown
}

/**
 * Version 1 (LikeStorm 0.1) knew only passed/failed checks. Its results stay readable, so a saved
 * baseline still compares and renders: each check's passed becomes a status, the run gets a verdict.
 */
function upgradeFromVersion1(value: Version1Result): unknown {
  if (!Array.isArray(value.checks) || typeof value.passed !== 'boolean') return value
  const checks = value.checks.map(({ passed, ...check }) => ({ ...check, status: passed ? 'pass' : 'fail' }))
  const { passed, ...rest } = value
  const entries = Object.entries(rest).flatMap(([key, field]): [string, unknown][] => (key === 'strategy' ? [[key, field], ['verdict', passed ? 'pass' : 'fail'], ['passed', passed]] : [[key, field]]))
  return { ...Object.fromEntries(entries), schemaVersion: RESULT_SCHEMA_VERSION_READ, checks }
}

export function readResultFile(path: string): RunResult {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message
    throw new ResultError('LS_RESULT_UNREADABLE', `cannot read ${path}: ${why}`)
  }
  return parseResult(text, path)
}
