// The drip-farm example (issue 18): drip farms like a few videos per compressed day, so only a
// run of several days shows their campaign. Over six days and three purges the built-in detector
// catches them, and leaves the genuine fan groups beside them alone. Scale 0.25: the example's
// numbers at 0.5 are in docs/detectors.md; here the smallest farm (15 accounts) and the
// one-like-a-day farm go uncaught, the others must not.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../scenarios/run/runner.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { loadScenarioFiles } from '../../scenarios/scenario-file.ts'

const FILE = join(import.meta.dirname, '..', '..', 'examples', 'scenarios', 'drip-farm.scenario.ts')

describe('drip farms over several compressed days', () => {
  it('are caught by the purges of a multi-day run, without purging a genuine account', async () => {
    const [entry] = await loadScenarioFiles([FILE], { cwd: process.cwd(), mode: 'sim' })
    if (entry === undefined) throw new Error('not loaded')
    expect(validateScenario(entry.scenario)).toEqual([])
    expect(entry.scenario.faults.filter((fault) => fault.kind === 'bot-purge')).toHaveLength(3)
    const { result } = runScenario({ scenario: entry.scenario, seed: 1, scale: 0.25, strategy: 'robust' })
    expect(result.verdict).toBe('pass')
    const detection = result.detection
    const recall = Object.fromEntries((detection?.byFarm ?? []).map((farm) => [farm.label, farm.recall]))
    for (const label of ['drip-slow', 'drip-steady', 'drip-aged']) expect(recall[label], label).toBeGreaterThanOrEqual(0.85)
    expect(detection?.precision).toBe(1)
    expect(detection?.genuineAccountsPurged).toBe(0)
    expect(detection?.genuineLikesRemovedRatio).toBe(0)
  }, 30_000)
})
