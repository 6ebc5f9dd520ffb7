// The server's clock: monotonic milliseconds since the world started (server start or the last
// reset). This is the only module of the HTTP layer that reads a clock; the core is handed the
// time it returns, as the sim hands the core its virtual time.

export interface Clock {
  /** Milliseconds since the world started; never goes backwards. */
  nowMs(): number
  /** Start a new world: nowMs() counts from 0 again (the core it feeds is replaced with it). */
  restart(): void
}

export class MonotonicClock implements Clock {
  private startMs = performance.now()

  nowMs(): number {
    return performance.now() - this.startMs
  }

  restart(): void {
    this.startMs = performance.now()
  }
}

/** A clock the caller moves by hand (tests). */
export class ManualClock implements Clock {
  private currentMs: number

  constructor(startMs = 0) {
    this.currentMs = startMs
  }

  nowMs(): number {
    return this.currentMs
  }

  advance(ms: number): void {
    if (ms > 0) this.currentMs += ms
  }

  restart(): void {
    this.currentMs = 0
  }
}
