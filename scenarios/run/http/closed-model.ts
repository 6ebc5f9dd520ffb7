// The closed model of mode http (k6's VU executors: constant-vus, ramping-vus, per-vu-iterations,
// shared-iterations): each VU takes the next operation from the stream when its last one is
// answered, so the offered load follows the system's speed. Each executor says when its VUs run
// and how many iterations they take (scenarios/run/executors/); arrival-rate executors use the
// open model (open-model.ts) instead.
import type { Operation } from '../../../sim/operation.ts'
import { executorsOf, type VuSchedule } from '../executors/index.ts'
import type { RunSetup } from '../run-setup.ts'
import type { ScenarioClock } from './scenario-clock.ts'

/** How often a ramping VU that is not yet (or no longer) active looks again, wall ms. */
const INACTIVE_POLL_WALL_MS = 50

/** Whether the load runs VU executors (the closed model); validation keeps the two models apart. */
export function isClosedModel(setup: RunSetup): boolean {
  return executorsOf(setup.scenario.load.scenarios).some((executor) => executor.model === 'closed')
}

/** What every VU loop needs: the clock, how to send, and the stream. */
export interface VuLoop {
  readonly clock: ScenarioClock
  readonly run: (op: Operation) => Promise<void>
  readonly isStopped: () => boolean
  /** Sleep on the wall clock, or until the run stops. */
  readonly sleep: (wallMs: number) => Promise<void>
  /** The stream's next operation, or undefined when it is exhausted (or capped). */
  readonly next: () => Operation | undefined
}

/** VU executors: VUs loop over the stream; each sends its next operation when the last is answered. */
export async function runClosedModel(setup: RunSetup, loop: VuLoop): Promise<void> {
  const loops: Promise<void>[] = []
  for (const executor of executorsOf(setup.scenario.load.scenarios)) {
    const schedule = executor.vuSchedule(setup.scale)
    if (schedule === undefined) continue
    const shared = { left: schedule.sharedIterations }
    for (let vu = 0; vu < schedule.vuCount; vu++) loops.push(runVu(loop, { schedule, vu, shared }))
  }
  await Promise.all(loops)
}

/** One VU's loop: from the schedule's start, while it is active and iterations are left. */
async function runVu({ clock, run, isStopped, sleep, next }: VuLoop, { schedule, vu, shared }: { schedule: VuSchedule; vu: number; shared: { left: number } }): Promise<void> {
  await sleep(clock.wallDelayMs(schedule.startMs))
  let own = schedule.iterationsPerVu
  while (own > 0 && shared.left > 0) {
    const nowMs = clock.nowMs()
    if (nowMs >= schedule.endMs) return
    if (!schedule.active(vu, nowMs - schedule.startMs)) {
      await sleep(INACTIVE_POLL_WALL_MS)
      continue
    }
    const op = isStopped() ? undefined : next()
    if (op === undefined) return
    own--
    shared.left--
    await run(op)
  }
}
