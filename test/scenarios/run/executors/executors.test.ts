// One file per k6 executor: each validates its own options (every problem at once, each naming
// its field), knows its span and VUs, and schedules as k6 does: arrival-rate executors their
// iterations' start times, VU executors their VUs.
import { describe, expect, it } from 'vitest'
import type { Scenario } from 'k6/options'
import { executorOf, K6_EXECUTORS, loadVus } from '../../../../scenarios/run/executors/index.ts'

const context = { at: 'load.scenarios.s', durationS: 60 }

function bound(options: Scenario) {
  const executor = executorOf(options)
  if (executor === undefined) throw new Error(`no executor ${options.executor}`)
  return executor
}

describe('the executors', () => {
  it('are k6’s six, each in its model', () => {
    expect(K6_EXECUTORS).toEqual(['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'])
    expect(executorOf({ executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 1 })?.model).toBe('open')
    expect(executorOf({ executor: 'constant-vus', duration: '1s' })?.model).toBe('closed')
    expect(executorOf({ executor: 'no-such' } as unknown as Scenario)).toBeUndefined()
  })
})

describe('constant-arrival-rate', () => {
  it('schedules rate x scale iterations per timeUnit from its startTime, none at its end', () => {
    const times = [...(bound({ executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '2s', startTime: '1s', preAllocatedVUs: 2 }).arrivals(0.5) ?? [])]
    expect(times).toEqual([1000, 1500, 2000, 2500])
  })

  it('reports every problem at once', () => {
    const problems = bound({ executor: 'constant-arrival-rate', rate: 0, timeUnit: 'soon', duration: '2m', startTime: 'later', preAllocatedVUs: 1 }).validate(context)
    expect(problems).toEqual([
      'load.scenarios.s.startTime: not a k6 duration: later',
      'load.scenarios.s.timeUnit: not a positive k6 duration',
      "load.scenarios.s: ends at 120s, after the scenario's 60s",
      'load.scenarios.s.rate: must be a positive number',
    ])
  })
})

describe('ramping-arrival-rate', () => {
  it('ramps the rate linearly (k6’s area rule), scaled', () => {
    const times = [...(bound({ executor: 'ramping-arrival-rate', startRate: 0, stages: [{ duration: '4s', target: 4 }], preAllocatedVUs: 1 }).arrivals(1) ?? [])]
    // Area under 0 -> 1/s over 4 s is 8: iterations at sqrt(2 i) s for i = 1..8 (the 8th at the end is not started).
    expect(times.map((t) => Math.round(t))).toEqual([1414, 2000, 2449, 2828, 3162, 3464, 3742])
    expect(bound({ executor: 'ramping-arrival-rate', stages: [], preAllocatedVUs: 1 }).validate(context)).toEqual(['load.scenarios.s.stages: at least one stage'])
  })
})

describe('VU executors', () => {
  it('constant-vus runs its VUs, scaled, for its duration', () => {
    const schedule = bound({ executor: 'constant-vus', vus: 10, duration: '30s', startTime: '5s' }).vuSchedule(0.5)
    expect(schedule).toMatchObject({ startMs: 5000, endMs: 35_000, vuCount: 5, iterationsPerVu: Infinity, sharedIterations: Infinity })
    expect(bound({ executor: 'constant-vus', vus: 1.5, duration: 'x' }).validate(context)).toEqual(['load.scenarios.s.vus: must be a whole number >= 1', 'load.scenarios.s.duration: constant-vus needs a k6 duration'])
  })

  it('ramping-vus activates VUs as the target ramps', () => {
    const schedule = bound({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '10s', target: 10 }] }).vuSchedule(1)
    expect(schedule?.vuCount).toBe(10)
    expect(schedule?.active(2, 5000)).toBe(true)
    expect(schedule?.active(7, 5000)).toBe(false)
    expect(bound({ executor: 'ramping-vus', stages: [] }).validate(context)).toEqual(['load.scenarios.s.stages: ramping-vus needs at least one stage'])
  })

  it('per-vu-iterations counts per VU, shared-iterations shares a scaled count, both within maxDuration (10m by default)', () => {
    expect(bound({ executor: 'per-vu-iterations', vus: 4, iterations: 3 }).vuSchedule(1)).toMatchObject({ vuCount: 4, iterationsPerVu: 3, sharedIterations: Infinity, endMs: 600_000 })
    expect(bound({ executor: 'shared-iterations', vus: 4, iterations: 100, maxDuration: '1m' }).vuSchedule(0.5)).toMatchObject({ vuCount: 2, iterationsPerVu: Infinity, sharedIterations: 50, endMs: 60_000 })
  })
})

describe('loadVus', () => {
  it('sums maxVUs and preAllocatedVUs over the scenarios, then scales', () => {
    const scenarios: Record<string, Scenario> = {
      a: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 10, maxVUs: 30 },
      b: { executor: 'ramping-arrival-rate', stages: [{ duration: '1s', target: 1 }], preAllocatedVUs: 6 },
    }
    expect(loadVus(scenarios, 0.5)).toEqual({ max: 18, preAllocated: 8 })
    expect(loadVus(undefined, 1)).toEqual({ max: 1, preAllocated: 1 })
  })
})
