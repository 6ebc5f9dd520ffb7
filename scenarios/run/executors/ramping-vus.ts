// k6's ramping-vus (lib/executor/ramping_vus.go): the number of active VUs moves linearly from
// startVUs through each stage's target; each active VU loops over iterations (the closed model).
import type { RampingVUsScenario, Stage } from 'k6/options'
import { parseDurationMs } from '../../k6-duration.ts'
import { scaledCount, stagesSpanMs, startTimeMs, type ClosedExecutor } from './executor.ts'

/** The VU target `elapsedMs` after the start: linear from stage to stage, the last target after the end. */
export function vusAt(startVus: number, stages: readonly Stage[], elapsedMs: number): number {
  let from = startVus
  let t = 0
  for (const stage of stages) {
    const d = parseDurationMs(stage.duration) ?? 0
    if (elapsedMs < t + d) return from + ((stage.target - from) * (elapsedMs - t)) / Math.max(1, d)
    from = stage.target
    t += d
  }
  return from
}

function peakVus(options: RampingVUsScenario): number {
  return Math.max(options.startVUs ?? 1, ...options.stages.map((stage) => stage.target))
}

export const rampingVus: ClosedExecutor<RampingVUsScenario> = {
  name: 'ramping-vus',
  model: 'closed',
  validate(options, { at }) {
    const problems: string[] = []
    if (options.startVUs !== undefined && !(Number.isInteger(options.startVUs) && options.startVUs >= 0)) problems.push(`${at}.startVUs: must be a whole number >= 0`)
    if ((options.stages ?? []).length === 0) problems.push(`${at}.stages: ramping-vus needs at least one stage`)
    return problems
  },
  spanMs: (options) => stagesSpanMs(options.stages) ?? 0,
  vus: (options) => ({ max: peakVus(options), preAllocated: options.startVUs ?? 1 }),
  schedule(options, scale) {
    const startMs = startTimeMs(options)
    return {
      startMs,
      endMs: startMs + rampingVus.spanMs(options),
      vuCount: scaledCount(peakVus(options), scale),
      active: (vu, elapsedMs) => vu < Math.round(vusAt(options.startVUs ?? 1, options.stages, elapsedMs) * scale),
      iterationsPerVu: Infinity,
      sharedIterations: Infinity,
    }
  },
}
