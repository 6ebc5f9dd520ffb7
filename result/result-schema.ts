// The JSON Schema of result.json (result-schema.json, draft-07, versioned by its $id) and the
// validator every reader of a saved result goes through. Returns every problem, not the first.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { RunResult } from './result.ts'
import schema from './result-schema.json' with { type: 'json' }

export const RESULT_SCHEMA: Readonly<Record<string, unknown>> = schema
/** The schema version this build reads and writes (result.json's `schemaVersion`). */
export const RESULT_SCHEMA_VERSION_READ = 2
export const RESULT_SCHEMA_ID = schema.$id

/** Most problems listed: a file that is not a result at all would otherwise list hundreds. */
const PROBLEMS_MAX = 50

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  // allowUnionTypes: ["number", "null"] is how the schema says "a number, or null when there is none".
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)
  return compiled
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? 'result' : `result${error.instancePath.replace(/\//g, '.')}`
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') return `${at}: unknown field ${JSON.stringify(params['additionalProperty'])}`
  if (error.keyword === 'enum') return `${at}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
  if (error.keyword === 'const') return `${at}: must be ${JSON.stringify(params['allowedValue'])}`
  return `${at}: ${error.message ?? error.keyword}`
}

/** Every way `value` fails the schema or the result's own consistency rules (empty when valid). */
export function validateResult(value: unknown): string[] {
  const validate = validator()
  if (!validate(value)) {
    const problems = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe))]
    return problems.length > PROBLEMS_MAX ? [...problems.slice(0, PROBLEMS_MAX), `… and ${problems.length - PROBLEMS_MAX} more`] : problems
  }
  return consistencyProblems(value as RunResult)
}

/** Rules a schema cannot state: series of one length, unique check names, a verdict that matches the checks. */
function consistencyProblems(result: RunResult): string[] {
  const problems: string[] = []
  const ts = result.timeseries
  const points = ts.tMs.length
  const sameLength = (name: string, series: readonly unknown[]): void => {
    if (series.length !== points) problems.push(`result.timeseries.${name}: has ${series.length} points, tMs has ${points}`)
  }
  const flat = ['offeredRps', 'servedRps', 'shedRps', 'failedRps', 'timeoutRps', 'latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms', 'staleReads', 'zeroLikeReads'] as const
  for (const name of flat) sameLength(name, ts[name])
  for (const [region, lag] of Object.entries(ts.replicationLagMs)) sameLength(`replicationLagMs.${region}`, lag)
  ts.hotVideos.forEach((video, i) => {
    for (const name of ['trueLikes', 'shownMin', 'shownMax', 'zeroReads'] as const) sameLength(`hotVideos[${i}].${name}`, video[name])
  })
  const names = result.checks.map((check) => check.name)
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i)
  if (duplicates.length > 0) problems.push(`result.checks: duplicate check name(s) ${[...new Set(duplicates)].join(', ')}`)
  const failed = result.checks.some((check) => check.status === 'fail')
  const inconclusive = result.checks.some((check) => check.status === 'inconclusive')
  // An abortOnFail threshold fails the run whatever its checks show.
  const verdict = failed || result.config.http?.abortedBy !== undefined ? 'fail' : inconclusive ? 'inconclusive' : 'pass'
  if (result.verdict !== verdict) problems.push(`result.verdict: is ${result.verdict} but the checks give ${verdict}`)
  if (result.passed !== (result.verdict === 'pass')) problems.push(`result.passed: is ${result.passed} but the verdict is ${result.verdict}`)
  return problems
}
