// What watches an http run while it goes: progress reports, the hard bound on its wall time, the
// signal that interrupts it, and the abortOnFail thresholds (judged on the history as it grows,
// as k6 judges them during a run).
import type { History } from '../../../sim/history.ts'
import { parseThresholds } from '../threshold.ts'
import type { RunSetup } from '../run-setup.ts'
import { AbortWatch } from './abort-watch.ts'
import type { HttpFaults } from './http-faults.ts'
import type { OperationSender } from './operation-sender.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'

/** How often abortOnFail thresholds are judged (k6 judges thresholds every 2 s). */
const ABORT_EVAL_INTERVAL_MS = 1000
const PROGRESS_INTERVAL_MS = 500

export interface HttpProgress {
  readonly phase: 'traffic' | 'draining' | 'final'
  readonly scenarioMs: number
  readonly durationMs: number
  readonly attempts: number
  readonly failed: number
  readonly ratePerS: number
  readonly activeFaults: readonly string[]
}

/** The bound on the run's wall time, and the line that says it was reached. */
export interface WallBound {
  readonly ms: number
  readonly detail: string
}

export interface RunWatchOptions {
  readonly setup: RunSetup
  readonly history: History
  readonly clock: ScenarioClock
  readonly stop: RunStop
  readonly sender: OperationSender
  readonly faults: HttpFaults
  readonly durationMax: WallBound
  readonly signal: AbortSignal | undefined
  readonly onProgress: ((progress: HttpProgress) => void) | undefined
}

export class RunWatch {
  phase: HttpProgress['phase'] = 'traffic'
  /** The abortOnFail threshold that stopped the run, with what it observed. */
  abortedBy: string | undefined
  private readonly progress: NodeJS.Timeout
  private readonly hardStop: NodeJS.Timeout
  private readonly watching: NodeJS.Timeout | undefined
  private readonly unfollow: () => void

  constructor(options: RunWatchOptions) {
    const { setup, history, clock, stop, sender, faults } = options
    let lastAttempts = 0
    let lastProgressWall = performance.now()
    this.progress = setInterval(() => {
      const now = performance.now()
      const ratePerS = ((sender.attempts - lastAttempts) * 1000) / Math.max(1, now - lastProgressWall)
      lastAttempts = sender.attempts
      lastProgressWall = now
      options.onProgress?.({ phase: this.phase, scenarioMs: clock.nowMs(), durationMs: setup.durationMs, attempts: sender.attempts, failed: sender.failedAttempts, ratePerS, activeFaults: [...faults.active] })
    }, PROGRESS_INTERVAL_MS)
    this.hardStop = setTimeout(() => stop.stop({ kind: 'time-limit', detail: options.durationMax.detail }), options.durationMax.ms)
    this.unfollow = stop.follow(options.signal)
    const watch = new AbortWatch({ thresholds: parseThresholds(setup.scenario.load.thresholds), regionIds: setup.population.regionIds, scenario: setup.scenario.name, timeScale: clock.timeScale })
    this.watching = watch.active
      ? setInterval(() => {
          if (stop.stopped) return
          this.abortedBy = watch.check(history, clock.nowMs() * clock.timeScale)
          if (this.abortedBy !== undefined) stop.stop({ kind: 'abort-on-fail', detail: this.abortedBy })
        }, ABORT_EVAL_INTERVAL_MS)
      : undefined
  }

  close(): void {
    clearInterval(this.progress)
    clearInterval(this.watching)
    clearTimeout(this.hardStop)
    this.unfollow()
  }
}
