// k6's constant-vus (lib/executor/constant_vus.go): `vus` VUs loop over iterations for
// `duration`, each starting its next when the last is done (the closed model).
import type { ConstantVUsScenario } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { scaledCount, startTimeMs, vuProblems, type ClosedExecutor } from './executor.ts'

export const constantVus: ClosedExecutor<ConstantVUsScenario> = {
  name: 'constant-vus',
  model: 'closed',
  validate(options, { at }) {
    const problems = vuProblems(options, at)
    if (parseDurationMs(options.duration ?? '') === undefined) problems.push(`${at}.duration: constant-vus needs a k6 duration`)
    return problems
  },
  spanMs: (options) => parseDurationMs(options.duration) ?? 0,
  vus: (options) => ({ max: options.vus ?? 1, preAllocated: options.vus ?? 1 }),
  schedule(options, scale) {
    const startMs = startTimeMs(options)
    return { startMs, endMs: startMs + constantVus.spanMs(options), vuCount: scaledCount(options.vus ?? 1, scale), active: () => true, iterationsPerVu: Infinity, sharedIterations: Infinity }
  },
}
