// The result module is the file format; its enumerations are its own copies of the harness's,
// kept in step here (and by the JSON Schema). test/boundaries.test.ts keeps it free of the harness.
import { describe, expect, it } from 'vitest'
import { ACCOUNT_KINDS, CHECK_STATUSES, FAILURE_KINDS, FAULT_ROUTES } from '../../result/result.ts'
import { FAULT_ROUTES as HARNESS_FAULT_ROUTES } from '../../scenarios/run/http/http-faults.ts'
import schema from '../../result/result-schema.json' with { type: 'json' }
import { CHECK_STATUSES as HARNESS_CHECK_STATUSES } from '../../sim/checks/check-types.ts'
import { FAILURE_KIND_NAMES } from '../../sim/failure-kind.ts'
import { USER_KIND_NAMES } from '../../sim/population.ts'
import { validateResult } from '../../result/result-schema.ts'
import type { RunResult, TargetCapabilityRecord } from '../../result/result.ts'
import ciGateResult from '../../docs/github-actions/baseline/ci-gate.result.json' with { type: 'json' }

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

  it('records like states read back on a sample as { read, of }, and the schema holds the record to that shape', () => {
    const capabilities: TargetCapabilityRecord = {
      source: 'probed',
      regions: { 'us-east': 'http://127.0.0.1:8080' },
      distinctRegions: 1,
      likedLists: false,
      likeStates: 'read-backs',
      likeStatesSample: { read: 50_000, of: 120_000 },
      notifications: false,
      world: 'none',
      staleness: 'none',
      admin: 'none',
      clock: { by: 'none', uncertaintyWallMs: null },
      notes: [],
    }
    const withCapabilities = (record: unknown): RunResult => {
      // A result the runner wrote (the GitHub Actions example's), as a run against a --target.
      const http = { target: 'http://127.0.0.1:8080', timeScale: 1, connections: 8, wallMs: 1, droppedIterations: 0, peakVus: 1, skippedFaults: [], capabilities: record }
      return { ...ciGateResult, mode: 'http', config: { ...ciGateResult.config, http } } as unknown as RunResult
    }
    expect(validateResult(withCapabilities(capabilities))).toEqual([])
    const { likeStatesSample: _sample, ...full } = capabilities
    expect(validateResult(withCapabilities(full))).toEqual([])
    expect(validateResult(withCapabilities({ ...capabilities, likeStatesSample: { read: 50_000 } }))).toEqual(["result.config.http.capabilities.likeStatesSample: must have required property 'of'"])
  })
})
