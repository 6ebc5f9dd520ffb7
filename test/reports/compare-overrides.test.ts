// compareResults and `run`'s load flags: runs made with other --duration, --rate or --vus are
// refused like runs of another --scale; other --threshold flags leave the figures alone and are noted.
import { describe, expect, it } from 'vitest'
import { compareResults } from '../../reports/compare.ts'
import { ResultError } from '../../result/result-error.ts'
import type { RunOverrides, RunResult } from '../../result/result.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import { applyOverrides } from '../../scenarios/overrides.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { mutable, roundTrip } from './fixtures.ts'

/** A short baseline run (10 virtual seconds), made once. */
let short: RunResult | undefined
function base(): RunResult {
  short ??= roundTrip(runScenario({ scenario: applyOverrides(scenarioByName('baseline') as Scenario, { durationS: 10 }).scenario, seed: 3, scale: 0.05 }).result)
  return short
}

function withOverrides(result: RunResult, overrides: RunOverrides): RunResult {
  const r = mutable(result)
  r.config.overrides = mutable(overrides)
  return r as unknown as RunResult
}

describe('runs made with other load flags', () => {
  it('are refused, naming the flags of each', () => {
    let error: unknown
    try {
      compareResults(base(), withOverrides(base(), { rate: 300, thresholds: ['http_req_failed: rate<0.5'] }))
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ResultError)
    expect((error as ResultError).code).toBe('LS_COMPARE_MISMATCH')
    expect((error as ResultError).message).toMatch(/^cannot compare runs made differently: load flags \(baseline none, candidate --rate 300\) differs/)
    expect(() => compareResults(withOverrides(base(), { durationS: 60 }), withOverrides(base(), { durationS: 60, vus: 10 }))).toThrow(/load flags \(baseline --duration 60s, candidate --duration 60s --vus 10\)/)
  })

  it('compare when only their thresholds differ, with a note', () => {
    const comparison = compareResults(withOverrides(base(), { durationS: 60 }), withOverrides(base(), { durationS: 60, thresholds: ['http_req_failed: rate<0.5'] }))
    expect(comparison.notes).toContain("--threshold flags differs: baseline none, candidate --threshold 'http_req_failed: rate<0.5'")
  })
})
