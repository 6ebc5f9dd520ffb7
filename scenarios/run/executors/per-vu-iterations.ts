// k6's per-vu-iterations (lib/executor/per_vu_iterations.go): each of `vus` VUs runs `iterations`
// iterations, one after the other, within maxDuration (the closed model).
import type { PerVUIterationsScenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { DEFAULT_MAX_DURATION, iterationsSchedule, vuProblems, type ClosedExecutor } from './executor.ts'

export const perVuIterations: ClosedExecutor<PerVUIterationsScenario> = {
  name: 'per-vu-iterations',
  model: 'closed',
  validate: (options, { at }) => vuProblems(options, at),
  spanMs: (options) => parseDurationMs(options.maxDuration ?? DEFAULT_MAX_DURATION) ?? 0,
  vus: (options) => ({ max: options.vus ?? 1, preAllocated: options.vus ?? 1 }),
  schedule: (options, scale) => iterationsSchedule(options, scale, 'per-vu'),
}
