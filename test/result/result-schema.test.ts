// The JSON Schema of result.json: every result the runner writes validates; a broken one lists every
// problem; bad files give one line with a code.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ResultError } from '../../result/result-error.ts'
import { parseResult, readResultFile } from '../../result/result-file.ts'
import { RESULT_SCHEMA, RESULT_SCHEMA_ID, RESULT_SCHEMA_VERSION_READ, validateResult } from '../../result/result-schema.ts'
import { RESULT_SCHEMA_VERSION, type RunResult } from '../../result/result.ts'
import { mutable, smallResult, tempDir } from '../reports/fixtures.ts'

describe('the schema is versioned', () => {
  it('names the version the runner writes in its $id and its schemaVersion constant', () => {
    expect(RESULT_SCHEMA_VERSION_READ).toBe(RESULT_SCHEMA_VERSION)
    expect(RESULT_SCHEMA_ID).toBe(`urn:likestorm:result:${RESULT_SCHEMA_VERSION}`)
    expect((RESULT_SCHEMA['properties'] as Record<string, unknown>)['schemaVersion']).toEqual({ const: RESULT_SCHEMA_VERSION })
  })
})

// Every result the runner writes validates: the library tests write and validate each scenario's
// result with both systems (test/helpers/result-file-check.ts).

describe('a broken result lists every problem at once', () => {
  it('reports unknown fields, wrong types, missing fields and inconsistent series together', () => {
    const r = mutable(smallResult('overload-virginia')) as unknown as Record<string, unknown> & { metrics: Record<string, unknown>; checks: Record<string, unknown>[]; mode: unknown }
    r['extra'] = 1
    r.mode = 'warp'
    r.checks[0]!['status'] = 'yes'
    delete r.metrics['ok']
    const problems = validateResult(r)
    expect(problems).toEqual(
      expect.arrayContaining([
        'result: unknown field "extra"',
        'result.mode: must be one of "sim", "http"',
        'result.checks.0.status: must be one of "pass", "fail", "inconclusive", "not-applicable"',
        "result.metrics: must have required property 'ok'",
      ]),
    )
  })

  it('checks what the schema cannot: series lengths, unique checks, a verdict that matches them', () => {
    const r = mutable(smallResult('overload-virginia'))
    r.timeseries.servedRps.pop()
    r.checks.push({ ...r.checks[0]!, status: 'fail' })
    const problems = validateResult(r)
    expect(problems).toContain(`result.timeseries.servedRps: has ${r.timeseries.tMs.length - 1} points, tMs has ${r.timeseries.tMs.length}`)
    expect(problems).toContain(`result.checks: duplicate check name(s) ${r.checks[0]!.name}`)
    expect(problems).toContain('result.verdict: is pass but the checks give fail')
  })

  it('accepts the optional open-model latency a mode http result adds', () => {
    const r = mutable(smallResult('baseline')) as unknown as RunResult & { timeseries: Record<string, unknown>; metrics: Record<string, unknown> }
    ;(r.timeseries as unknown as Record<string, unknown>)['openModelLatencyP99Ms'] = r.timeseries.latencyP99Ms
    ;(r.metrics as unknown as Record<string, unknown>)['openModelLatencyMs'] = r.metrics.latencyMs
    expect(validateResult(r)).toEqual([])
  })
})

describe('reading a result file', () => {
  it('reads a version 1 result (passed flags) as version 2 (statuses and a verdict)', () => {
    const current = smallResult('overload-virginia', { strategy: 'naive' })
    const { verdict: _verdict, ...rest } = current
    const v1 = { ...rest, schemaVersion: 1, checks: current.checks.map(({ status, ...check }) => ({ ...check, passed: status === 'pass' })) }
    const read = parseResult(JSON.stringify(v1), 'v1.json')
    expect(read.schemaVersion).toBe(2)
    expect(read.verdict).toBe('fail')
    expect(read.checks.map((check) => check.status)).toEqual(current.checks.map((check) => check.status))
    expect(Object.keys(read)).toEqual(Object.keys(current))
  })

  const dir = tempDir()
  const codeOf = (run: () => unknown): string => {
    try {
      run()
    } catch (error) {
      expect(error).toBeInstanceOf(ResultError)
      expect((error as Error).message.split('\n')).toHaveLength(1)
      return (error as ResultError).code
    }
    throw new Error('expected a ResultError')
  }

  it('gives one line with a code for a missing file, non-JSON, another version, or not a result', () => {
    const write = (name: string, text: string): string => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    expect(codeOf(() => readResultFile(join(dir, 'missing.json')))).toBe('LS_RESULT_UNREADABLE')
    expect(codeOf(() => readResultFile(dir))).toBe('LS_RESULT_UNREADABLE')
    expect(codeOf(() => readResultFile(write('text.json', 'not json')))).toBe('LS_RESULT_UNREADABLE')
    expect(codeOf(() => readResultFile(write('v3.json', JSON.stringify({ ...smallResult('baseline'), schemaVersion: 3 }))))).toBe('LS_RESULT_INVALID')
    expect(codeOf(() => readResultFile(write('other.json', '{"hello": "world"}')))).toBe('LS_RESULT_INVALID')
    expect(() => parseResult(JSON.stringify({ ...smallResult('baseline'), schemaVersion: 3 }), 'x.json')).toThrow('x.json has schemaVersion 3; this likestorm reads versions 1 and 2')
    expect(() => parseResult(JSON.stringify({ ...smallResult('baseline'), seed: -1 }), 'y.json')).toThrow(/y\.json is not a valid result: result\.seed: must be >= 0/)
  })
})
