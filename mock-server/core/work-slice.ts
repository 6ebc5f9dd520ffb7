// Long computations of the core (detection, purges) written as generators that yield between
// slices of work, so that a caller on an event loop can serve other requests in between: the core
// keeps no timers, and the caller decides when the next slice runs (setImmediate in the HTTP
// layer) or runs every slice at once (the sim). A slice is counted in work units (a log entry
// scanned, a like removed, a pair compared), never in time.

/** One slice's budget of work units; `tick` says when the slice is spent (then the generator yields). */
export class WorkSlice {
  readonly unitsPerSlice: number
  private left: number

  /** @param unitsPerSlice Infinity: never yield (the whole computation is one slice) */
  constructor(unitsPerSlice: number) {
    if (!(unitsPerSlice >= 1)) throw new Error(`a work slice needs at least one unit, got ${unitsPerSlice}`)
    this.unitsPerSlice = unitsPerSlice
    this.left = unitsPerSlice
  }

  /** Spend `units` (one by default); true when the slice is spent, and the next one begins. */
  tick(units = 1): boolean {
    this.left -= units
    if (this.left > 0) return false
    this.left = this.unitsPerSlice
    return true
  }
}

/** A step generator: yields between slices, returns its result. */
export type Steps<T> = Generator<void, T, void>

/** Run a step generator to its end in one go (what an in-process caller does). */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/** A slice that never ends: for callers that run a step generator at once. */
export const WHOLE = (): WorkSlice => new WorkSlice(Number.POSITIVE_INFINITY)
