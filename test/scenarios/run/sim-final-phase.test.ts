// The final phase of a sim run: every region's snapshot is filled and stamped with when it was read,
// so a check's example about a final count carries a real time.
import { describe, expect, it } from 'vitest'
import { ROBUST } from '../../../mock-server/core/strategy.ts'
import { scenarioByName } from '../../../scenarios/library/index.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { runSimDriver } from '../../../scenarios/run/sim-driver.ts'

describe('sim final phase', () => {
  it('reads every video in every region and stamps each region with the end of the reads', () => {
    const scenario = scenarioByName('baseline')
    if (scenario === undefined) throw new Error('baseline missing')
    const setup = prepareRun({ scenario, seed: 3, scale: 0.05 })
    const run = runSimDriver({ setup, strategy: ROBUST })
    const final = run.history.final
    if (final === undefined) throw new Error('no final snapshot')
    expect(final.regions.map((region) => region.region)).toEqual(setup.world.regions.map((region) => region.id))
    for (const region of final.regions) {
      expect(region.readAtMs).toBe(final.atMs)
      expect(region.readAtMs).toBeGreaterThan(scenario.durationS * 1000)
      expect(region.readOk.every((ok) => ok === 1)).toBe(true)
      expect(region.likeCount.length).toBe(setup.population.videoCount)
    }
  })
})
