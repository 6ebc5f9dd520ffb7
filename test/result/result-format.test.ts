// The result module is the file format; its enumerations are its own copies of the harness's,
// kept in step here (and by the JSON Schema). test/boundaries.test.ts keeps it free of the harness.
import { describe, expect, it } from 'vitest'
import { ACCOUNT_KINDS, CHECK_STATUSES, FAILURE_KINDS, FAULT_ROUTES } from '../../result/result.ts'
import { FAULT_ROUTES as HARNESS_FAULT_ROUTES } from '../../scenarios/run/http/http-faults.ts'
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

  it('names the same --faults routes as the harness, and the schema allows exactly those', () => {
    expect(FAULT_ROUTES).toEqual(HARNESS_FAULT_ROUTES)
    const http = (schema as { properties: { config: { properties: { http: { properties: { faults: { enum: string[] } } } } } } }).properties.config.properties.http.properties.faults
    expect(http.enum).toEqual([...FAULT_ROUTES])
    const fault = (schema as { definitions: { fault: { properties: { via: { enum: string[] } } } } }).definitions.fault.properties.via
    expect(fault.enum).toEqual(['admin', 'proxy'])
  })

})
