// The closed model of mode http (k6's VU executors: constant-vus, ramping-vus, per-vu-iterations,
// shared-iterations): each VU takes the next operation from the stream when its last one is
// answered, so the offered load follows the system's speed. Arrival-rate executors use the open
// model (open-model.ts) instead.
import type { Operation } from '../../../sim/operation.ts'
import { parseDurationMs } from '../../k6-duration.ts'
import type { RunSetup } from '../run-setup.ts'
import type { ScenarioClock } from './scenario-clock.ts'

/** Executors of the closed model. */
export const VU_EXECUTORS: ReadonlySet<string> = new Set(['constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations'])

/** VU executors: VUs loop over the stream; each sends its next operation when the last is answered. */
export async function runClosedModel({
  setup,
  clock,
  run,
  isStopped,
  sleep,
  next,
}: {
  setup: RunSetup
  clock: ScenarioClock
  run: (op: Operation) => Promise<void>
  isStopped: () => boolean
  /** Sleep on the wall clock, or until the run stops. */
  sleep: (wallMs: number) => Promise<void>
  /** The stream's next operation, or undefined when it is exhausted (or capped). */
  next: () => Operation | undefined
}): Promise<void> {
  const loops: Promise<void>[] = []
  for (const scenario of Object.values(setup.scenario.load.scenarios ?? {})) {
    const s = scenario as { executor: string; vus?: number; iterations?: number; duration?: string; maxDuration?: string; startTime?: string; startVUs?: number; stages?: Array<{ duration: string; target: number }> }
    const startMs = parseDurationMs(s.startTime ?? '0s') ?? 0
    const scale = setup.scale
    const vus = Math.max(1, Math.round((s.vus ?? 1) * scale))
    const endMs = startMs + (parseDurationMs(s.duration ?? s.maxDuration ?? '10m') ?? 600_000)
    const until = (vu: number): boolean => {
      if (clock.nowMs() >= endMs) return false
      if (s.executor !== 'ramping-vus') return true
      return vu < Math.round(vusAt(s.startVUs ?? 1, s.stages ?? [], clock.nowMs() - startMs) * scale)
    }
    const budget = { left: s.executor === 'shared-iterations' ? Math.round((s.iterations ?? 1) * scale) : Infinity }
    const count = s.executor === 'ramping-vus' ? Math.max(1, Math.round(Math.max(s.startVUs ?? 1, ...(s.stages ?? []).map((stage) => stage.target)) * scale)) : vus
    for (let vu = 0; vu < count; vu++) {
      loops.push(
        (async () => {
          await sleep(clock.wallDelayMs(startMs))
          let own = s.executor === 'per-vu-iterations' ? (s.iterations ?? 1) : Infinity
          while (own > 0 && budget.left > 0) {
            if (!until(vu)) {
              if (s.executor === 'ramping-vus' && clock.nowMs() < endMs) {
                await sleep(50)
                continue
              }
              return
            }
            const op = isStopped() ? undefined : next()
            if (op === undefined) return
            own--
            budget.left--
            await run(op)
          }
        })(),
      )
    }
  }
  await Promise.all(loops)
}

/** k6 ramping-vus: the VU target moves linearly from stage to stage. */
export function vusAt(startVus: number, stages: ReadonlyArray<{ duration: string; target: number }>, elapsedMs: number): number {
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
