// k6's constant-arrival-rate (lib/executor/constant_arrival_rate.go): `rate` iterations per
// `timeUnit` for `duration`, whatever the system's speed (the open model); iteration i starts at
// i x timeUnit / rate.
import type { ConstantArrivalRateScenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { arrivalTimesMs } from '../arrival-schedule.ts'
import { arrivalProblems, arrivalVus, startTimeMs, timeUnitMs, type OpenExecutor } from './executor.ts'

export const constantArrivalRate: OpenExecutor<ConstantArrivalRateScenario> = {
  name: 'constant-arrival-rate',
  model: 'open',
  validate(options, context) {
    const problems = arrivalProblems(options, parseDurationMs(options.duration ?? ''), context)
    if (!(typeof options.rate === 'number' && options.rate > 0)) problems.push(`${context.at}.rate: must be a positive number`)
    return problems
  },
  spanMs: (options) => parseDurationMs(options.duration) ?? 0,
  vus: arrivalVus,
  schedule: (options, scale) =>
    arrivalTimesMs({ executor: 'constant-arrival-rate', rate: options.rate * scale, timeUnitMs: timeUnitMs(options), durationMs: constantArrivalRate.spanMs(options), startTimeMs: startTimeMs(options) }),
}
