// The result module is the file format; its enumerations are its own copies of the harness's,
// kept in step here (and by the JSON Schema). test/boundaries.test.ts keeps it free of the harness.
import { describe, expect, it } from 'vitest'
import { ACCOUNT_KINDS, CHECK_STATUSES, FAILURE_KINDS } from '../../result/result.ts'
import schema from '../../result/result-schema.json' with { type: 'json' }
import { CHECK_STATUSES as HARNESS_CHECK_STATUSES } from '../../sim/checks/check-types.ts'
import { FAILURE_KIND_NAMES } from '../../sim/failure-kind.ts'
import { USER_KIND_NAMES } from '../../sim/population.ts'

describe('the result format', () => {
  it('names the same check statuses, failure kinds and account kinds as the harness', () => {
    expect(CHECK_STATUSES).toEqual(HARNESS_CHECK_STATUSES)
    expect(FAILURE_KINDS).toEqual(FAILURE_KIND_NAMES.filter((name) => name !== 'none'))
    expect(ACCOUNT_KINDS).toEqual(USER_KIND_NAMES)
    const failures = (schema as { definitions: { metrics: { properties: { failures: { required: string[] } } } } }).definitions.metrics.properties.failures.required
    expect(failures).toEqual([...FAILURE_KINDS])
  })

})
