// Mode http runs on the wall clock, compressed or stretched by --time-scale: scenario time runs
// 1/timeScale times as fast as the wall (0.5: a 120 s scenario takes 60 s). The embedded mock
// server is handed the same clock, so its replication, queues and `asOfMs` speak scenario time.
import type { Clock } from '../../../mock-server/http/clock.ts'

export class ScenarioClock implements Clock {
  readonly timeScale: number
  private startWall = performance.now()

  constructor(timeScale: number) {
    if (!(timeScale > 0)) throw new Error(`scenario clock: time scale must be > 0, got ${timeScale}`)
    this.timeScale = timeScale
  }

  /** performance.now() at the start (scenario time 0). */
  get startWallMs(): number {
    return this.startWall
  }

  /** Scenario milliseconds since the start. */
  nowMs(): number {
    return (performance.now() - this.startWall) / this.timeScale
  }

  /** Start counting from 0 now (called just before the first operation). */
  restart(): void {
    this.startWall = performance.now()
  }

  /** Wall milliseconds from now until a scenario time. */
  wallDelayMs(scenarioMs: number): number {
    return Math.max(0, (scenarioMs - this.nowMs()) * this.timeScale)
  }

  /** Scenario milliseconds of a wall duration. */
  toScenarioMs(wallMs: number): number {
    return wallMs / this.timeScale
  }
}
