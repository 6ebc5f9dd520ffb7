// From a scenario's k6 options to the world's offered session rate. Each arrival-rate executor
// contributes `rate` iterations per `timeUnit`: constant over its duration, or linear between its
// stages (k6 ramping-arrival-rate interpolates linearly from one stage target to the next).
// Mode sim drives the open model only: VU-based executors (closed model) are refused there.
import type { Options } from 'k6/options'
import { RateProfile, type RateKnot } from '../sim/rate-profile.ts'
import { parseDurationMs } from './k6-duration.ts'
import { ARRIVAL_RATE_EXECUTORS, executorOf, executorsOf, K6_EXECUTORS } from './run/executors/index.ts'

/**
 * Every problem with the load profile (empty when valid): each scenario's by its executor
 * (scenarios/run/executors/). Mode sim drives the open model only; mode http also runs VU
 * executors (the closed model), but not both kinds in one scenario.
 */
export function validateLoad(load: Options, durationS: number, { mode = 'sim', prefix = 'load' }: { mode?: 'sim' | 'http'; prefix?: string } = {}): string[] {
  const problems: string[] = []
  const scenarios = load.scenarios
  if (scenarios === undefined || Object.keys(scenarios).length === 0) {
    problems.push(`${prefix}.scenarios: at least one k6 scenario is required`)
    return problems
  }
  const models = new Set(executorsOf(scenarios).map((executor) => executor.model))
  if (mode === 'http' && models.size > 1) problems.push(`${prefix}.scenarios: mode http drives either arrival-rate executors (open model) or VU executors (closed model), not both at once`)
  for (const [name, scenario] of Object.entries(scenarios)) {
    const at = `${prefix}.scenarios.${name}`
    const executor = executorOf(scenario)
    if (executor === undefined) {
      problems.push(`${at}.executor: unknown executor ${String((scenario as { executor?: unknown }).executor)}; allowed: ${K6_EXECUTORS.join(', ')}`)
      continue
    }
    if (executor.model === 'closed' && mode === 'sim') {
      problems.push(`${at}.executor: ${executor.name} is a closed-model executor; mode sim drives ${ARRIVAL_RATE_EXECUTORS.join(' and ')} only (run it with --mode http)`)
      continue
    }
    problems.push(...executor.validate({ at, durationS }))
  }
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

