// What the driver reads from the target's admin state during a run: the clock offset of a target
// on its own clock (calibration), a replication-lag sample per time-series bucket, the
// convergence probes after the last fault, and whether its queues drained before the final reads.
// A sample or probe is stamped with the target's own time of the state (on the scenario clock),
// not with when its answer reached us: on a loaded machine our own delay in reading the answer is
// the harness's, not the system's.
import type { History } from '../../../sim/history.ts'
import { watermarks } from './answer-values.ts'
import type { AdminClient, AdminState } from './admin-client.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import type { ServerClock } from './server-clock.ts'
import { probeAgain } from '../../protocol/final-reads.ts'
import { QUEUE_DRAINED_MS, type WallPlan } from './wall-plan.ts'

export interface AdminWatchOptions {
  readonly admin: AdminClient | undefined
  readonly history: History
  readonly regions: readonly string[]
  readonly clock: ScenarioClock
  readonly serverClock: ServerClock
  readonly stop: RunStop
}

export class AdminWatch {
  /** False once the target has shown it has no usable admin API. */
  usable: boolean
  private readonly options: AdminWatchOptions

  constructor(options: AdminWatchOptions) {
    this.options = options
    this.usable = options.admin !== undefined
  }

  /** The admin client while it is usable. */
  get admin(): AdminClient | undefined {
    return this.usable ? this.options.admin : undefined
  }

  /** Read the state, refining the clock offset; undefined when the call failed or there is no admin API. */
  async calibrate(): Promise<AdminState | undefined> {
    const { admin, clock, serverClock } = this.options
    if (!this.usable || admin === undefined) return undefined
    const before = clock.nowMs()
    const answer = await admin.state()
    if (!answer.ok) return undefined
    serverClock.observe(before, clock.nowMs(), answer.value.nowMs)
    return answer.value
  }

  /** One replication-lag sample. */
  async sample(): Promise<void> {
    const state = await this.calibrate()
    if (state === undefined) return
    this.options.history.lagSamples.push({ atMs: this.stateMs(state), watermarkMs: watermarks(state, this.options.regions, this.options.serverClock) })
  }

  /**
   * Probe every `intervalWallMs` from now until every region's watermark passes `fromMs`, or the
   * deadline (scenario ms) passes, or the run stops.
   */
  async probeUntilCaughtUp({ fromMs, deadlineMs, intervalWallMs }: { fromMs: number; deadlineMs: number; intervalWallMs: number }): Promise<void> {
    const { history, regions, clock, serverClock, stop } = this.options
    while (!stop.stopped && this.usable) {
      const state = await this.calibrate()
      if (state !== undefined) {
        const atMs = this.stateMs(state)
        const marks = watermarks(state, regions, serverClock)
        history.probes.push({ atMs, watermarkMs: marks, digests: state.regions.map((r) => r.countsDigest) })
        if (!probeAgain({ atMs, fromMs, deadlineMs, caughtUp: marks.every((mark) => mark >= fromMs) })) return
      } else if (!probeAgain({ atMs: clock.nowMs(), fromMs, deadlineMs, caughtUp: false })) return
      await stop.until(intervalWallMs)
    }
  }

  /**
   * Poll every `intervalWallMs` until no region's requests wait more than `drainedMs` (the
   * target's ms: front door plus counter cache), for at most `waitMaxWallMs`. A
   * system that queues work past the end of the traffic (naive keeps 30 s) would otherwise answer
   * the final reads after the client gave up on them: mode sim reads its final state whatever
   * the queue, and Jepsen's final generator waits for the system to recover too. Undefined
   * without an admin API that reports the waits; otherwise the wall ms waited, whether the
   * queues drained and the longest wait left (the target's ms).
   */
  private async waitForDrainedQueues({ drainedMs, waitMaxWallMs, intervalWallMs }: { drainedMs: number; waitMaxWallMs: number; intervalWallMs: number }): Promise<{ waitedWallMs: number; drained: boolean; delayMs: number } | undefined> {
    const { stop } = this.options
    const fromMs = performance.now()
    for (;;) {
      const state = await this.calibrate()
      if (state === undefined) return undefined
      const delays = state.regions.map((r) => (r.queueDelayMs ?? NaN) + (r.cacheDelayMs ?? 0))
      if (delays.some((delay) => Number.isNaN(delay))) return undefined
      const delayMs = Math.max(0, ...delays)
      const waitedWallMs = performance.now() - fromMs
      if (delayMs <= drainedMs || waitedWallMs >= waitMaxWallMs || stop.stopped) return { waitedWallMs, drained: delayMs <= drainedMs, delayMs }
      await stop.until(intervalWallMs)
    }
  }

  /** Before the final reads: wait for the target's queues (when its admin state reports them); a note when it took a while or they did not drain. */
  async drainBeforeFinalReads(plan: Pick<WallPlan, 'queueDrainMaxWallMs' | 'probeIntervalWallMs'>): Promise<string | undefined> {
    const drain = await this.waitForDrainedQueues({ drainedMs: QUEUE_DRAINED_MS, waitMaxWallMs: plan.queueDrainMaxWallMs, intervalWallMs: plan.probeIntervalWallMs })
    if (drain === undefined || drain.waitedWallMs < plan.probeIntervalWallMs) return undefined
    const waitedS = (drain.waitedWallMs / this.options.serverClock.wallMsPerServerMs / 1000).toFixed(1)
    if (drain.drained) return `final reads: waited ${waitedS} s of the target's time for its queues to drain`
    return `final reads: the target's queues had not drained after ${waitedS} s of its time (requests still waited ${(drain.delayMs / 1000).toFixed(1)} s): final reads may time out`
  }

  /** The target's time of a state, on the scenario clock. */
  private stateMs(state: AdminState): number {
    return this.options.serverClock.toScenarioMs(state.nowMs)
  }
}
