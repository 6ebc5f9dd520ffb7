// Mode sim cut short — by a stop signal (polled every 65,536 operations) or by the operation
// cap — ends its traffic there but lets the world's time run on through what is queued, so the
// checks judge the traffic that ran: no invariant fails for a correct system, and timing checks,
// which measured a cut window, are inconclusive rather than failed.
import { describe, expect, it } from 'vitest'
import { exitForRuns, EXIT } from '../../cli/exit-codes.ts'
import { renderRunSummary } from '../../cli/summary.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import type { RunResult } from '../../result/result.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'

const scenario = (name: string): Scenario => scenarioByName(name) as Scenario
const failing = (result: RunResult): string[] => result.checks.filter((check) => check.status === 'fail').map((check) => check.name)

describe('a stop signal in mode sim', () => {
  it('ends the traffic at the first batch of 65,536 operations it is polled at, with a partial result marked by the signal', () => {
    let polls = 0
    const { result, operations } = runScenario({
      scenario: scenario('baseline'),
      seed: 7,
      scale: 0.5,
      stopSignal: () => {
        polls++
        return 'SIGTERM'
      },
    })
    expect(polls).toBeGreaterThanOrEqual(1)
    expect(operations).toBe(65_536)
    expect(result.stoppedBy).toEqual({ kind: 'signal', detail: 'SIGTERM' })
    expect(result.interrupted).toBe(true)
    expect(failing(result)).toEqual([])
    expect(result.checks.find((check) => check.name === 'convergence')?.status).toBe('pass')
    expect(result.checks.filter((check) => check.kind === 'threshold').map((check) => check.status)).toEqual(['inconclusive', 'inconclusive', 'inconclusive'])
    expect(renderRunSummary(result, {})).toContain('\n  INTERRUPTED by SIGTERM: a partial run; checks judged what ran\n')
    expect(exitForRuns([result])).toBe(EXIT.TERMINATED)
  })

  it('changes nothing while no signal came', () => {
    let polls = 0
    const plain = runScenario({ scenario: scenario('like-flap'), seed: 3, scale: 0.5 }).result
    const polled = runScenario({
      scenario: scenario('like-flap'),
      seed: 3,
      scale: 0.5,
      stopSignal: () => {
        polls++
        return undefined
      },
    }).result
    expect(polls).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(polled)).toBe(JSON.stringify(plain))
  })
})

describe('the operation cap in mode sim', () => {
  it.each(['region-failover', 'partition', 'overload-virginia'])('fails no invariant of robust in %s, says STOPPED and exits 4', (name) => {
    const { result } = runScenario({ scenario: scenario(name), seed: 7, scale: 0.25, maxOperations: 20_000 })
    expect(result.stoppedBy).toEqual({ kind: 'operation-cap', detail: 'the operation cap of 20,000 operations was reached' })
    expect(failing(result)).toEqual([])
    expect(renderRunSummary(result, {})).toContain('\n  STOPPED: the operation cap of 20,000 operations was reached before the scenario ended; checks judged what ran\n')
    expect(exitForRuns([result])).toBe(EXIT.BOUND_REACHED)
  })

  it('still fails what the naive counter breaks in what ran: 1 outranks 4', () => {
    const { result } = runScenario({ scenario: scenario('like-flap'), seed: 7, scale: 0.25, strategy: 'naive', maxOperations: 20_000 })
    expect(result.stoppedBy?.kind).toBe('operation-cap')
    expect(failing(result)).toContain('no-double-count')
    expect(exitForRuns([result])).toBe(EXIT.CHECK_FAILED)
  })
})
