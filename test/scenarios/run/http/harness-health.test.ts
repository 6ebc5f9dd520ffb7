// The load generator's verdict on itself: the schedule is kept while at most 1% of operations
// leave late and at most 1% are dropped; otherwise the cause names what was measured, why (its
// own thread saturated, or a busy machine starving it, or too few VUs) and what to do.
import { describe, expect, it } from 'vitest'
import { judgeHarness, lateThresholdWallMs, timersRanLate } from '../../../../scenarios/run/http/harness-health.ts'
import type { HarnessMeasurements } from '../../../../scenarios/run/http/harness-monitor.ts'

function measured(overrides: Partial<HarnessMeasurements> = {}): HarnessMeasurements {
  return {
    wallMs: 10_000,
    released: 10_000,
    late: 0,
    lateThresholdMs: 10,
    scheduleLagMs: { count: 10_000, meanMs: 0.6, p50Ms: 0.5, p90Ms: 0.9, p95Ms: 1.1, p99Ms: 2.5, maxMs: 9 },
    dropped: 0,
    eventLoopDelayMs: { p50Ms: 0.2, p99Ms: 3, maxMs: 12 },
    eventLoopUtilization: 0.3,
    processCpuMs: 3500,
    threadCpuMs: 3000,
    coresAvailable: 2,
    loadAverage1m: 0.8,
    stalledMs: 0,
    ...overrides,
  }
}

const open = { timeScale: 0.1, closedModel: false, operations: 10_000 }

describe('judgeHarness', () => {
  it('judges the embedded server thread too: a starved server answers late, so timing is not the system\'s', () => {
    const healthy = judgeHarness(measured(), { ...open, server: measured({ eventLoopDelayMs: { p50Ms: 0.3, p99Ms: 4, maxMs: 20 }, threadCpuMs: 4000 }) })
    expect(healthy.scheduleKept).toBe(true)
    expect(healthy.server).toEqual({ stalledShare: 0, eventLoopDelayP99Ms: 4, eventLoopDelayMaxMs: 20, eventLoopUtilization: 0.3, threadCpuCores: 0.4 })
    // A few long stalls hide below the delay's p99 (one sample each): the time they took does not.
    const stalls = measured({ eventLoopDelayMs: { p50Ms: 0.4, p99Ms: 6, maxMs: 610 }, threadCpuMs: 2500, stalledMs: 300 })
    const starved = judgeHarness(measured({ loadAverage1m: 4.5 }), { ...open, server: stalls })
    expect(starved.scheduleKept).toBe(false)
    expect(starved.cause).toMatch(/^the embedded mock server could not answer at the modelled speed: its thread's event loop was stalled more than 10 ms for 3\.0% of the traffic's time \(loop delay p99 6 ms, max 610 ms; 0\.25 of a core\) \(the machine is busy: load average 4\.5 on 2 cores\)/)
    expect(judgeHarness(measured(), { ...open, server: { ...stalls, stalledMs: 50 } }).scheduleKept).toBe(true)
    // The driver kept its schedule: only the server's cause is given.
    expect(starved.cause).not.toContain('load generator')
  })

  it('keeps the schedule when sends are on time and nothing is dropped', () => {
    const health = judgeHarness(measured({ late: 100 }), open)
    expect(health.scheduleKept).toBe(true)
    expect(health.cause).toBeUndefined()
    expect(health).toMatchObject({ lateShare: 0.01, scheduleLagP99Ms: 2.5, threadCpuCores: 0.3, processCpuCores: 0.35, coresAvailable: 2 })
  })

  it('blames a busy machine when its thread got little CPU yet sends were late', () => {
    const health = judgeHarness(measured({ late: 500, threadCpuMs: 4000, eventLoopUtilization: 0.6, loadAverage1m: 3.2 }), open)
    expect(health.scheduleKept).toBe(false)
    expect(health.cause).toMatch(/^the load generator could not drive the offered load: 5\.0% of operations were sent more than 10 ms late/)
    expect(health.cause).toContain('the machine is busy (load average 3.2 on 2 cores)')
    expect(health.cause).toContain('raise --time-scale')
  })

  it('blames its own thread when it used most of a core', () => {
    const health = judgeHarness(measured({ late: 3000, threadCpuMs: 9600, eventLoopUtilization: 0.99 }), open)
    expect(health.cause).toContain('its thread was saturated (0.96 of a core')
    expect(health.cause).toContain('lower --scale or --connections')
  })

  it('says when arrivals found every VU busy', () => {
    const health = judgeHarness(measured({ dropped: 300 }), open)
    expect(health.scheduleKept).toBe(false)
    expect(health.droppedShare).toBe(0.03)
    expect(health.cause).toContain('3.0% of arrivals found every VU busy and were never sent (300 dropped iterations)')
    expect(health.cause).toContain('raise maxVUs')
  })

  it('says when its own timers ran late enough to fire client timeouts: a tenth of the timeout at p99, not a few ms, not a run short of VUs', () => {
    const timeout = { clientTimeoutMs: 2000 }
    expect(timersRanLate(judgeHarness(measured(), open), timeout)).toBe(false)
    // Beside three busy loops (overload-virginia at time scale 0.05): sends 1.3 s late at p99.
    const lag = { count: 10_000, meanMs: 900, p50Ms: 800, p90Ms: 1200, p95Ms: 1300, p99Ms: 1330, maxMs: 1372 }
    expect(timersRanLate(judgeHarness(measured({ late: 9300, scheduleLagMs: lag, loadAverage1m: 5.2 }), open), timeout)).toBe(true)
    // The embedded server's loop ~260 ms late at p99.
    const stalledServer = measured({ eventLoopDelayMs: { p50Ms: 40, p99Ms: 262, maxMs: 398 }, stalledMs: 7900 })
    expect(timersRanLate(judgeHarness(measured(), { ...open, server: stalledServer }), timeout)).toBe(true)
    // A silent service on a quiet machine: 1.1% of sends late, by ~16 ms at p99 — the schedule is not kept, the timeouts are the service's.
    const churn = judgeHarness(measured({ late: 111, scheduleLagMs: { ...lag, p50Ms: 0.8, p99Ms: 15.7, maxMs: 25.8 } }), open)
    expect(churn.scheduleKept).toBe(false)
    expect(timersRanLate(churn, timeout)).toBe(false)
    // A service that never answers holds every VU: arrivals dropped, timers on time.
    const dropped = judgeHarness(measured({ dropped: 300 }), open)
    expect(dropped.scheduleKept).toBe(false)
    expect(timersRanLate(dropped, timeout)).toBe(false)
  })

  it('judges the event loop of a closed model, which has no schedule', () => {
    const calm = judgeHarness(measured({ released: 0, late: 0 }), { ...open, closedModel: true })
    expect(calm.scheduleKept).toBe(true)
    const late = judgeHarness(measured({ released: 0, late: 0, eventLoopDelayMs: { p50Ms: 4, p99Ms: 40, maxMs: 90 } }), { ...open, closedModel: true })
    expect(late.scheduleKept).toBe(false)
    expect(late.cause).toContain('its event loop ran 40 ms late at p99')
  })

  it('judges lateness in scenario time, never below 10 wall ms', () => {
    expect(lateThresholdWallMs(1)).toBe(100)
    expect(lateThresholdWallMs(0.25)).toBe(25)
    expect(lateThresholdWallMs(0.1)).toBe(10)
    expect(lateThresholdWallMs(0.01)).toBe(10)
  })
})
