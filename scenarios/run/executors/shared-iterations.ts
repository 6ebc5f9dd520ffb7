// k6's shared-iterations (lib/executor/shared_iterations.go): `vus` VUs share `iterations`
// iterations, each taking the next when its last is done, within maxDuration (the closed model).
import type { SharedIterationsScenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { DEFAULT_MAX_DURATION, iterationsSchedule, vuProblems, type ClosedExecutor } from './executor.ts'

export const sharedIterations: ClosedExecutor<SharedIterationsScenario> = {
  name: 'shared-iterations',
  model: 'closed',
  validate: (options, { at }) => vuProblems(options, at),
  spanMs: (options) => parseDurationMs(options.maxDuration ?? DEFAULT_MAX_DURATION) ?? 0,
  vus: (options) => ({ max: options.vus ?? 1, preAllocated: options.vus ?? 1 }),
  schedule: (options, scale) => iterationsSchedule(options, scale, 'shared'),
}
