// The timeline of an http run, on the scenario clock once it starts: the faults switched on and
// off at their times (through the admin API when they need the target), a lag sample every time
// bucket, and the convergence probes from the end of the last disturbance until every region has
// caught up or the deadline passes. Every timer is kept, so a stop clears them all.
import type { History } from '../../../sim/history.ts'
import { lastDisturbanceEndMs } from '../../../sim/faults.ts'
import type { RunSetup } from '../run-setup.ts'
import type { AdminWatch } from './admin-watch.ts'
import type { HttpFaults } from './http-faults.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import type { ServerClock } from './server-clock.ts'
import { convergenceDeadlineMs, type WallPlan } from './wall-plan.ts'

/** One lag sample per time-series bucket. */
const LAG_SAMPLE_INTERVAL_MS = 1000

export interface RunTimelineOptions {
  readonly setup: RunSetup
  readonly history: History
  readonly clock: ScenarioClock
  readonly serverClock: ServerClock
  readonly stop: RunStop
  readonly faults: HttpFaults
  readonly adminWatch: AdminWatch
  readonly plan: WallPlan
}

export class RunTimeline {
  /** Resolves when the convergence probes are done (at once before they start). */
  probing: Promise<void> = Promise.resolve()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly options: RunTimelineOptions

  constructor(options: RunTimelineOptions) {
    this.options = options
    const { setup, history } = options
    const disturbanceEndMs = lastDisturbanceEndMs(setup.scenario.faults)
    history.convergenceFromMs = disturbanceEndMs > 0 ? disturbanceEndMs : setup.durationMs
  }

  /** Schedule everything, from the clock's start (call once it started). */
  start(): void {
    const { setup, history, clock, serverClock, faults, adminWatch, plan } = this.options
    for (const fault of setup.scenario.faults) {
      this.later(fault.startS * 1000, () => void faults.apply(fault, true))
      if (fault.kind !== 'bot-purge' && fault.kind !== 'inactive-purge') this.later(fault.endS * 1000, () => void faults.apply(fault, false))
    }
    for (let t = LAG_SAMPLE_INTERVAL_MS; t <= setup.durationMs; t += LAG_SAMPLE_INTERVAL_MS) this.later(t, () => void adminWatch.sample())
    const fromMs = history.convergenceFromMs as number
    // The deadline is the target's: in scenario ms it stretches when the target's clock is not compressed.
    const deadlineMs = (convergenceDeadlineMs(setup) * serverClock.wallMsPerServerMs) / clock.timeScale
    this.later(fromMs, () => {
      this.probing = adminWatch.probeUntilCaughtUp({ fromMs, deadlineMs, intervalWallMs: plan.probeIntervalWallMs })
    })
  }

  /** Cancel whatever has not fired yet. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  private later(scenarioMs: number, action: () => void): void {
    const { clock, stop } = this.options
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (!stop.stopped) action()
    }, clock.wallDelayMs(scenarioMs))
    this.timers.add(timer)
  }
}
