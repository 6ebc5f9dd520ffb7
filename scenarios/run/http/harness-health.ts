// Whether the load generator drove the offered load as the scenario specifies, from what it
// measured about itself (harness-monitor.ts). Pure. When it did not, the run's timing checks
// (goodput, latency thresholds, steady-state) are inconclusive with the one-line cause given
// here; data invariants are judged as always (a lost like is lost however late it was sent).
import type { HttpHealth, ServerThreadHealth } from '../../../result/result.ts'
import type { HarnessMeasurements } from './harness-monitor.ts'

/**
 * A send is late when it leaves more than this after its due time, in scenario ms (so the same
 * distortion of the offered load at every --time-scale). The system's capacity is modelled per
 * second and goodput is judged per second: a request shifted by a tenth of that still lands in
 * its second nine times in ten; shifted further, sends bunch into bursts the scenario never asked for.
 */
export const LATE_SCENARIO_MS = 100
/**
 * Never judge a send late below this many wall ms: timers fire at 1 ms granularity and a young-
 * generation GC pause takes a few ms, so a healthy loop is routinely that late at a tiny time scale.
 */
export const LATE_WALL_MIN_MS = 10
/**
 * The schedule is not kept when more than this share of operations were late, or were dropped
 * for want of a free VU. Latency thresholds are judged at p99 and p95: once more than 1% of the
 * requests are the harness's own (late or never sent), a p99 describes the load generator, and the
 * goodput check's margins (0.95 of genuine requests) are within reach of the distortion.
 */
export const LATE_SHARE_MAX = 0.01
export const DROPPED_SHARE_MAX = 0.01
/** The generator's thread counts as saturated above this share of one core (a Node event loop runs on one). */
const SATURATED_CORE_SHARE = 0.8

export interface HealthContext {
  readonly timeScale: number
  /** A VU executor drives the run: no schedule to keep, only the event loop's delay to judge. */
  readonly closedModel: boolean
  /** Operations the traffic produced (the share of dropped iterations is taken of these). */
  readonly operations: number
  /** The embedded mock server's thread over the same traffic (absent against a --target). */
  readonly server?: HarnessMeasurements | undefined
}

/** The late threshold for a time scale, wall ms. */
export function lateThresholdWallMs(timeScale: number): number {
  return Math.max(LATE_WALL_MIN_MS, LATE_SCENARIO_MS * timeScale)
}

/** The health record of the result, with the cause when the schedule was not kept. */
export function judgeHarness(m: HarnessMeasurements, context: HealthContext): HttpHealth {
  const wallS = Math.max(1e-9, m.wallMs / 1000)
  const lateShare = m.released === 0 ? 0 : m.late / m.released
  const droppedShare = context.operations === 0 ? 0 : m.dropped / context.operations
  const threadCpuCores = m.threadCpuMs === null ? null : m.threadCpuMs / 1000 / wallS
  const figures = {
    lateThresholdMs: round(m.lateThresholdMs, 1),
    operationsReleased: m.released,
    lateShare: round(lateShare, 4),
    scheduleLagP50Ms: m.scheduleLagMs.p50Ms,
    scheduleLagP99Ms: m.scheduleLagMs.p99Ms,
    scheduleLagMaxMs: m.scheduleLagMs.maxMs,
    droppedShare: round(droppedShare, 4),
    eventLoopDelayP50Ms: round(m.eventLoopDelayMs.p50Ms, 1),
    eventLoopDelayP99Ms: round(m.eventLoopDelayMs.p99Ms, 1),
    eventLoopDelayMaxMs: round(m.eventLoopDelayMs.maxMs, 1),
    eventLoopUtilization: round(m.eventLoopUtilization, 3),
    processCpuCores: round(m.processCpuMs / 1000 / wallS, 3),
    threadCpuCores: threadCpuCores === null ? null : round(threadCpuCores, 3),
    coresAvailable: m.coresAvailable,
    loadAverage1m: round(m.loadAverage1m, 2),
    measuredWallMs: Math.round(m.wallMs),
  }
  const problems: string[] = []
  if (!context.closedModel && lateShare > LATE_SHARE_MAX) {
    problems.push(`${percent(lateShare)} of operations were sent more than ${figures.lateThresholdMs} ms late (schedule lag p99 ${figures.scheduleLagP99Ms} ms, max ${figures.scheduleLagMaxMs} ms)`)
  }
  if (context.closedModel && m.eventLoopDelayMs.p99Ms > m.lateThresholdMs) {
    problems.push(`its event loop ran ${figures.eventLoopDelayP99Ms} ms late at p99 (more than ${figures.lateThresholdMs} ms), so every latency it measured carries that delay`)
  }
  if (droppedShare > DROPPED_SHARE_MAX) problems.push(`${percent(droppedShare)} of arrivals found every VU busy and were never sent (${m.dropped} dropped iterations)`)
  const server = context.server === undefined ? undefined : serverFigures(context.server)
  const withServer = server === undefined ? figures : { ...figures, server }
  const causes: string[] = []
  if (problems.length > 0) causes.push(`the load generator could not drive the offered load: ${problems.join('; ')}; ${diagnosis(m, figures, droppedShare)}`)
  // The server enacts the modelled waits on timers: while its loop is stalled every answer is late.
  if (server !== undefined && (server.stalledShare > LATE_SHARE_MAX || server.eventLoopDelayP99Ms > m.lateThresholdMs)) {
    const busy = figures.loadAverage1m > figures.coresAvailable ? ` (the machine is busy: load average ${figures.loadAverage1m} on ${figures.coresAvailable} cores)` : ''
    causes.push(
      `the embedded mock server could not answer at the modelled speed: its thread's event loop was stalled more than ${figures.lateThresholdMs} ms for ${percent(server.stalledShare)} of the traffic's time (loop delay p99 ${server.eventLoopDelayP99Ms} ms, max ${server.eventLoopDelayMaxMs} ms; ${server.threadCpuCores ?? server.eventLoopUtilization} of a core)${busy}, so its answers carry the machine's delays: run it on a quieter machine, or raise --time-scale, lower --scale`,
    )
  }
  if (causes.length === 0) return { scheduleKept: true, ...withServer }
  return { scheduleKept: false, cause: causes.join('; '), ...withServer }
}

