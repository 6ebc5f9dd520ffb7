// Gate on LikeStorm from your own vitest suite: run a scenario in mode sim, require every check to
// pass, and compare it with a baseline run. (This file is the "Programmatic API" example of docs/api.md.)
import { describe, expect, it } from 'vitest'
import { compareResults, runScenario, scenarioByName } from 'likestorm'

const scenario = scenarioByName('overload-virginia')
if (scenario === undefined) throw new Error('overload-virginia is not in the library')

describe('like counts under the 2020-07-23 overload', () => {
  const baseline = runScenario({ scenario, seed: 7, scale: 0.25 }).result

  it('keeps every invariant with the robust counting strategy', () => {
    expect(baseline.checks.filter((check) => check.status === 'fail').map((check) => check.name)).toEqual([])
    expect(baseline.passed).toBe(true)
  })

  it('does not regress: same seed, same code, same result', () => {
    const candidate = runScenario({ scenario, seed: 7, scale: 0.25 }).result
    const comparison = compareResults(baseline, candidate, { maxP99IncreasePct: 10, maxGoodputDropPct: 2 })
    expect(comparison.regressions).toEqual([])
  })

  it('catches a change that brings back the zero-likes bug', () => {
    const candidate = runScenario({ scenario, seed: 7, scale: 0.25, strategy: 'naive' }).result
    const comparison = compareResults(baseline, candidate)
    expect(comparison.passed).toBe(false)
    expect(comparison.regressions.map((r) => r.metric)).toContain('check never-zero')
  })
})
