// The k6 executors LikeStorm runs, by name: one file each (validate, span, VUs, schedule).
import type { Scenario } from 'k6/options'
import { constantArrivalRate } from './constant-arrival-rate.ts'
import { constantVus } from './constant-vus.ts'
import { scaledCount, type ClosedExecutor, type Executor, type OpenExecutor, type ValidateContext, type VuCounts, type VuSchedule } from './executor.ts'
import { perVuIterations } from './per-vu-iterations.ts'
import { rampingArrivalRate } from './ramping-arrival-rate.ts'
import { rampingVus } from './ramping-vus.ts'
import { sharedIterations } from './shared-iterations.ts'

export { DEFAULT_GRACEFUL_STOP, gracefulStopMs } from './executor.ts'
export type { ClosedExecutor, Executor, OpenExecutor, ValidateContext, VuCounts, VuSchedule } from './executor.ts'

type ExecutorName = Scenario['executor']

const EXECUTORS: { readonly [N in ExecutorName]: Executor<Extract<Scenario, { executor: N }>> } = {
  'shared-iterations': sharedIterations,
  'per-vu-iterations': perVuIterations,
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
}

/** Every executor's name, in k6's documentation order. */
export const K6_EXECUTORS = Object.keys(EXECUTORS) as ExecutorName[]

/** The open-model (arrival-rate) executors' names. */
export const ARRIVAL_RATE_EXECUTORS = K6_EXECUTORS.filter((name) => EXECUTORS[name].model === 'open')

/** A scenario bound to its executor, so callers need not narrow its options themselves. */
export interface BoundExecutor {
  readonly name: ExecutorName
  readonly model: 'open' | 'closed'
  validate(context: ValidateContext): string[]
  spanMs(): number
  vus(): VuCounts
  /** Open model: iteration start times; undefined for a closed-model executor. */
  arrivals(scale: number): Iterable<number> | undefined
  /** Closed model: its VUs; undefined for an open-model executor. */
  vuSchedule(scale: number): VuSchedule | undefined
}

/** The executor of a scenario's options; undefined for a name k6 does not have. */
export function executorOf(options: Scenario): BoundExecutor | undefined {
  const executor = (EXECUTORS as Readonly<Record<string, Executor<Scenario>>>)[options.executor]
  if (executor === undefined) return undefined
  return {
    name: executor.name,
    model: executor.model,
    validate: (context) => executor.validate(options, context),
    spanMs: () => executor.spanMs(options),
    vus: () => executor.vus(options),
    arrivals: (scale) => (executor.model === 'open' ? (executor as OpenExecutor<Scenario>).schedule(options, scale) : undefined),
    vuSchedule: (scale) => (executor.model === 'closed' ? (executor as ClosedExecutor<Scenario>).schedule(options, scale) : undefined),
  }
}

/** The executors of a load's scenarios (those k6 knows). */
export function executorsOf(scenarios: Readonly<Record<string, Scenario>> | undefined): BoundExecutor[] {
  return Object.values(scenarios ?? {}).flatMap((options) => executorOf(options) ?? [])
}

/** VUs the load may use at a scale, and those it has ready at its start: summed over its scenarios, then scaled (at least 1). */
export function loadVus(scenarios: Readonly<Record<string, Scenario>> | undefined, scale: number): VuCounts {
  let max = 0
  let preAllocated = 0
  for (const executor of executorsOf(scenarios)) {
    const vus = executor.vus()
    max += vus.max
    preAllocated += vus.preAllocated
  }
  return { max: scaledCount(max, scale), preAllocated: scaledCount(preAllocated, scale) }
}
