// The target's clock against the scenario clock: shared by the embedded server, calibrated for any other.
import { describe, expect, it } from 'vitest'
import { ScenarioClock } from '../../../../scenarios/run/http/scenario-clock.ts'
import { CalibratedServerClock, dateHeaderServerMs, SharedServerClock, type ServerClock } from '../../../../scenarios/run/http/server-clock.ts'
import { notApplicableReason } from '../../../../sim/checks/applicability.ts'

describe('SharedServerClock (the embedded server, on the scenario clock)', () => {
  it('takes the server times as they are and needs no calibration', () => {
    const server: ServerClock = new SharedServerClock(new ScenarioClock(0.25))
    expect(server.needsCalibration).toBe(false)
    expect(server.toScenarioMs(12_345)).toBe(12_345)
    expect(server.retryAfterMs(2)).toBe(2000)
    server.observe(0, 100, 99_999)
    expect(server.toScenarioMs(12_345)).toBe(12_345)
    expect(server.slackMs()).toBe(0)
    // Its rates are per scenario second, a quarter of a wall second here.
    expect(server.wallMsPerServerMs).toBe(0.25)
  })
})

describe('CalibratedServerClock (a target on its own wall clock)', () => {
  it('turns server wall times into scenario time through the offset at the midpoint of a call', () => {
    const server = new CalibratedServerClock(new ScenarioClock(0.5))
    expect(server.needsCalibration).toBe(true)
    expect(server.slackMs()).toBe(Infinity)
    // Sent at scenario 1000 ms, answered at 1040 ms (wall 500 and 520 ms); the server said 1_000_510.
    server.observe(1000, 1040, 1_000_510)
    // Midpoint wall 510 ms, so the offset is 1_000_000 wall ms; server time 1_000_600 is wall 600, scenario 1200.
    expect(server.toScenarioMs(1_000_600)).toBeCloseTo(1200, 6)
    // Half the 20 ms wall round trip, in scenario ms.
    expect(server.slackMs()).toBe(20)
    expect(server.retryAfterMs(1)).toBe(2000)
    expect(server.wallMsPerServerMs).toBe(1)
  })

  it('keeps the offset of the call with the shortest round trip', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    server.observe(0, 10, 5005) // offset 5000, round trip 10
    server.observe(100, 300, 9999) // a stretched call: ignored
    expect(server.toScenarioMs(5100)).toBeCloseTo(100, 6)
    expect(server.slackMs()).toBe(5)
    server.observe(400, 404, 6402) // tighter: offset 6000
    expect(server.toScenarioMs(6100)).toBeCloseTo(100, 6)
    // A time was converted with the looser offset: the slack stays as loose as that one.
    expect(server.slackMs()).toBe(5)
    const calibratedFirst = new CalibratedServerClock(new ScenarioClock(1))
    calibratedFirst.observe(0, 10, 5005)
    calibratedFirst.observe(400, 404, 6402)
    expect(calibratedFirst.toScenarioMs(6100)).toBeCloseTo(100, 6)
    expect(calibratedFirst.slackMs()).toBe(2)
  })

  it('keeps its offset across the scenario clock\'s restart, so it can be calibrated before the traffic starts', () => {
    const clock = new ScenarioClock(1)
    const server = new CalibratedServerClock(clock)
    server.observe(0, 10, 5005)
    const before = clock.startWallMs
    clock.restart()
    const shiftMs = clock.startWallMs - before
    // Server time 5100 was scenario 100 before the restart; the restart moved scenario time 0 later by the shift.
    expect(server.toScenarioMs(5100)).toBeCloseTo(100 - shiftMs, 6)
  })

  it('is calibrated from a fresh answer\'s asOfMs as from the admin state, a millisecond looser (asOfMs is most often whole ms), and says how and how well', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    expect(server.calibration()).toEqual({ by: 'none', uncertaintyWallMs: null })
    server.observe(0, 4, 5002, 'asOf')
    expect(server.toScenarioMs(5100)).toBeCloseTo(100, 6)
    // Half the 4 ms round trip, and the millisecond.
    expect(server.slackMs()).toBe(3)
    expect(server.calibration()).toEqual({ by: 'asOf', uncertaintyWallMs: 3 })
    // An admin call as tight wins (its nowMs has no such rounding); the time converted before keeps the slack it had.
    server.observe(10, 14, 5012)
    expect(server.calibration()).toEqual({ by: 'admin', uncertaintyWallMs: 3 })
    expect(new SharedServerClock(new ScenarioClock(0.5)).calibration()).toEqual({ by: 'shared', uncertaintyWallMs: 0 })
  })
})

describe('CalibratedServerClock from the HTTP Date header (whole seconds)', () => {
  it('takes the middle of the second the header names, and reports half the round trip plus 500 ms', () => {
    const clock = new ScenarioClock(1)
    const server = new CalibratedServerClock(clock)
    const header = 'Tue, 01 Jun 2027 12:00:00 GMT'
    const serverMs = dateHeaderServerMs(header) as number
    expect(serverMs).toBe(Date.parse(header) + 500)
    server.observe(1000, 1040, serverMs, 'date')
    // Half the 40 ms round trip, plus half a second: the header cannot say where in its second the server stood.
    expect(server.slackMs()).toBe(520)
    expect(server.calibration()).toEqual({ by: 'date', uncertaintyWallMs: 520 })
    // The offset is read at the call's midpoint, as for any other source.
    expect(server.toScenarioMs(serverMs)).toBeCloseTo(1020, 6)
  })

  it('never lets a Date reading replace a finer asOfMs one, and prefers the tightest round trip among its own', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    server.observe(0, 10, 5005, 'asOf')
    server.observe(100, 101, dateHeaderServerMs('Tue, 01 Jun 2027 12:00:00 GMT') as number, 'date')
    expect(server.calibration().by).toBe('asOf')
    const dateOnly = new CalibratedServerClock(new ScenarioClock(0.5))
    dateOnly.observe(0, 200, 10_500, 'date')
    dateOnly.observe(400, 420, 11_500, 'date')
    // Wall round trip 10 ms (at time scale 0.5) + 1000: 505 wall ms, 1010 scenario ms.
    expect(dateOnly.calibration()).toEqual({ by: 'date', uncertaintyWallMs: 505 })
    expect(dateOnly.slackMs()).toBe(1010)
  })

  it('reads no time from a missing or malformed header', () => {
    expect(dateHeaderServerMs(undefined)).toBeUndefined()
    expect(dateHeaderServerMs('yesterday-ish')).toBeUndefined()
  })
})

describe('checks that need a finer clock than the Date header gives', () => {
  const facts = { distinctRegions: 2, likeStates: true, creatorsKnown: true, staleness: true, source: 'its capabilities document says so', freshGraceMs: 2000 }
  it('makes bounded-staleness not applicable, with why, when the uncertainty is not finer than the fresh grace', () => {
    expect(notApplicableReason('bounded-staleness', { ...facts, clockSlackMs: 5200 })).toMatch(/known only to ±5200 ms of scenario time, not finer than the 2000 ms a fresh answer may lag/)
    expect(notApplicableReason('bounded-staleness', { ...facts, clockSlackMs: 3 })).toBeUndefined()
    // The checks that widen their windows by the uncertainty stay applicable.
    expect(notApplicableReason('counter-bounds', { ...facts, clockSlackMs: 5200 })).toBeUndefined()
    expect(notApplicableReason('no-flip', { ...facts, clockSlackMs: 5200 })).toBeUndefined()
  })
})
