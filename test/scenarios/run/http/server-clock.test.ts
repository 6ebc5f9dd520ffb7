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
  it('turns server wall times into scenario time through the middle of what an admin call leaves open', () => {
    const server = new CalibratedServerClock(new ScenarioClock(0.5))
    expect(server.needsCalibration).toBe(true)
    expect(server.slackMs()).toBe(Infinity)
    // Sent at scenario 1000 ms, answered at 1040 ms (wall 500 and 520 ms); the server said 1_000_510.
    server.observe(1000, 1040, 1_000_510)
    // Its clock stood at 1_000_510 somewhere in wall 500-520 ms: the offset is 1_000_000 ± 10 wall ms; server time 1_000_600 is wall 600, scenario 1200.
    expect(server.toScenarioMs(1_000_600)).toBeCloseTo(1200, 6)
    // Half the 20 ms wall interval, in scenario ms.
    expect(server.slackMs()).toBe(20)
    expect(server.retryAfterMs(1)).toBe(2000)
    expect(server.wallMsPerServerMs).toBe(1)
  })

  it('narrows with every report, and a time converted with a looser offset keeps that slack', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    server.observe(0, 10, 5005) // offset in [4995, 5005]
    server.observe(100, 300, 5205) // a stretched call: [4905, 5105] narrows nothing
    expect(server.toScenarioMs(5100)).toBeCloseTo(100, 6)
    expect(server.slackMs()).toBe(5)
    server.observe(400, 404, 5402) // [4998, 5002]
    expect(server.toScenarioMs(5100)).toBeCloseTo(100, 6)
    expect(server.widthWallMs).toBe(4)
    // A time was converted with the looser offset: the slack stays as loose as that one.
    expect(server.slackMs()).toBe(5)
    const calibratedFirst = new CalibratedServerClock(new ScenarioClock(1))
    calibratedFirst.observe(0, 10, 5005)
    calibratedFirst.observe(400, 404, 5402)
    expect(calibratedFirst.toScenarioMs(5100)).toBeCloseTo(100, 6)
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

  it('takes a fresh asOfMs as the time of the state it shows, a watermark: no later than the answer, no older than the fresh grace', () => {
    const clock = new ScenarioClock(1)
    const at = (scenarioMs: number): number => clock.startWallMs + scenarioMs + 5000 // the target's clock: offset 5000
    const server = new CalibratedServerClock(clock, { freshGraceMs: 2000 })
    expect(server.calibration()).toEqual({ by: 'none', uncertaintyWallMs: null })
    // A read handled at scenario 2 ms whose state is 100 ms behind the target's clock (its replication lag).
    server.observe(0, 4, at(2) - 100, 'asOf')
    // Taken for the time (as it once was), the offset would be 4900 and every read placed 100 ms late, within a claimed ±3 ms.
    // As a watermark: the offset is at least 4896, at most 4901 + 2000 - 0 (fresh: at most the grace old).
    expect(server.widthWallMs).toBeCloseTo(2005, 6)
    expect(server.calibration().by).toBe('asOf')
    expect(Math.abs(server.toScenarioMs(at(50)) - 50)).toBeLessThanOrEqual(server.slackMs())
    // Without a grace, an asOfMs bounds the offset from below only: not calibrated.
    const graceless = new CalibratedServerClock(clock)
    graceless.observe(0, 4, at(2) - 100, 'asOf')
    expect(graceless.calibration()).toEqual({ by: 'none', uncertaintyWallMs: null })
  })

  it('is pinned by Date headers on either side of a second\'s turn, to about a round trip, whatever the asOfMs lag', () => {
    const clock = new ScenarioClock(1)
    const offsetMs = 1_234_567.25
    const serverAt = (scenarioMs: number): number => clock.startWallMs + scenarioMs + offsetMs
    const server = new CalibratedServerClock(clock, { freshGraceMs: 2000 })
    // Reads every 5 ms for 1.1 s, each handled 1 ms after it was sent and answered 2 ms after; their state 80 ms behind.
    for (let sent = 0; sent < 1100; sent += 5) {
      server.observe(sent, sent + 2, serverAt(sent + 1) - 80, 'asOf')
      server.observe(sent, sent + 2, Math.floor(serverAt(sent + 1) / 1000) * 1000, 'date')
    }
    expect(server.widthWallMs).toBeLessThanOrEqual(5 + 2)
    expect(Math.abs(server.toScenarioMs(serverAt(700)) - 700)).toBeLessThanOrEqual(server.slackMs())
    expect(server.calibration().by).toBe('date')
  })

  it('lets Date headers bound the service\'s own times only when they are on one clock (any clock is allowed for asOfMs)', () => {
    const clock = new ScenarioClock(1)
    // A service whose times count from its own start (the mock server does): its Date is the epoch's.
    const ownAt = (scenarioMs: number): number => clock.startWallMs + scenarioMs + 50
    const epochAt = (scenarioMs: number): number => clock.startWallMs + scenarioMs + 1_700_000_000_000
    const server = new CalibratedServerClock(clock, { freshGraceMs: 2000 })
    for (let sent = 0; sent < 1100; sent += 5) {
      server.observe(sent, sent + 2, ownAt(sent + 1) - 80, 'asOf')
      server.observe(sent, sent + 2, Math.floor(epochAt(sent + 1) / 1000) * 1000, 'date')
    }
    // Its Date says nothing of its asOfMs: the offset stays as wide as the fresh grace leaves it, and right.
    expect(server.calibration().by).toBe('asOf')
    expect(server.widthWallMs).toBeGreaterThan(1900)
    expect(Math.abs(server.toScenarioMs(ownAt(700)) - 700)).toBeLessThanOrEqual(server.slackMs())
  })

  it('says it is not calibrated when the reports contradict each other (a clock that jumped)', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    server.observe(0, 10, 5005)
    server.observe(100, 110, 9_999)
    expect(server.slackMs()).toBe(Infinity)
    expect(server.calibration()).toEqual({ by: 'none', uncertaintyWallMs: null })
    expect(new SharedServerClock(new ScenarioClock(0.5)).calibration()).toEqual({ by: 'shared', uncertaintyWallMs: 0 })
  })
})

describe('the HTTP Date header (whole seconds)', () => {
  it('names the start of its second; alone it leaves the offset a second and a round trip wide', () => {
    const server = new CalibratedServerClock(new ScenarioClock(1))
    const header = 'Tue, 01 Jun 2027 12:00:00 GMT'
    expect(dateHeaderServerMs(header)).toBe(Date.parse(header))
    server.observe(1000, 1040, dateHeaderServerMs(header) as number, 'date')
    expect(server.widthWallMs).toBe(1040)
    expect(server.calibration()).toEqual({ by: 'date', uncertaintyWallMs: 520 })
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
