// The arrival schedule reproduces k6's: iterations per second, exactly, without sockets.
import { describe, expect, it } from 'vitest'
import { arrivalTimesMs, arrivalsPerSecond } from '../../../scenarios/run/arrival-schedule.ts'

describe('constant-arrival-rate', () => {
  it('starts rate iterations per timeUnit, the first at the start, none at the end', () => {
    const times = [...arrivalTimesMs({ executor: 'constant-arrival-rate', rate: 4, timeUnitMs: 1000, durationMs: 2000, startTimeMs: 0 })]
    expect(times).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750])
  })

  it('counts exactly per second, honouring timeUnit and startTime', () => {
    expect(arrivalsPerSecond({ executor: 'constant-arrival-rate', rate: 10, timeUnitMs: 1000, durationMs: 3000, startTimeMs: 0 })).toEqual([10, 10, 10])
    expect(arrivalsPerSecond({ executor: 'constant-arrival-rate', rate: 120, timeUnitMs: 60_000, durationMs: 3000, startTimeMs: 2000 })).toEqual([0, 0, 2, 2, 2])
  })

  it('handles rates below one per second', () => {
    expect(arrivalsPerSecond({ executor: 'constant-arrival-rate', rate: 1, timeUnitMs: 2000, durationMs: 6000, startTimeMs: 0 })).toEqual([1, 0, 1, 0, 1])
  })
})

describe('ramping-arrival-rate', () => {
  it('places iteration i where the area under the rate reaches i (k6 cal)', () => {
    // 2/s for 5 s: the first at 0.5 s (k6's own example), ten in the stage.
    const times = [...arrivalTimesMs({ executor: 'ramping-arrival-rate', startRate: 2, timeUnitMs: 1000, stages: [{ durationMs: 5000, target: 2 }], startTimeMs: 0 })]
    expect(times[0]).toBeCloseTo(500, 9)
    expect(times).toHaveLength(9)
    expect(times[8]).toBeCloseTo(4500, 9)
  })

  it('counts exactly per second on a ramp up, a plateau and a ramp down', () => {
    const executor = {
      executor: 'ramping-arrival-rate' as const,
      startRate: 0,
      timeUnitMs: 1000,
      stages: [
        { durationMs: 4000, target: 8 },
        { durationMs: 2000, target: 8 },
        { durationMs: 4000, target: 0 },
      ],
      startTimeMs: 0,
    }
    // Areas per second: 1, 3, 5, 7 (ramp to 8/s), 8, 8, then 7, 5, 3, 1 (ramp down); an
    // iteration lands when the cumulative area crosses an integer.
    expect(arrivalsPerSecond(executor)).toEqual([0, 3, 5, 7, 8, 8, 7, 5, 3, 1])
    expect([...arrivalTimesMs(executor)]).toHaveLength(47)
  })

  it('matches constant-arrival-rate totals on a flat stage', () => {
    const ramp = [...arrivalTimesMs({ executor: 'ramping-arrival-rate', startRate: 50, timeUnitMs: 1000, stages: [{ durationMs: 10_000, target: 50 }], startTimeMs: 0 })]
    const flat = [...arrivalTimesMs({ executor: 'constant-arrival-rate', rate: 50, timeUnitMs: 1000, durationMs: 10_000, startTimeMs: 0 })]
    expect(ramp.length).toBe(flat.length - 1)
  })
})
