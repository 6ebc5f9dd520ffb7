// The k6 `options` of an export: the scenario's own k6 Options (executors, thresholds) as they
// are, plus two scenarios of LikeStorm's: `likestorm_faults` (one VU that switches the fault
// timeline through the admin API at its times, samples the target's state and probes
// convergence) and `likestorm_final` (the final phase: every video, liked list and inbox read once
// the run is over). Both have a single VU or a fixed number of shared iterations, so they run once
// in total whatever the number of k6 instances (k6 splits VUs and iterations between execution
// segments).
//
// --scale multiplies the world's offered load, as it multiplies its population and capacities:
// at --scale 1 (the default) the scenario's executors are exported unchanged; at another scale the
// arrival rates and VU counts are multiplied by it (as mode http scales them), so that the k6
// iterations match the world's sessions instead of sleeping VUs piling up or sessions going unsent.
import type { Options, Scenario as K6Scenario } from 'k6/options'
import { formatDurationS, parseDurationMs } from '../k6-duration.ts'
import { sessionRateProfile } from '../load-profile.ts'
import { DEFAULT_GRACEFUL_STOP, executorOf, gracefulStopMs } from '../run/executors/index.ts'

export const FAULTS_SCENARIO = 'likestorm_faults'
export const FINAL_SCENARIO = 'likestorm_final'
export const FAULTS_EXEC = 'likestormFaults'
export const FINAL_EXEC = 'likestormFinal'
/** VUs of the final phase (each paced so that together they stay under the smallest region's capacity). */
export const FINAL_VUS_MAX = 8


/** Why the scenario's load cannot be exported as it is (empty when it can). */
export function unsupportedLoad(load: Options): string[] {
  const problems: string[] = []
  const scenarios = load.scenarios ?? {}
  if (Object.keys(scenarios).length === 0) problems.push('load.scenarios: the export needs at least one k6 scenario')
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (name.startsWith('likestorm_')) problems.push(`load.scenarios.${name}: names starting with likestorm_ are the export's own`)
    if (scenario.exec !== undefined) problems.push(`load.scenarios.${name}.exec: the export runs every scenario through its default function; remove exec`)
  }
  for (const field of ['duration', 'iterations', 'stages', 'vus'] as const) {
    if (load[field] !== undefined) problems.push(`load.${field}: use load.scenarios (the export adds scenarios of its own, which k6 does not combine with the shortcut options)`)
  }
  return problems
}

/** The scenario's load at a scale: arrival rates and VU counts multiplied, everything else as it is. */
export function scaleLoad(load: Options, scale: number): Options {
  const copy = JSON.parse(JSON.stringify(load)) as Options
  if (scale === 1 || copy.scenarios === undefined) return copy
  const vus = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.max(1, Math.round(n * scale)))
  const scenarios: Record<string, K6Scenario> = {}
  for (const [name, scenario] of Object.entries(copy.scenarios)) {
    switch (scenario.executor) {
      case 'constant-arrival-rate': {
        const unit = integralRates([scenario.rate * scale], parseDurationMs(scenario.timeUnit ?? '1s') ?? 1000)
        scenarios[name] = { ...scenario, rate: unit.rates[0] as number, timeUnit: unit.timeUnit, preAllocatedVUs: vus(scenario.preAllocatedVUs) as number, ...optional('maxVUs', vus(scenario.maxVUs)) }
        break
      }
      case 'ramping-arrival-rate': {
        const raw = [(scenario.startRate ?? 0) * scale, ...scenario.stages.map((stage) => stage.target * scale)]
        const unit = integralRates(raw, parseDurationMs(scenario.timeUnit ?? '1s') ?? 1000)
        scenarios[name] = {
          ...scenario,
          startRate: unit.rates[0] as number,
          stages: scenario.stages.map((stage, i) => ({ ...stage, target: unit.rates[i + 1] as number })),
          timeUnit: unit.timeUnit,
          preAllocatedVUs: vus(scenario.preAllocatedVUs) as number,
          ...optional('maxVUs', vus(scenario.maxVUs)),
        }
        break
      }
      case 'ramping-vus':
        scenarios[name] = { ...scenario, stages: scenario.stages.map((stage) => ({ ...stage, target: Math.round(stage.target * scale) })), ...optional('startVUs', vus(scenario.startVUs)) }
        break
      case 'shared-iterations':
        scenarios[name] = { ...scenario, ...optional('vus', vus(scenario.vus)), ...optional('iterations', vus(scenario.iterations)) }
        break
      default:
        scenarios[name] = { ...scenario, ...optional('vus', vus(scenario.vus)) }
    }
  }
  return { ...copy, scenarios }
}

