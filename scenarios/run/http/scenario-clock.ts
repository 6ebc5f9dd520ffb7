// Mode http runs on the wall clock, compressed or stretched by --time-scale: scenario time runs
// 1/timeScale times as fast as the wall (0.5: a 120 s scenario takes 60 s). The embedded mock
// server runs on its own thread with a clock built on the same shared start (`share`), so its
// replication, queues and `asOfMs` speak the driver's scenario time exactly.
//
// The start instant is kept as `performance.timeOrigin + performance.now()` (absolute ms): each
// thread has its own timeOrigin, but that sum is the same clock in every thread of the process
// (measured: two threads agree within a microsecond), while performance.now() alone is not.
import type { Clock } from '../../../mock-server/http/clock.ts'

/** The start instant (a float64, absolute ms) and then its generation (an int32, bumped by every restart). */
const SHARE_BYTES = 16
const GENERATION_OFFSET_BYTES = 8

export class ScenarioClock implements Clock {
  readonly timeScale: number
  /** Shared with the clocks of other threads built on it: every restart moves them all. */
  readonly share: SharedArrayBuffer
  private readonly start: Float64Array
  private readonly generation: Int32Array
  /** This thread's copy of the start, as performance.now() reads it, and the generation it is of. */
  private startWall: number
  private seenGeneration: number

  /** A new clock started now, or (with `share`) the clock another thread started. */
  constructor(timeScale: number, share?: SharedArrayBuffer) {
    if (!(timeScale > 0)) throw new Error(`scenario clock: time scale must be > 0, got ${timeScale}`)
    if (share !== undefined && share.byteLength !== SHARE_BYTES) throw new Error(`scenario clock: a share is ${SHARE_BYTES} bytes, got ${share.byteLength}`)
    this.timeScale = timeScale
    this.share = share ?? new SharedArrayBuffer(SHARE_BYTES)
    this.start = new Float64Array(this.share, 0, 1)
    this.generation = new Int32Array(this.share, GENERATION_OFFSET_BYTES, 1)
    if (share === undefined) this.publish(performance.timeOrigin + performance.now())
    this.seenGeneration = Atomics.load(this.generation, 0)
    this.startWall = (this.start[0] as number) - performance.timeOrigin
  }

  /** performance.now() (this thread's) at the start (scenario time 0). */
  get startWallMs(): number {
    return this.currentStartWall()
  }

  /** Scenario milliseconds since the start. */
  nowMs(): number {
    return (performance.now() - this.currentStartWall()) / this.timeScale
  }

  /** Start counting from 0 now (called just before the first operation), in every thread sharing the clock. */
  restart(): void {
    this.publish(performance.timeOrigin + performance.now())
  }

  /** Wall milliseconds from now until a scenario time. */
  wallDelayMs(scenarioMs: number): number {
    return Math.max(0, (scenarioMs - this.nowMs()) * this.timeScale)
  }

  /** Scenario milliseconds of a wall duration. */
  toScenarioMs(wallMs: number): number {
    return wallMs / this.timeScale
  }

  /** The start is written before its generation is bumped (Atomics orders the two): a thread that sees the new generation reads the new start. */
  private publish(startAbsoluteMs: number): void {
    this.start[0] = startAbsoluteMs
    Atomics.add(this.generation, 0, 1)
  }

  private currentStartWall(): number {
    const generation = Atomics.load(this.generation, 0)
    if (generation !== this.seenGeneration) {
      this.seenGeneration = generation
      this.startWall = (this.start[0] as number) - performance.timeOrigin
    }
    return this.startWall
  }
}
