// The sim loop gives the same history whether the world's traffic is generated in-process or
// piped from a second thread (which big runs use).
import { describe, expect, it } from 'vitest'
import { ROBUST } from '../../../mock-server/core/strategy.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { runSimDriver, type SimProgress } from '../../../scenarios/run/sim-driver.ts'
import { renderSimProgress } from '../../../cli/commands/run.ts'
import type { History } from '../../../sim/history.ts'
import { scenario } from '../../helpers/runs.ts'

const FIELDS = ['kindOf', 'opIdOf', 'userOf', 'videoOf', 'regionOf', 'attemptOf', 'invokeMsOf', 'completeMsOf', 'outcomeOf', 'errorCode', 'likeCountOf', 'viewCountOf', 'likedOf', 'asOfMsOf'] as const

/** Everything the history recorded, attempt field by field. */
function columns(history: History): unknown[] {
  const h = history
  return [h.length, h.errorCodes, h.probes, h.lagSamples, ...FIELDS.map((field) => Array.from({ length: h.length }, (_, i) => h[field](i)))]
}

describe('sim driver', () => {
  it.each([
    ['overload-virginia', 0.3],
    ['bot-purge', 0.2],
  ])('records the same history with piped traffic as in-process (%s)', (name, scale) => {
    const run = (pipedTraffic: boolean) => runSimDriver({ setup: prepareRun({ scenario: scenario(name), seed: 7, scale }), strategy: ROBUST, pipedTraffic })
    const local = run(false)
    const piped = run(true)
    expect(piped.operations).toBe(local.operations)
    expect(piped.operations).toBeGreaterThan(1000)
    expect(columns(piped.history)).toEqual(columns(local.history))
  })

  it('reports its phases in order: the traffic from 0 operations, then the final reads, then done', () => {
    const seen: SimProgress[] = []
    const run = runSimDriver({ setup: prepareRun({ scenario: scenario('baseline'), seed: 7, scale: 0.5 }), strategy: ROBUST, onProgress: (p) => seen.push(p) })
    const phases = seen.map((p) => p.phase)
    expect(phases[0]).toBe('traffic')
    expect(seen[0]?.operations).toBe(0)
    expect(phases.filter((phase) => phase === 'traffic').length).toBeGreaterThan(1)
    expect(phases.slice(-2)).toEqual(['final', 'done'])
    expect(seen.at(-2)?.operations).toBe(run.operations)
    expect(renderSimProgress('baseline [robust]', seen[1] as SimProgress)).toMatch(/^baseline \[robust\] \d+% · [\d,]+ operations$/)
    expect(renderSimProgress('baseline [robust]', seen.at(-2) as SimProgress)).toBe(`baseline [robust] final reads · ${run.operations.toLocaleString('en-US')} operations`)
  })
})
