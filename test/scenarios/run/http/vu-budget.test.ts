import { describe, expect, it } from 'vitest'
import { VuBudget } from '../../../../scenarios/run/http/vu-budget.ts'

describe('the VU budget of an open-model run', () => {
  it("is the scenario's maxVUs while operations end as fast as they arrive", () => {
    const budget = new VuBudget({ scenarioVus: 3, horizonWallMs: 0 })
    expect(budget.admit(0, 0)).toBe(true)
    expect(budget.admit(2, 1)).toBe(true)
    expect(budget.admit(3, 2)).toBe(false)
  })

  it('grows to one VU for each operation released within the retry horizon, so a slow system is sent its whole load', () => {
    const budget = new VuBudget({ scenarioVus: 2, horizonWallMs: 1000 })
    // 10 arrivals 10 ms apart, none answered yet: each may still be waiting within the horizon.
    for (let i = 0; i < 10; i++) expect(budget.admit(i, i * 10)).toBe(true)
    expect(budget.admit(10, 100)).toBe(true)
  })

  it('drops an arrival only when an operation outlived the horizon (the generator is behind)', () => {
    const budget = new VuBudget({ scenarioVus: 2, horizonWallMs: 1000 })
    for (let i = 0; i < 5; i++) expect(budget.admit(i, i)).toBe(true)
    // 2 s later all five are still busy: they outlived the 1 s horizon, and the budget is the scenario's 2 again.
    expect(budget.admit(5, 2000)).toBe(false)
    expect(budget.admit(1, 2001)).toBe(true)
  })

  it('keeps only the last horizon of release times', () => {
    const budget = new VuBudget({ scenarioVus: 1, horizonWallMs: 10 })
    for (let i = 0; i < 100_000; i++) budget.admit(0, i)
    expect((budget as unknown as { releases: number[] }).releases.length).toBeLessThan(5000)
  })
})
