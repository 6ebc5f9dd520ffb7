// From a scenario's k6 options to the world's offered session rate. Each arrival-rate executor
// contributes `rate` iterations per `timeUnit`: constant over its duration, or linear between its
// stages (k6 ramping-arrival-rate interpolates linearly from one stage target to the next).
// Mode sim drives the open model only: VU-based executors (closed model) are refused there.
import type { Options } from 'k6/options'
import { RateProfile, type RateKnot } from '../sim/rate-profile.ts'
import { parseDurationMs } from './k6-duration.ts'

export const ARRIVAL_RATE_EXECUTORS = ['constant-arrival-rate', 'ramping-arrival-rate'] as const
export const K6_EXECUTORS = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const

type Scenarios = NonNullable<Options['scenarios']>
type AnyScenario = Scenarios[string]

/**
 * Every problem with the load profile (empty when valid). Mode sim drives the open model only;
 * mode http also runs VU executors (the closed model), but not both kinds in one scenario.
 */
export function validateLoad(load: Options, durationS: number, { mode = 'sim', prefix = 'load' }: { mode?: 'sim' | 'http'; prefix?: string } = {}): string[] {
  const problems: string[] = []
  const scenarios = load.scenarios
  if (scenarios === undefined || Object.keys(scenarios).length === 0) {
    problems.push(`${prefix}.scenarios: at least one k6 scenario is required`)
    return problems
  }
  const kinds = new Set(Object.values(scenarios).map((s) => (ARRIVAL_RATE_EXECUTORS.includes(s.executor as (typeof ARRIVAL_RATE_EXECUTORS)[number]) ? 'open' : 'closed')))
  if (mode === 'http' && kinds.size > 1) problems.push(`${prefix}.scenarios: mode http drives either arrival-rate executors (open model) or VU executors (closed model), not both at once`)
  for (const [name, scenario] of Object.entries(scenarios)) {
    const at = `${prefix}.scenarios.${name}`
    const executor = (scenario as { executor?: unknown }).executor
    if (!K6_EXECUTORS.includes(executor as (typeof K6_EXECUTORS)[number])) {
      problems.push(`${at}.executor: unknown executor ${String(executor)}; allowed: ${K6_EXECUTORS.join(', ')}`)
      continue
    }
    if (!ARRIVAL_RATE_EXECUTORS.includes(executor as (typeof ARRIVAL_RATE_EXECUTORS)[number])) {
      if (mode === 'sim') {
        problems.push(`${at}.executor: ${String(executor)} is a closed-model executor; mode sim drives ${ARRIVAL_RATE_EXECUTORS.join(' and ')} only (run it with --mode http)`)
        continue
      }
      problems.push(...validateVuExecutor(scenario as { executor: string; vus?: number; iterations?: number; duration?: string; maxDuration?: string; stages?: Array<{ duration: string; target: number }> }, at))
      continue
    }
    const startMs = parseDurationMs(scenario.startTime ?? '0s')
    if (startMs === undefined) problems.push(`${at}.startTime: not a k6 duration: ${String(scenario.startTime)}`)
    const unitMs = parseDurationMs((scenario as { timeUnit?: string }).timeUnit ?? '1s')
    if (unitMs === undefined || unitMs <= 0) problems.push(`${at}.timeUnit: not a positive k6 duration`)
    const spanMs = scenarioSpanMs(scenario)
    if (spanMs === undefined) problems.push(`${at}: duration or stages are not k6 durations`)
    else if ((startMs ?? 0) + spanMs > durationS * 1000) problems.push(`${at}: ends at ${((startMs ?? 0) + spanMs) / 1000}s, after the scenario's ${durationS}s`)
    if (executor === 'constant-arrival-rate') {
      const rate = (scenario as { rate?: number }).rate
      if (!(typeof rate === 'number' && rate > 0)) problems.push(`${at}.rate: must be a positive number`)
    } else {
      const stages = (scenario as { stages?: Array<{ target: number }> }).stages ?? []
      if (stages.length === 0) problems.push(`${at}.stages: at least one stage`)
      for (const [i, stage] of stages.entries()) if (!(stage.target >= 0)) problems.push(`${at}.stages[${i}].target: must be >= 0`)
    }
  }
  return problems
}

function validateVuExecutor(
  scenario: { executor: string; vus?: number; iterations?: number; duration?: string; maxDuration?: string; stages?: Array<{ duration: string; target: number }> },
  at: string,
): string[] {
  const problems: string[] = []
  const positive = (value: number | undefined, field: string): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) problems.push(`${at}.${field}: must be a whole number >= 1`)
  }
  positive(scenario.vus, 'vus')
  positive(scenario.iterations, 'iterations')
  if (scenario.executor === 'constant-vus' && parseDurationMs(scenario.duration ?? '') === undefined) problems.push(`${at}.duration: constant-vus needs a k6 duration`)
  if (scenario.executor === 'ramping-vus' && (scenario.stages ?? []).length === 0) problems.push(`${at}.stages: ramping-vus needs at least one stage`)
  if (scenario.maxDuration !== undefined && parseDurationMs(scenario.maxDuration) === undefined) problems.push(`${at}.maxDuration: not a k6 duration`)
  return problems
}

/** Sessions per second over time: the sum of every arrival-rate executor (call after validateLoad). */
export function sessionRateProfile(load: Options, scale: number): RateProfile {
  const profiles: RateProfile[] = []
  for (const scenario of Object.values(load.scenarios ?? {})) {
    const startS = (parseDurationMs(scenario.startTime ?? '0s') ?? 0) / 1000
    const unitS = (parseDurationMs((scenario as { timeUnit?: string }).timeUnit ?? '1s') ?? 1000) / 1000
    const knots: RateKnot[] = []
    if (scenario.executor === 'constant-arrival-rate') {
      const s = scenario as { rate: number; duration: string }
      const rate = (s.rate / unitS) * scale
      const endS = startS + (parseDurationMs(s.duration) ?? 0) / 1000
      knots.push({ tS: startS, ratePerS: rate }, { tS: endS, ratePerS: rate })
    } else if (scenario.executor === 'ramping-arrival-rate') {
      const s = scenario as { startRate?: number; stages: Array<{ duration: string; target: number }> }
      let t = startS
      knots.push({ tS: t, ratePerS: ((s.startRate ?? 0) / unitS) * scale })
      for (const stage of s.stages) {
        t += (parseDurationMs(stage.duration) ?? 0) / 1000
        knots.push({ tS: t, ratePerS: (stage.target / unitS) * scale })
      }
    }
    if (knots.length >= 2) profiles.push(new RateProfile(knots))
  }
  return RateProfile.sum(profiles)
}

function scenarioSpanMs(scenario: AnyScenario): number | undefined {
  if (scenario.executor === 'ramping-arrival-rate' || scenario.executor === 'ramping-vus') {
    let total = 0
    for (const stage of (scenario as { stages?: Array<{ duration: string }> }).stages ?? []) {
      const ms = parseDurationMs(stage.duration)
      if (ms === undefined) return undefined
      total += ms
    }
    return total
  }
  const duration = (scenario as { duration?: string; maxDuration?: string }).duration ?? (scenario as { maxDuration?: string }).maxDuration ?? '0s'
  return parseDurationMs(duration)
}
