// The open model on the wall clock: tasks start when they are due, whatever happened to the ones
// before (a stalled server does not slow the schedule down, as it would a closed loop: that is
// coordinated omission). A task needs a VU of the budget (vu-budget.ts); with none left it is
// dropped and counted (k6's dropped_iterations). Timers fire at most every millisecond; every task
// due by then starts.

const STOP_POLL_MS = 100

export interface OpenModelOptions<T> {
  /** Next task and when it is due (wall ms since the start), or undefined when there is none. */
  readonly next: () => { readonly dueMs: number; readonly task: T } | undefined
  readonly run: (task: T, dueMs: number) => Promise<void>
  readonly onDropped: (task: T, dueMs: number) => void
  /** Says whether a task due now may take a VU while so many are busy. */
  readonly vus: { admit(busy: number, nowMs: number): boolean }
  /** Wall ms since the start (performance.now() based). */
  readonly nowMs: () => number
  readonly isStopped: () => boolean
  /** Each task released (started or dropped), with how late it was against its due time, wall ms. */
  readonly onReleased?: (lateMs: number) => void
}

export interface OpenModelOutcome {
  readonly started: number
  readonly dropped: number
  readonly peakVus: number
  /** Resolves when every started task has finished. */
  readonly settled: Promise<void>
}

/** Release every task at its time; resolves when the schedule is exhausted or stopped. */
export function runOpenModel<T>(options: OpenModelOptions<T>): Promise<OpenModelOutcome> {
  let started = 0
  let dropped = 0
  let busy = 0
  let peakVus = 0
  const running = new Set<Promise<void>>()
  let pending = options.next()
  return new Promise((resolve) => {
    const done = (): void => resolve({ started, dropped, peakVus, settled: Promise.all(running).then(() => undefined) })
    const release = (): void => {
      if (options.isStopped()) return done()
      const now = options.nowMs()
      while (pending !== undefined && pending.dueMs <= now) {
        const { task, dueMs } = pending
        pending = options.next()
        // Read the clock again: the tasks released before this one in the batch took time too.
        if (options.onReleased !== undefined) options.onReleased(options.nowMs() - dueMs)
        if (!options.vus.admit(busy, now)) {
          dropped++
          options.onDropped(task, dueMs)
          continue
        }
        busy++
        started++
        if (busy > peakVus) peakVus = busy
        const promise = options.run(task, dueMs).finally(() => {
          busy--
          running.delete(promise)
        })
        running.add(promise)
      }
      if (pending === undefined) return done()
      // Wake at least every 100 ms, so a stop is seen even when the next task is far off.
      setTimeout(release, Math.min(STOP_POLL_MS, Math.max(0, pending.dueMs - options.nowMs())))
    }
    release()
  })
}
