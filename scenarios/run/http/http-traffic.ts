// The traffic of an http run: the world's operations handed to VUs as the load's executors say.
// Open model (arrival-rate executors): each operation is due at its world time; when it is due a
// VU of the budget sends it (or, with none left, it is dropped and recorded as not sent: k6's
// dropped_iterations; the budget is sized from the schedule, vu-budget.ts). The VU stays busy
// through the operation's retries. Closed model (VU executors): VUs loop over the operation
// stream, each sending its next operation when the last one is answered.
import { History } from '../../../sim/history.ts'
import { clientProcess, keyOperation, type Operation } from '../../../sim/operation.ts'
import type { TrafficGenerator } from '../../../sim/traffic.ts'
import { NOT_SENT } from '../../protocol/answer-kind.ts'
import { recordFailure } from '../../protocol/record-answer.ts'
import { loadVus } from '../executors/index.ts'
import type { RunSetup } from '../run-setup.ts'
import { isClosedModel, runClosedModel } from './closed-model.ts'
import type { HarnessMonitor } from './harness-monitor.ts'
import { runOpenModel } from './open-model.ts'
import type { OperationSender } from './operation-sender.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import { VuBudget } from './vu-budget.ts'

export interface TrafficOptions {
  readonly setup: RunSetup
  readonly clock: ScenarioClock
  readonly sender: OperationSender
  readonly history: History
  /** The world's operation stream (built before the clock starts: building it takes time). */
  readonly traffic: TrafficGenerator
  readonly monitor: HarnessMonitor
  readonly stop: RunStop
  /** Hard bound on logical operations. */
  readonly maxOperations: number
  /** The client's retry horizon, wall ms: how long an operation may hold its VU (vu-budget.ts). */
  readonly horizonWallMs: number
}

export interface TrafficOutcome {
  readonly closedModel: boolean
  readonly operations: number
  /** The operation cap ended the stream before its end. */
  readonly truncated: boolean
  readonly dropped: number
  readonly peakVus: number
  /** Resolves when every operation sent has finished (its last attempt answered). */
  readonly settled: Promise<void>
}

/** Send the world's operations until the stream ends, the cap is reached or the run stops. */
export async function runTraffic({ setup, clock, sender, history, traffic, monitor, stop, maxOperations, horizonWallMs }: TrafficOptions): Promise<TrafficOutcome> {
  const { population } = setup
  const closedModel = isClosedModel(setup)
  let inFlight = 0
  let peakVus = 0
  let operations = 0
  let truncated = false
  const runOperation = async (op: Operation): Promise<void> => {
    inFlight++
    if (inFlight > peakVus) peakVus = inFlight
    try {
      // In the closed model an operation is due when its VU takes it.
      await sender.send(op, closedModel ? clock.nowMs() : op.atMs)
    } finally {
      inFlight--
    }
  }
  /** The next operation of the stream, within the operation cap. */
  const nextOperation = (): Operation | undefined => {
    if (operations >= maxOperations) {
      truncated ||= traffic.peekTimeMs() !== Infinity
      return undefined
    }
    const op = traffic.next()
    if (op !== undefined) operations++
    return op
  }
  if (closedModel) {
    await runClosedModel(setup, { clock, run: runOperation, isStopped: () => stop.stopped, sleep: (wallMs) => stop.until(wallMs), next: nextOperation })
    return { closedModel, operations, truncated, dropped: 0, peakVus, settled: Promise.resolve() }
  }
  const outcome = await runOpenModel<Operation>({
    next: () => {
      const op = nextOperation()
      return op === undefined ? undefined : { dueMs: op.atMs * clock.timeScale, task: op }
    },
    run: runOperation,
    onDropped: (op) => {
      monitor.droppedOne()
      const nowMs = clock.nowMs()
      const index = history.invoke({ kind: op.kind, opId: keyOperation(op).id, user: op.user, video: op.video, process: clientProcess(op.user, op.device), region: population.userRegion[op.user] ?? 0, attempt: 1, invokeMs: nowMs, failover: false })
      recordFailure(history, index, { doneMs: nowMs, latencyMs: 0, failure: NOT_SENT })
    },
    onReleased: (lateMs) => monitor.release(lateMs),
    vus: new VuBudget({ scenarioVus: loadVus(setup.scenario.load.scenarios, setup.scale).max, horizonWallMs }),
    nowMs: () => clock.nowMs() * clock.timeScale,
    isStopped: () => stop.stopped,
  })
  return { closedModel, operations, truncated, dropped: outcome.dropped, peakVus, settled: outcome.settled }
}
