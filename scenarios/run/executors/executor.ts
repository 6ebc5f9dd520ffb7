// The shape every k6 executor has here, as in k6 (lib/executor/*.go: a config, Validate()
// returning every problem, and how it schedules iterations): one file per executor, each exporting
// one of these. The open-model executors (arrival rates) schedule iteration start times
// (arrival-schedule.ts, k6's own arithmetic); the closed-model ones (VUs) schedule VUs.
import type { Scenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'

/** k6's default maxDuration of the iteration executors. */
export const DEFAULT_MAX_DURATION = '10m'
/** k6's default gracefulStop: how long iterations in flight at an executor's end may go on. */
export const DEFAULT_GRACEFUL_STOP = '30s'
const DEFAULT_GRACEFUL_STOP_MS = 30_000

/** The scenario's gracefulStop, ms (k6's default when absent). */
export function gracefulStopMs(options: Scenario): number {
  return parseDurationMs(options.gracefulStop ?? DEFAULT_GRACEFUL_STOP) ?? DEFAULT_GRACEFUL_STOP_MS
}

/** Where a scenario's problems are reported, and the LikeStorm scenario's length it must fit in. */
export interface ValidateContext {
  /** The options' path in messages, e.g. load.scenarios.sessions. */
  readonly at: string
  /** The LikeStorm scenario's duration; an arrival-rate executor must end within it. */
  readonly durationS: number
}

/** VUs an executor may use (as its options say, unscaled): the most at once, and how many it has ready at its start. */
export interface VuCounts {
  readonly max: number
  readonly preAllocated: number
}

/** How the VUs of a closed-model executor run. */
export interface VuSchedule {
  /** When its VUs start (ms from the test's start: the scenario's startTime). */
  readonly startMs: number
  /** When they stop taking iterations. */
  readonly endMs: number
  /** VUs it runs at most (VU i, from 0, exists from startMs). */
  readonly vuCount: number
  /** Whether VU `vu` takes iterations `elapsedMs` after startMs (ramping-vus ramps; the others keep every VU). */
  active(vu: number, elapsedMs: number): boolean
  /** Iterations each VU runs at most (Infinity: until endMs). */
  readonly iterationsPerVu: number
  /** Iterations all its VUs share (Infinity: no shared count). */
  readonly sharedIterations: number
}

interface ExecutorBase<S extends Scenario> {
  readonly name: S['executor']
  /** Every problem with the options, each naming its field (empty when valid). */
  validate(options: S, context: ValidateContext): string[]
  /** How long it runs from its startTime, ms (call on valid options). */
  spanMs(options: S): number
  vus(options: S): VuCounts
}

export interface OpenExecutor<S extends Scenario> extends ExecutorBase<S> {
  readonly model: 'open'
  /** When each iteration starts, ms from the test's start, at a scale of its rates (k6's schedule). */
  schedule(options: S, scale: number): Iterable<number>
}

export interface ClosedExecutor<S extends Scenario> extends ExecutorBase<S> {
  readonly model: 'closed'
  /** Its VUs at a scale of their counts. */
  schedule(options: S, scale: number): VuSchedule
}

export type Executor<S extends Scenario> = OpenExecutor<S> | ClosedExecutor<S>

/** A count at a scale: at least one. */
export function scaledCount(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale))
}

/** The scenario's startTime, ms (0 when absent or not a duration: validate reports that). */
export function startTimeMs(options: Scenario): number {
  return parseDurationMs(options.startTime ?? '0s') ?? 0
}

/** The sum of the stages' durations, ms; undefined when one is not a k6 duration. */
export function stagesSpanMs(stages: ReadonlyArray<{ readonly duration: string }>): number | undefined {
  let total = 0
  for (const stage of stages) {
    const ms = parseDurationMs(stage.duration)
    if (ms === undefined) return undefined
    total += ms
  }
  return total
}

/** Problems shared by the arrival-rate executors: startTime, timeUnit, and an end within the scenario. */
export function arrivalProblems(options: Scenario & { readonly timeUnit?: string }, spanMs: number | undefined, { at, durationS }: ValidateContext): string[] {
  const problems: string[] = []
  const startMs = parseDurationMs(options.startTime ?? '0s')
  if (startMs === undefined) problems.push(`${at}.startTime: not a k6 duration: ${String(options.startTime)}`)
  const unitMs = parseDurationMs(options.timeUnit ?? '1s')
  if (unitMs === undefined || unitMs <= 0) problems.push(`${at}.timeUnit: not a positive k6 duration`)
  if (spanMs === undefined) problems.push(`${at}: duration or stages are not k6 durations`)
  else if ((startMs ?? 0) + spanMs > durationS * 1000) problems.push(`${at}: ends at ${((startMs ?? 0) + spanMs) / 1000}s, after the scenario's ${durationS}s`)
  return problems
}

/** Problems shared by the VU executors: whole positive counts and a readable maxDuration. */
export function vuProblems(options: { readonly vus?: number; readonly iterations?: number; readonly maxDuration?: string }, at: string): string[] {
  const problems: string[] = []
  const positive = (value: number | undefined, field: string): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) problems.push(`${at}.${field}: must be a whole number >= 1`)
  }
  positive(options.vus, 'vus')
  positive(options.iterations, 'iterations')
  if (options.maxDuration !== undefined && parseDurationMs(options.maxDuration) === undefined) problems.push(`${at}.maxDuration: not a k6 duration`)
  return problems
}

/** VU counts of an arrival-rate executor: maxVUs (preAllocatedVUs when absent) at most, preAllocatedVUs ready. */
export function arrivalVus(options: { readonly preAllocatedVUs?: number; readonly maxVUs?: number }): VuCounts {
  const preAllocated = options.preAllocatedVUs ?? 1
  return { max: options.maxVUs ?? preAllocated, preAllocated }
}

/** The length of an arrival-rate executor's timeUnit, ms (k6's default 1s). */
export function timeUnitMs(options: { readonly timeUnit?: string }): number {
  return parseDurationMs(options.timeUnit ?? '1s') ?? 1000
}

/** The VUs of an iteration executor (per-vu-iterations, shared-iterations): `vus` VUs within maxDuration, counting iterations per VU or shared. */
export function iterationsSchedule(options: { readonly vus?: number; readonly iterations?: number; readonly maxDuration?: string; readonly startTime?: string }, scale: number, count: 'per-vu' | 'shared'): VuSchedule {
  const startMs = parseDurationMs(options.startTime ?? '0s') ?? 0
  const iterations = options.iterations ?? 1
  return {
    startMs,
    endMs: startMs + (parseDurationMs(options.maxDuration ?? DEFAULT_MAX_DURATION) ?? 0),
    vuCount: scaledCount(options.vus ?? 1, scale),
    active: () => true,
    // Per VU the iterations are not scaled (the VUs are); a shared count is.
    iterationsPerVu: count === 'per-vu' ? iterations : Infinity,
    sharedIterations: count === 'shared' ? scaledCount(iterations, scale) : Infinity,
  }
}
