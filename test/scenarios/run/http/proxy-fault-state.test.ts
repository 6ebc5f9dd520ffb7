// The fault proxy's state, without sockets: which scenario faults it enacts and how, which it
// cannot (and why), and the fate of each request from a seeded stream.
import { describe, expect, it } from 'vitest'
import type { FaultSpec } from '../../../../sim/faults.ts'
import { Rng } from '../../../../sim/rng.ts'
import { OVERLOAD_LIMITS, ProxyFaultState, proxyPlanOf, type RequestFate } from '../../../../scenarios/run/http/proxy-fault-state.ts'

const outage = (region: string, startS = 10, endS = 20): FaultSpec => ({ kind: 'region-outage', region, startS, endS })
const stateOf = (seed = 5): ProxyFaultState => new ProxyFaultState({ random: new Rng(seed).stream('fault-proxy') })

describe('which faults the proxy enacts', () => {
  it('an outage takes its region down, a slow cache slows its region, an overload limits it', () => {
    expect(proxyPlanOf(outage('us-east'))).toEqual({ region: 'us-east', fault: { kind: 'down' } })
    expect(proxyPlanOf({ kind: 'slow-cache', region: 'eu-west', latencyMs: 250, startS: 0, endS: 5 })).toEqual({ region: 'eu-west', fault: { kind: 'latency', addedMs: 250 } })
    expect(proxyPlanOf({ kind: 'overload', region: 'us-west', factor: 3, startS: 0, endS: 5 })).toEqual({ region: 'us-west', fault: { kind: 'limit', limits: OVERLOAD_LIMITS } })
  })

  it('a partition between the target\'s regions and the target\'s own jobs are not applied, with the reason', () => {
    const partition = proxyPlanOf({ kind: 'partition', a: 'us-east', b: 'eu-west', startS: 0, endS: 5 })
    expect(partition).toEqual({ notApplied: expect.stringMatching(/not between the target's own regions \(us-east<->eu-west\)/) })
    expect(stateOf().enact({ kind: 'bot-purge', startS: 0, endS: 5 }, true)).toEqual({ applied: false, reason: expect.stringMatching(/needs the target's admin API/) })
    expect(stateOf().enact({ kind: 'takedown', videoRanks: [0], startS: 0, endS: 5 }, true)).toEqual({ applied: false, reason: expect.stringMatching(/needs the target's admin API/) })
  })
})

describe('a region under faults', () => {
  it('is down from an outage\'s start to its stop, and only that region', () => {
    const state = stateOf()
    expect(state.enact(outage('us-east'), true)).toEqual({ applied: true, region: 'us-east' })
    expect([state.isDown('us-east'), state.isDown('us-west')]).toEqual([true, false])
    state.enact(outage('us-east'), false)
    expect(state.isDown('us-east')).toBe(false)
  })

  it('stays down while any of two overlapping outages lasts', () => {
    const state = stateOf()
    state.enact(outage('us-east', 10, 30), true)
    state.enact(outage('us-east', 20, 40), true)
    state.enact(outage('us-east', 10, 30), false)
    expect(state.isDown('us-east')).toBe(true)
    state.enact(outage('us-east', 20, 40), false)
    expect(state.isDown('us-east')).toBe(false)
  })

  it('holds requests for the slowest of its latencies, and forwards every request without a loss', () => {
    const state = stateOf()
    expect(state.fate('us-east')).toEqual({ kind: 'forward', delayMs: 0 })
    state.start('a', 'us-east', { kind: 'latency', addedMs: 100 })
    state.start('b', 'us-east', { kind: 'latency', addedMs: 300 })
    expect(state.fate('us-east')).toEqual({ kind: 'forward', delayMs: 300 })
    expect(state.fate('us-west')).toEqual({ kind: 'forward', delayMs: 0 })
    state.stop('b')
    expect(state.fate('us-east')).toEqual({ kind: 'forward', delayMs: 100 })
  })

  it('has a concurrency limit only while an overload lasts', () => {
    const state = stateOf()
    const overload: FaultSpec = { kind: 'overload', region: 'us-west', factor: 3, startS: 0, endS: 5 }
    state.enact(overload, true)
    expect(state.limitOf('us-west')).toMatchObject(OVERLOAD_LIMITS)
    expect(state.limitOf('us-east')).toBeUndefined()
    state.enact(overload, false)
    expect(state.limitOf('us-west')).toBeUndefined()
  })
})

describe('a lossy region', () => {
  const fates = (state: ProxyFaultState, n: number): RequestFate[] => Array.from({ length: n }, () => state.fate('us-east'))

  it('loses its share of requests, some before the target saw them and some after, drawn from the seeded stream', () => {
    const state = stateOf()
    state.start('loss', 'us-east', { kind: 'loss', share: 0.3 })
    const drawn = fates(state, 10_000)
    const lost = drawn.filter((fate) => fate.kind !== 'forward')
    expect(lost.length / drawn.length).toBeGreaterThan(0.27)
    expect(lost.length / drawn.length).toBeLessThan(0.33)
    const answersLost = lost.filter((fate) => fate.kind === 'lose-answer').length
    expect(answersLost / lost.length).toBeGreaterThan(0.4)
    expect(answersLost / lost.length).toBeLessThan(0.6)
  })

  it('loses the same requests for the same seed, others for another', () => {
    const run = (seed: number): string => {
      const state = stateOf(seed)
      state.start('loss', 'us-east', { kind: 'loss', share: 0.5 })
      return fates(state, 200).map((fate) => fate.kind[0]).join('')
    }
    expect(run(5)).toBe(run(5))
    expect(run(5)).not.toBe(run(6))
  })

  it('is how the proxy enacts a network-loss fault of the scenario, in its region and its window only', () => {
    const spec: FaultSpec = { kind: 'network-loss', region: 'us-east', share: 0.4, startS: 30, endS: 90 }
    expect(proxyPlanOf(spec)).toEqual({ region: 'us-east', fault: { kind: 'loss', share: 0.4 } })
    const state = stateOf()
    expect(state.enact(spec, true)).toEqual({ applied: true, region: 'us-east' })
    const lost = fates(state, 2000).filter((fate) => fate.kind !== 'forward').length
    expect(lost / 2000).toBeGreaterThan(0.35)
    expect(lost / 2000).toBeLessThan(0.45)
    expect(Array.from({ length: 200 }, () => state.fate('eu-west').kind).every((kind) => kind === 'forward')).toBe(true)
    state.enact(spec, false)
    expect(fates(state, 200).every((fate) => fate.kind === 'forward')).toBe(true)
  })

  it('refuses a share outside [0, 1]', () => {
    expect(() => stateOf().start('loss', 'us-east', { kind: 'loss', share: 1.5 })).toThrow(/loss share is in \[0, 1\]/)
  })
})