/**
 * A client timeout is the harness's own doing when its delays reach this share of the timeout at
 * p99: a request in flight across such stalls (and the queue they build in the embedded server)
 * times out on the harness's account. Measured: beside three busy loops, overload-virginia's
 * schedule lag p99 was 1,300-1,500 ms and the embedded server's loop delay p99 ~260-290 ms against
 * a 2 s timeout; a silent service on a quiet machine shows ~16 ms of lag (its retries' churn).
 */
export const HARNESS_DELAY_TIMEOUT_SHARE = 0.1

/**
 * Whether the harness's own timers ran late enough to fire the client's timeouts themselves: the
 * load generator's sends or event loop, or the embedded server's loop, behind by at least a tenth
 * of the client's timeout at p99 — a machine short of CPU. A timeout then says nothing about the
 * service. A run that only ran out of VUs is no such run (a service that never answers holds every
 * VU), nor is one whose few ms of lateness stand beside a timeout of seconds.
 */
export function timersRanLate(health: HttpHealth, { clientTimeoutMs }: { clientTimeoutMs: number }): boolean {
  const delayMs = Math.max(health.scheduleLagP99Ms ?? 0, health.eventLoopDelayP99Ms, health.server?.eventLoopDelayP99Ms ?? 0)
  return delayMs >= HARNESS_DELAY_TIMEOUT_SHARE * clientTimeoutMs
}

function serverFigures(m: HarnessMeasurements): ServerThreadHealth {
  const wallS = Math.max(1e-9, m.wallMs / 1000)
  return {
    stalledShare: round(m.stalledMs / Math.max(1e-9, m.wallMs), 4),
    eventLoopDelayP99Ms: round(m.eventLoopDelayMs.p99Ms, 1),
    eventLoopDelayMaxMs: round(m.eventLoopDelayMs.maxMs, 1),
    eventLoopUtilization: round(m.eventLoopUtilization, 3),
    threadCpuCores: m.threadCpuMs === null ? null : round(m.threadCpuMs / 1000 / wallS, 3),
  }
}

/** What the figures say about why, and what to do about it. */
function diagnosis(m: HarnessMeasurements, figures: Pick<HttpHealth, 'threadCpuCores' | 'eventLoopUtilization' | 'loadAverage1m' | 'coresAvailable'>, droppedShare: number): string {
  const threadBusy = figures.threadCpuCores ?? figures.eventLoopUtilization
  const onlyDropped = m.late === 0 && droppedShare > DROPPED_SHARE_MAX && threadBusy < SATURATED_CORE_SHARE
  // The VU budget covers every operation within the client's retry horizon (vu-budget.ts): a drop means one outlived it.
  if (onlyDropped) return 'operations held their VUs past the client\'s retry horizon (its timeouts fired late): run it on a quieter machine, lower --scale, or raise maxVUs in the scenario (the VUs the run keeps at least)'
  if (threadBusy >= SATURATED_CORE_SHARE) {
    return `its thread was saturated (${threadBusy} of a core, event-loop utilization ${figures.eventLoopUtilization}): raise --time-scale, lower --scale or --connections`
  }
  const busy = figures.loadAverage1m > figures.coresAvailable ? `the machine is busy (load average ${figures.loadAverage1m} on ${figures.coresAvailable} cores) and ` : ''
  return `${busy}its thread got only ${threadBusy} of a core while its event loop was busy ${figures.eventLoopUtilization} of the time: run it on a quieter machine, or raise --time-scale, lower --scale or --connections`
}

function percent(share: number): string {
  return `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