/**
 * The arrival-rate scenarios with the VUs their schedule needs (session-deal.ts, vuBudget) as
 * both preAllocatedVUs and maxVUs: k6 then has every VU from the start and never drops an
 * iteration for want of one on a machine that keeps up. The scenario's own VU numbers are
 * replaced: they were sized for iterations that start when due, not ones that wait for their session.
 */
export function withVuBudget(load: Options, vus: Readonly<Record<string, number>>): Options {
  const scenarios: Record<string, K6Scenario> = {}
  for (const [name, scenario] of Object.entries(load.scenarios ?? {})) {
    const budget = vus[name]
    const arrival = scenario.executor === 'constant-arrival-rate' || scenario.executor === 'ramping-arrival-rate'
    scenarios[name] = arrival && budget !== undefined ? { ...scenario, preAllocatedVUs: budget, maxVUs: budget } : scenario
  }
  return { ...load, scenarios }
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number }
}

/**
 * k6 takes whole numbers of iterations per timeUnit: stretch the unit by 10, 100 or 1000 until
 * the scaled rates are whole (within rounding noise), or round them at the largest unit.
 */
function integralRates(rates: readonly number[], unitMs: number): { rates: number[]; timeUnit: string } {
  for (const factor of [1, 10, 100, 1000]) {
    const scaled = rates.map((rate) => rate * factor)
    if (scaled.every((rate) => Math.abs(rate - Math.round(rate)) < 1e-6) || factor === 1000) {
      // A constant rate must stay positive; a ramp may start from or go down to 0.
      return { rates: scaled.map((rate) => (rates.length === 1 ? Math.max(1, Math.round(rate)) : Math.round(rate))), timeUnit: formatDurationS((unitMs * factor) / 1000) }
    }
  }
  throw new Error('unreachable')
}

/** When the last k6 scenario running sessions has stopped: its end plus its gracefulStop. */
export function sessionScenariosEndMs(load: Options, durationMs: number): number {
  let end = durationMs
  for (const scenario of Object.values(load.scenarios ?? {})) {
    const startMs = parseDurationMs(scenario.startTime ?? '0s') ?? 0
    end = Math.max(end, startMs + (executorOf(scenario)?.spanMs() ?? 0) + gracefulStopMs(scenario))
  }
  return end
}

/** Iterations the arrival-rate executors start over the run (what the workload's sessions are dealt against); null with VU executors. */
export function arrivalIterations(load: Options): number | null {
  const scenarios = Object.values(load.scenarios ?? {})
  if (scenarios.some((s) => s.executor !== 'constant-arrival-rate' && s.executor !== 'ramping-arrival-rate')) return null
  const knots = sessionRateProfile(load, 1).knots
  let total = 0
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1] as { tS: number; ratePerS: number }
    const b = knots[i] as { tS: number; ratePerS: number }
    total += ((a.ratePerS + b.ratePerS) / 2) * (b.tS - a.tS)
  }
  return Math.round(total)
}

export interface ExtraScenarios {
  /** The faults VU runs from 0 until this long (its maxDuration). */
  readonly faultsMaxDurationMs: number
  readonly finalStartMs: number
  readonly finalIterations: number
  readonly finalMaxDurationMs: number
}

/** The scenario's load (already scaled) with LikeStorm's two scenarios added; thresholds as they are. */
export function exportOptions(load: Options, extra: ExtraScenarios): Options {
  const scenarios: Record<string, K6Scenario> = { ...(load.scenarios ?? {}) }
  scenarios[FAULTS_SCENARIO] = {
    executor: 'per-vu-iterations',
    vus: 1,
    iterations: 1,
    startTime: '0s',
    maxDuration: durationText(extra.faultsMaxDurationMs),
    gracefulStop: '5s',
    exec: FAULTS_EXEC,
  }
  if (extra.finalIterations > 0) {
    scenarios[FINAL_SCENARIO] = {
      executor: 'shared-iterations',
      vus: Math.min(FINAL_VUS_MAX, extra.finalIterations),
      iterations: extra.finalIterations,
      startTime: durationText(extra.finalStartMs),
      maxDuration: durationText(extra.finalMaxDurationMs),
      gracefulStop: DEFAULT_GRACEFUL_STOP,
      exec: FINAL_EXEC,
    }
  }
  return { ...load, scenarios }
}

/** Whole seconds (k6 durations), rounded up. */
export function durationText(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`
}
