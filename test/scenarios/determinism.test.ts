// Same seed and code, same result.json byte for byte; another seed, another result.
import { describe, expect, it } from 'vitest'
import { serializeResult } from '../../cli/write-result.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { scenario } from '../helpers/runs.ts'

describe('determinism', () => {
  it('gives byte-identical results for the same seed and different ones for another seed', () => {
    const once = serializeResult(runScenario({ scenario: scenario('overload-virginia'), seed: 11, scale: 0.3, strategy: 'naive' }).result)
    const twice = serializeResult(runScenario({ scenario: scenario('overload-virginia'), seed: 11, scale: 0.3, strategy: 'naive' }).result)
    const other = serializeResult(runScenario({ scenario: scenario('overload-virginia'), seed: 12, scale: 0.3, strategy: 'naive' }).result)
    expect(twice).toBe(once)
    expect(other).not.toBe(once)
  })

  it('never reads the wall clock or Math.random during a sim run', async () => {
    const { vi } = await import('vitest')
    const random = vi.spyOn(Math, 'random')
    const now = vi.spyOn(Date, 'now')
    runScenario({ scenario: scenario('bot-purge'), seed: 3, scale: 0.2 })
    expect(random).not.toHaveBeenCalled()
    expect(now).not.toHaveBeenCalled()
    random.mockRestore()
    now.mockRestore()
  })

  it('writes no wall-clock value into a sim result', () => {
    const text = serializeResult(runScenario({ scenario: scenario('baseline'), seed: 5, scale: 0.2 }).result)
    const year = String(new Date().getUTCFullYear())
    expect(text).not.toContain(`"${year}-`)
    expect(text).not.toMatch(/"(wallMs|startedAt|timestamp)"/)
  })
})
