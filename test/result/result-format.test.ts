// The result module is the file format and imports nothing of the harness; its enumerations are
// its own copies of the harness's, kept in step here (and by the JSON Schema).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ACCOUNT_KINDS, CHECK_STATUSES, FAILURE_KINDS } from '../../result/result.ts'
import schema from '../../result/result-schema.json' with { type: 'json' }
import { CHECK_STATUSES as HARNESS_CHECK_STATUSES } from '../../sim/checks/check-types.ts'
import { FAILURE_KIND_NAMES } from '../../sim/failure-kind.ts'
import { USER_KIND_NAMES } from '../../sim/population.ts'

const ROOT = join(import.meta.dirname, '..', '..')

/** Relative imports of every .ts file in a folder of the project (recursively). */
function importsOf(folder: string): Array<{ file: string; spec: string }> {
  const found: Array<{ file: string; spec: string }> = []
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const file = join(entry.parentPath, entry.name)
    for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)) found.push({ file: file.slice(ROOT.length + 1), spec: match[1] as string })
  }
  return found
}

describe('the result format', () => {
  it('names the same check statuses, failure kinds and account kinds as the harness', () => {
    expect(CHECK_STATUSES).toEqual(HARNESS_CHECK_STATUSES)
    expect(FAILURE_KINDS).toEqual(FAILURE_KIND_NAMES.filter((name) => name !== 'none'))
    expect(ACCOUNT_KINDS).toEqual(USER_KIND_NAMES)
    const failures = (schema as { definitions: { metrics: { properties: { failures: { required: string[] } } } } }).definitions.metrics.properties.failures.required
    expect(failures).toEqual([...FAILURE_KINDS])
  })

  it('imports nothing of the harness, and reports import nothing of it but the result', () => {
    expect(importsOf('result').filter(({ spec }) => !spec.startsWith('./'))).toEqual([])
    expect(importsOf('reports').filter(({ spec }) => spec.startsWith('../') && !spec.startsWith('../result/'))).toEqual([])
  })
})
