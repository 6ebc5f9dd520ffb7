// The load generator watching itself while it drives traffic: how late the open model sent each
// operation against its due time (schedule lag), how late the event loop ran its timers
// (perf_hooks.monitorEventLoopDelay), how busy the loop was (event-loop utilization), the
// arrivals dropped for want of a free VU, and the CPU the process and this thread got against the
// wall time. An edge: it reads clocks and /proc; what the figures mean is harness-health.ts's call.
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks'
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.ts'

/** The event-loop delay monitor's sampling period, ms: fine enough for the 10 ms a late send is judged by. */
const LOOP_DELAY_RESOLUTION_MS = 5

export interface HarnessMeasurements {
  /** Wall time measured over (the traffic phase), ms. */
  readonly wallMs: number
  /** Operations the open model released (sent or dropped); 0 in the closed model, which has no schedule. */
  readonly released: number
  /** Of those, how many were sent more than `lateThresholdMs` after their due time. */
  readonly late: number
  readonly lateThresholdMs: number
  /** Wall ms between an operation's due time and its release. */
  readonly scheduleLagMs: LatencySummary
  /** Arrivals with every VU busy (k6's dropped_iterations). */
  readonly dropped: number
  readonly eventLoopDelayMs: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number }
  /** Share of the wall time this thread's event loop was busy (0..1). */
  readonly eventLoopUtilization: number
  /** CPU time of the whole process (every thread), ms. */
  readonly processCpuMs: number
  /** CPU time of this thread (the one driving the traffic), ms; null where the OS does not say. */
  readonly threadCpuMs: number | null
  readonly coresAvailable: number
  /** The machine's one-minute load average at the end (0 where the OS has none). */
  readonly loadAverage1m: number
  /**
   * Wall time the event loop spent stalled past `lateThresholdMs` (a timer that fired that late
   * counts its lateness): anything the thread was to do in that time was at least that late.
   */
  readonly stalledMs: number
}

export class HarnessMonitor {
  private readonly lag = new LatencyHistogram()
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS })
  private readonly lateThresholdMs: number
  private released = 0
  private late = 0
  private dropped = 0
  private startWall = 0
  private startElu: EventLoopUtilization | undefined
  private startCpu: NodeJS.CpuUsage | undefined
  private startThreadCpuMs: number | null = null
  private result: HarnessMeasurements | undefined
  private stallTimer: NodeJS.Timeout | undefined
  private lastTickMs = 0
  private stalledMs = 0

  /** @param lateThresholdMs a send later than this after its due time counts as late (wall ms) */
  constructor({ lateThresholdMs }: { lateThresholdMs: number }) {
    this.lateThresholdMs = lateThresholdMs
  }

  start(): void {
    this.loopDelay.enable()
    this.startWall = performance.now()
    this.startElu = performance.eventLoopUtilization()
    this.startCpu = process.cpuUsage()
    this.startThreadCpuMs = threadCpuMs()
    // The delay histogram keeps one sample per stall however long it was; this sums their time.
    this.lastTickMs = this.startWall
    this.stallTimer = setInterval(() => {
      const now = performance.now()
      const lateMs = now - this.lastTickMs - LOOP_DELAY_RESOLUTION_MS
      if (lateMs > this.lateThresholdMs) this.stalledMs += lateMs
      this.lastTickMs = now
    }, LOOP_DELAY_RESOLUTION_MS)
    this.stallTimer.unref()
  }

  /** An operation of the open model released `lateMs` after its due time. */
  release(lateMs: number): void {
    this.released++
    this.lag.record(Math.max(0, lateMs))
    if (lateMs > this.lateThresholdMs) this.late++
  }

  /** An arrival found every VU busy. */
  droppedOne(): void {
    this.dropped++
  }

  /** Stop measuring (the first call counts; later ones return the same figures). */
  stop(): HarnessMeasurements {
    if (this.result !== undefined) return this.result
    this.loopDelay.disable()
    clearInterval(this.stallTimer)
    const wallMs = performance.now() - this.startWall
    const cpu = process.cpuUsage(this.startCpu)
    const endThreadCpuMs = threadCpuMs()
    // The monitor records the whole interval between its timer's runs: the delay is what exceeds its period.
    const ns = (value: number): number => (Number.isFinite(value) ? Math.max(0, value / 1e6 - LOOP_DELAY_RESOLUTION_MS) : 0)
    this.result = {
      wallMs,
      released: this.released,
      late: this.late,
      lateThresholdMs: this.lateThresholdMs,
      scheduleLagMs: this.lag.summary(),
      dropped: this.dropped,
      eventLoopDelayMs: { p50Ms: ns(this.loopDelay.percentile(50)), p99Ms: ns(this.loopDelay.percentile(99)), maxMs: ns(this.loopDelay.max) },
      eventLoopUtilization: performance.eventLoopUtilization(this.startElu).utilization,
      processCpuMs: (cpu.user + cpu.system) / 1000,
      threadCpuMs: endThreadCpuMs === null || this.startThreadCpuMs === null ? null : endThreadCpuMs - this.startThreadCpuMs,
      coresAvailable: availableParallelism(),
      loadAverage1m: loadavg()[0] ?? 0,
      stalledMs: this.stalledMs,
    }
    return this.result
  }
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux build that matters). */
const USER_HZ = 100

/**
 * CPU time of the calling thread, ms (Linux: /proc/thread-self/stat, fields 14 and 15); null
 * elsewhere. Node 20 has no per-thread cpuUsage, and the process's figure also counts the tour's
 * sim thread and libuv's pool.
 */
function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1')
    // The command name (field 2) may hold spaces; the fields after it follow its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null
  } catch {
    return null
  }
}
