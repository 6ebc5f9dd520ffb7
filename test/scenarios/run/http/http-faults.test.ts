// Every fault of the timeline lands in the history with its window, as in mode sim: the traffic's
// own faults (overload, ddos) need nothing from the target; the others are recorded as skipped
// when the target has no admin API.
import { describe, expect, it } from 'vitest'
import { History } from '../../../../sim/history.ts'
import { HttpFaults } from '../../../../scenarios/run/http/http-faults.ts'
import { ScenarioClock } from '../../../../scenarios/run/http/scenario-clock.ts'
import { SharedServerClock } from '../../../../scenarios/run/http/server-clock.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import { scenario } from '../../../helpers/runs.ts'

describe('HttpFaults', () => {
  it('records overload and ddos with their windows, and skips what needs a missing admin API', async () => {
    const setup = prepareRun({ scenario: scenario('baseline'), seed: 7, scale: 0.05 })
    const history = new History()
    const faults = new HttpFaults({ history, population: setup.population, serverClock: new SharedServerClock(new ScenarioClock(0.1)), clock: new ScenarioClock(0.1), admin: () => undefined })
    await faults.apply({ kind: 'overload', region: 'us-east', factor: 3.5, startS: 30, endS: 100 }, true)
    await faults.apply({ kind: 'ddos', region: 'us-east', accounts: 150, ipBlocks: 3, requestsPerS: 30, startS: 40, endS: 90 }, true)
    await faults.apply({ kind: 'region-outage', region: 'us-east', startS: 50, endS: 60 }, true)
    expect(faults.active.size).toBe(3)
    await faults.apply({ kind: 'overload', region: 'us-east', factor: 3.5, startS: 30, endS: 100 }, false)
    expect(faults.active.size).toBe(2)
    expect(history.faults.map((f) => [f.spec.kind, f.startMs, f.endMs, f.skipped])).toEqual([
      ['overload', 30_000, 100_000, undefined],
      ['ddos', 40_000, 90_000, undefined],
      ['region-outage', 50_000, 60_000, 'the target has no admin API'],
    ])
    expect(faults.skipped).toEqual(['region-outage us-east [50s-60s]: the target has no admin API'])
  })
})
