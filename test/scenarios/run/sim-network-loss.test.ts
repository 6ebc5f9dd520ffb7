// The network-loss fault in mode sim: the client of a lost request or answer times out and retries
// with the same key; the example scenario (examples/scenarios/lossy-region.scenario.ts) loses its
// share of a region's attempts in its window only, on the seed's own stream; robust keeps every
// invariant under it, and naive, which ignores idempotency keys, counts retried views twice.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import { FailureKind } from '../../../sim/failure-kind.ts'
import { History, Outcome } from '../../../sim/history.ts'
import { newOperationRecord, OpKind } from '../../../sim/operation.ts'
import { loadScenarioFiles } from '../../../scenarios/scenario-file.ts'
import { ClientProtocol } from '../../../scenarios/protocol/client-protocol.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { runScenario, type RunOutcome } from '../../../scenarios/run/runner.ts'
import { SimRoundTrip } from '../../../scenarios/run/sim-round-trip.ts'
import { SimSender } from '../../../scenarios/run/sim-sender.ts'
import type { Scenario } from '../../../scenarios/scenario.ts'
import { scenario as libraryScenario } from '../../helpers/runs.ts'
import type { LossFate } from '../../../mock-server/env/client-loss.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const SCALE = 0.05

async function lossyRegion(): Promise<Scenario> {
  const [entry] = await loadScenarioFiles(['examples/scenarios/lossy-region.scenario.ts'], { cwd: ROOT, mode: 'sim' })
  if (entry === undefined) throw new Error('not loaded')
  return entry.scenario
}

let robustRun: RunOutcome | undefined
/** The example's robust run at seed 7, once for the file. */
async function robustSeed7(): Promise<RunOutcome> {
  robustRun ??= runScenario({ scenario: await lossyRegion(), seed: 7, scale: SCALE, strategy: 'robust' })
  return robustRun
}

/** The operations of the first 200 attempts that timed out, in history order. */
function lostOps(history: History): string {
  const lost: number[] = []
  for (let i = 0; i < history.length && lost.length < 200; i++) if (history.failureOf(i) === FailureKind.Timeout) lost.push(history.opIdOf(i))
  return lost.join(',')
}

describe('a lost request or answer in the sim client', () => {
  const setup = prepareRun({ scenario: libraryScenario('baseline'), seed: 7, scale: SCALE })

  function attempt(fates: LossFate[]): { history: History; calls: number; retries: number[] } {
    const history = new History()
    const reply = new CoreReply()
    const retries: number[] = []
    let calls = 0
    const sender = new SimSender({
      protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('loss-test') }),
      roundTrip: new SimRoundTrip(setup.world.regions),
      history,
      timeoutMs: setup.client.timeoutMs,
      call: () => {
        calls++
        return reply.succeed(5, false)
      },
      retryAt: (_op, next) => retries.push(next),
      loss: () => fates.shift() ?? 'deliver',
    })
    const op = newOperationRecord()
    Object.assign(op, { kind: OpKind.Like, user: 1, video: 1, home: 0, route: -1, keyId: 42 })
    sender.execute(op, 1, 1000)
    return { history, calls, retries }
  }

  it('is a timeout, indeterminate, retried with the same key; the core saw a lost answer but not a lost request', () => {
    for (const [fate, calls] of [
      ['lose-request', 0],
      ['lose-answer', 1],
    ] as const) {
      const { history, retries } = attempt([fate])
      const seen = attempt([fate]).calls
      expect(seen, fate).toBe(calls)
      expect(history.length).toBe(1)
      expect(history.failureOf(0)).toBe(FailureKind.Timeout)
      expect(history.outcomeOf(0)).toBe(Outcome.Indeterminate)
      expect(history.latencyMsOf(0)).toBe(setup.client.timeoutMs)
      expect(retries).toEqual([2])
    }
    const delivered = attempt(['deliver'])
    expect([delivered.calls, delivered.history.outcomeOf(0), delivered.retries]).toEqual([1, Outcome.Ok, []])
  })
})

describe('the lossy-region example', () => {
  it('loses about its share of us-east attempts in its window, none elsewhere, and robust keeps every invariant', async () => {
    const { result, history, population } = await robustSeed7()
    expect(result.checks.filter((check) => check.status === 'fail').map((check) => check.name)).toEqual([])
    const usEast = population.regionIds.indexOf('us-east')
    const tally = { inside: 0, insideLost: 0, outside: 0, outsideLost: 0 }
    for (let i = 0; i < history.length; i++) {
      const atMs = history.invokeMsOf(i)
      const inside = history.regionOf(i) === usEast && atMs >= 30_000 && atMs < 90_000
      const lost = history.failureOf(i) === FailureKind.Timeout ? 1 : 0
      if (inside) {
        tally.inside++
        tally.insideLost += lost
      } else if (atMs < 120_000) {
        tally.outside++
        tally.outsideLost += lost
      }
    }
    expect(tally.inside).toBeGreaterThan(1000)
    expect(tally.insideLost / tally.inside).toBeGreaterThan(0.17)
    expect(tally.insideLost / tally.inside).toBeLessThan(0.23)
    expect(tally.outsideLost).toBe(0)
  })

  it('loses the same attempts for the same seed, others for another', async () => {
    const lossy = await lossyRegion()
    const again = (seed: number): string => lostOps(runScenario({ scenario: lossy, seed, scale: SCALE, strategy: 'robust' }).history)
    const first = lostOps((await robustSeed7()).history)
    expect(first.split(',')).toHaveLength(200)
    expect(again(7)).toBe(first)
    expect(again(8)).not.toBe(first)
  })

  it('shows naive counting a retried view twice: view-counts fails under the loss and holds without it', async () => {
    const lossy = runScenario({ scenario: await lossyRegion(), seed: 7, scale: SCALE, strategy: 'naive' }).result
    const calm = runScenario({ scenario: libraryScenario('baseline'), seed: 7, scale: SCALE, strategy: 'naive' }).result
    const status = (result: typeof calm, name: string) => result.checks.find((check) => check.name === name)?.status
    expect(status(calm, 'view-counts')).toBe('pass')
    expect(status(lossy, 'view-counts')).toBe('fail')
    expect(status(lossy, 'no-double-count')).toBe('fail')
  })
})
