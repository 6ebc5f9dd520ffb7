// When each iteration of an arrival-rate executor starts, exactly as k6 schedules it (a pure
// function, tested without sockets).
//   constant-arrival-rate (lib/executor/constant_arrival_rate.go): iteration i starts at
//     i x timeUnit / rate, i = 0, 1, ...; the first at the scenario's start; none at or after
//     the end of its duration.
//   ramping-arrival-rate (lib/executor/ramping_arrival_rate.go, "cal"): the rate is piecewise
//     linear over the stages, from startRate; iteration i (counted from 1) starts when the area
//     under the rate curve reaches i. On a ramp from r0 to r1 over d, the area at x is
//     r0 x + (r1 - r0) x^2 / (2d), so x = (r0 d - sqrt(d (r0^2 d + 2 (i - done) (r1 - r0)))) / (r0 - r1).
export type ArrivalExecutor =
  | { readonly executor: 'constant-arrival-rate'; readonly rate: number; readonly timeUnitMs: number; readonly durationMs: number; readonly startTimeMs: number }
  | {
      readonly executor: 'ramping-arrival-rate'
      readonly startRate: number
      readonly timeUnitMs: number
      readonly stages: ReadonlyArray<{ readonly durationMs: number; readonly target: number }>
      readonly startTimeMs: number
    }

/** Start times (ms since the test began) of every iteration, in order. Bounded by the schedule's length. */
export function* arrivalTimesMs(executor: ArrivalExecutor): Generator<number, void, undefined> {
  if (executor.executor === 'constant-arrival-rate') {
    if (!(executor.rate > 0)) return
    const periodMs = executor.timeUnitMs / executor.rate
    for (let i = 0; ; i++) {
      const offsetMs = i * periodMs
      if (offsetMs >= executor.durationMs) return
      yield executor.startTimeMs + offsetMs
    }
  }
  // Rates per ms; `done` is the area (iterations) before the current stage. Like k6, nothing
  // starts at or after the end of the last stage.
  const totalMs = executor.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  let from = executor.startRate / executor.timeUnitMs
  let done = 0
  let end = 0
  let stageStartMs = 0
  let i = 1
  for (const stage of executor.stages) {
    const to = stage.target / executor.timeUnitMs
    const d = stage.durationMs
    if (from !== to) {
      end += d * ((to - from) / 2 + from)
      for (; i <= end + 1e-9; i++) {
        const root = Math.sqrt(Math.max(0, d * (from * from * d + 2 * (i - done) * (to - from))))
        const offsetMs = stageStartMs + (from * d - root) / (from - to)
        if (offsetMs >= totalMs) return
        yield executor.startTimeMs + offsetMs
      }
    } else {
      end += d * to
      for (; i <= end + 1e-9; i++) {
        const offsetMs = stageStartMs + (i - done) / to
        if (offsetMs >= totalMs) return
        yield executor.startTimeMs + offsetMs
      }
    }
    done = end
    from = to
    stageStartMs += d
  }
}

/** How many iterations start in each whole second of the schedule (for tests and reports). */
export function arrivalsPerSecond(executor: ArrivalExecutor): number[] {
  const counts: number[] = []
  for (const t of arrivalTimesMs(executor)) {
    const second = Math.floor(t / 1000 + 1e-9)
    while (counts.length <= second) counts.push(0)
    counts[second] = (counts[second] as number) + 1
  }
  return counts
}
