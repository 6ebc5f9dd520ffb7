// takedown: a video restored at the run's end is read by nobody before it ends; the final reads
// are its first reads then. Without them the check failed robust ("the videos never came back
// (or nothing was read)": swarm-29035575289498, a takedown until 54 s of a 60 s run).
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../../scenarios/run/runner.ts'
import type { Scenario } from '../../../scenarios/scenario.ts'
import { scenario } from '../../helpers/runs.ts'
import { systemByName } from '../../helpers/planted-defects.ts'

const base = scenario('takedown')
/** The library's takedown, restored only as the run ends. */
const RESTORED_AT_END: Scenario = { ...base, faults: base.faults.map((f) => (f.kind === 'takedown' ? { ...f, endS: base.durationS } : f)) }

function takedownCheck(strategy: string) {
  const { result } = runScenario({ scenario: RESTORED_AT_END, seed: 7, scale: 0.25, strategy: systemByName(strategy) })
  return result.checks.find((c) => c.name === 'takedown')
}

describe('takedown of a video restored as the run ends', () => {
  it('passes robust on the final reads', () => {
    const verdict = takedownCheck('robust')
    expect(verdict?.status, verdict?.observed).toBe('pass')
    expect(verdict?.values['restoredReads']).toBeGreaterThan(0)
  })

  it('fails a system whose takedown dropped the counts, at the final reads', () => {
    const verdict = takedownCheck('broken-takedown')
    expect(verdict?.status).toBe('fail')
    expect(verdict?.examples[0]?.message).toMatch(/came back at 150\.000s showing 0 likes in \S+ at the final reads \([\d.]+s\); \d+\.\.\d+ stood/)
  })
})
