// A long run's history costs a fixed amount of memory: spilled, only a few chunks of its attempts
// stay resident however many it records, and the checks judge it exactly as they judge the same
// history held in memory. Counts, not timings: memory itself is measured by npm run bench:memory.
import { describe, expect, it } from 'vitest'
import { ROBUST } from '../../../mock-server/core/strategy.ts'
import { judgeRun } from '../../../scenarios/run/judge.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { runSimDriver } from '../../../scenarios/run/sim-driver.ts'
import { BYTES_PER_ATTEMPT } from '../../../sim/history-columns.ts'
import { scenario } from '../../helpers/runs.ts'

const CHUNK_ROWS = 1024
/** The history's default when it spills. */
const RESIDENT_CHUNKS = 8

describe('a spilled history', () => {
  it('keeps a fixed number of attempts in memory and is judged as the same history in memory', () => {
    const drive = (spillHistory: boolean) => {
      const setup = prepareRun({ scenario: scenario('soak'), seed: 3, scale: 0.05 })
      const run = runSimDriver({ setup, strategy: ROBUST, spillHistory, historyChunkRows: CHUNK_ROWS })
      const result = judgeRun({ setup, mode: 'sim', strategy: ROBUST, history: run.history, stoppedBy: undefined, systemCounters: {} })
      return { run, result }
    }
    const spilled = drive(true)
    const held = drive(false)
    expect(spilled.run.history.length).toBeGreaterThan(3 * RESIDENT_CHUNKS * CHUNK_ROWS)
    expect(spilled.run.history.residentBytes).toBe(RESIDENT_CHUNKS * CHUNK_ROWS * BYTES_PER_ATTEMPT)
    expect(held.run.history.residentBytes).toBeGreaterThanOrEqual(held.run.history.length * BYTES_PER_ATTEMPT)
    expect(spilled.result.checks).toEqual(held.result.checks)
    expect(spilled.result.metrics).toEqual(held.result.metrics)
    spilled.run.history.close()
  })
})
