// k6 durations and arrival-rate executors become the world's session-rate profile.
import { describe, expect, it } from 'vitest'
import { parseDurationMs } from '../../scenarios/k6-duration.ts'
import { sessionRateProfile, validateLoad } from '../../scenarios/load-profile.ts'

describe('parseDurationMs', () => {
  it.each([
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    [250, 250],
  ] as const)('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms)
  })

  it.each(['', '10', '5x', 's', '1m 30s', -1])('%s is not a duration', (text) => {
    expect(parseDurationMs(text as string)).toBeUndefined()
  })
})

describe('sessionRateProfile', () => {
  it('turns a constant-arrival-rate into rate/timeUnit over its window, scaled', () => {
    const profile = sessionRateProfile(
      { scenarios: { s: { executor: 'constant-arrival-rate', rate: 600, timeUnit: '1m', duration: '30s', startTime: '10s', preAllocatedVUs: 1 } } },
      2,
    )
    expect(profile.rateAt(9.9)).toBe(0)
    expect(profile.rateAt(10)).toBe(20)
    expect(profile.rateAt(39.9)).toBe(20)
    expect(profile.rateAt(40)).toBe(0)
    expect(profile.totalArrivals()).toBeCloseTo(600, 6)
  })

  it('ramps linearly between ramping-arrival-rate stages and sums scenarios', () => {
    const profile = sessionRateProfile(
      {
        scenarios: {
          ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 1, stages: [{ duration: '10s', target: 100 }, { duration: '10s', target: 100 }] },
          flat: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '20s', preAllocatedVUs: 1 },
        },
      },
      1,
    )
    expect(profile.rateAt(0)).toBe(10)
    expect(profile.rateAt(5)).toBeCloseTo(60, 9)
    expect(profile.rateAt(15)).toBe(110)
    expect(profile.totalArrivals()).toBeCloseTo(500 + 1000 + 200, 6)
  })

  it('refuses closed-model executors in mode sim, naming the scenario', () => {
    const problems = validateLoad({ scenarios: { vus: { executor: 'constant-vus', vus: 10, duration: '10s' } } }, 60)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('load.scenarios.vus.executor')
  })
})
