// k6's ramping-arrival-rate (lib/executor/ramping_arrival_rate.go): the iteration rate moves
// linearly from startRate through each stage's target (the open model); iteration i starts when
// the area under the rate curve reaches i (arrival-schedule.ts).
import type { RampingArrivalRateScenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { arrivalTimesMs } from '../arrival-schedule.ts'
import { arrivalProblems, arrivalVus, stagesSpanMs, startTimeMs, timeUnitMs, type OpenExecutor } from './executor.ts'

export const rampingArrivalRate: OpenExecutor<RampingArrivalRateScenario> = {
  name: 'ramping-arrival-rate',
  model: 'open',
  validate(options, context) {
    const stages = options.stages ?? []
    const problems = arrivalProblems(options, stagesSpanMs(stages), context)
    if (stages.length === 0) problems.push(`${context.at}.stages: at least one stage`)
    for (const [i, stage] of stages.entries()) if (!(stage.target >= 0)) problems.push(`${context.at}.stages[${i}].target: must be >= 0`)
    return problems
  },
  spanMs: (options) => stagesSpanMs(options.stages) ?? 0,
  vus: arrivalVus,
  schedule: (options, scale) =>
    arrivalTimesMs({
      executor: 'ramping-arrival-rate',
      startRate: (options.startRate ?? 0) * scale,
      timeUnitMs: timeUnitMs(options),
      stages: options.stages.map((stage) => ({ durationMs: parseDurationMs(stage.duration) ?? 0, target: stage.target * scale })),
      startTimeMs: startTimeMs(options),
    }),
}
