// One logical operation over HTTP, with everything the client protocol does to it: its attempts
// (each recorded in the history: invoke, then ok | fail | indeterminate), the same idempotency key
// on every retry, failover to the next region after a refused connection, backoff or the server's
// Retry-After (capped) between attempts, and the intended send time of a late open-model send.
import { FailureKind } from '../../../sim/failure-kind.ts'
import type { History } from '../../../sim/history.ts'
import { clientProcess, keyOperation, type Operation } from '../../../sim/operation.ts'
import { BAD_RESPONSE, classifyNetworkError, classifyStatus, type Classified } from '../../protocol/answer-kind.ts'
import { honouredRetryAfterS, idempotencyKey, type ClientProtocol } from '../../protocol/client-protocol.ts'
import { recordFailure } from '../../protocol/record-answer.ts'
import type { RunSetup } from '../run-setup.ts'
import { errorCodeOf, recordValues } from './answer-values.ts'
import type { Answer, HttpClient } from './http-client.ts'
import { requestShape } from '../../protocol/request-shape.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import type { ServerClock } from './server-clock.ts'

export interface OperationSenderOptions {
  readonly setup: RunSetup
  readonly history: History
  readonly protocol: ClientProtocol
  /** Where requests go (the run's pooled client; a test's scripted one). */
  readonly client: Pick<HttpClient, 'send'>
  readonly clock: ScenarioClock
  readonly serverClock: ServerClock
  readonly stop: RunStop
  /** This run's id in its idempotency keys (a run never reuses another's keys). */
  readonly runId: string
  /** Every answer that carried an HTTP status, with its error code (undefined for a success). */
  readonly onAnswer: (code: string | undefined) => void
  /** The target's answers claim their age (asOfMs, stale); default true. */
  readonly claimsAge?: boolean
}

export class OperationSender {
  attempts = 0
  failedAttempts = 0
  private readonly options: OperationSenderOptions

  constructor(options: OperationSenderOptions) {
    this.options = options
  }

  /** Send an operation due at `intendedMs` (scenario ms) until it succeeds, fails for good, or the run stops. */
  send(op: Operation, intendedMs: number): Promise<void> {
    this.options.protocol.begin(this.options.setup.population.userRegion[op.user] as number)
    return this.attempt(op, 1, intendedMs)
  }

  private async attempt(op: Operation, attemptNo: number, intendedMs: number): Promise<void> {
    const { setup, history, protocol, client, clock, serverClock, stop, runId } = this.options
    const { population } = setup
    const regions = population.regionIds
    const home = population.userRegion[op.user] as number
    const keyOp = keyOperation(op)
    const shape = requestShape(op.kind, {
      userId: population.userIds.get(op.user) as string,
      videoId: population.videoIds.get(op.video) as string,
      watchMs: op.watchMs,
      key: idempotencyKey(runId, keyOp.id),
    })
    const headers: Record<string, string> = {}
    if (shape.body !== undefined) headers['content-type'] = 'application/json'
    if (shape.idempotencyKey !== undefined) headers['idempotency-key'] = shape.idempotencyKey
    let region = protocol.regionFor(home, op.route, clock.nowMs())
    for (let hop = 0; !stop.stopped; hop++) {
      const invokeMs = clock.nowMs()
      const index = history.invoke({ kind: op.kind, opId: keyOp.id, user: op.user, video: op.video, process: clientProcess(op.user, op.device), region, attempt: attemptNo, invokeMs, failover: region !== home && region !== op.route })
      if (intendedMs < invokeMs) history.intended(index, intendedMs)
      this.attempts++
      const answer = await client.send({ region: regions[region] as string, method: shape.method, path: shape.path, body: shape.body, headers })
      const code = errorCodeOf(answer.body)
      const classified = this.record(op, index, answer, answer.failure !== undefined ? classifyNetworkError(answer.failure, !Number.isNaN(answer.sentAt)) : classifyStatus(answer.status, code))
      if (answer.status > 0) this.options.onAnswer(classified.kind === FailureKind.None ? undefined : code)
      if (classified.kind !== FailureKind.None) this.failedAttempts++
      // A Retry-After beyond the cap is cut to it: the retry horizon, and so the keys' lifetime, stays bounded.
      const retryAfterMs = answer.retryAfterS === undefined ? undefined : serverClock.retryAfterMs(honouredRetryAfterS(answer.retryAfterS))
      const decision = protocol.decide({ kind: classified.kind, home, region, attempt: attemptNo, hop, nowMs: clock.nowMs(), retryAfterMs })
      if (decision.next === 'fail-over') {
        region = decision.region
        intendedMs = clock.nowMs()
        continue
      }
      if (decision.next !== 'retry') return
      const dueMs = clock.nowMs() + decision.delayMs
      await stop.until(clock.wallDelayMs(dueMs))
      if (stop.stopped) return
      return this.attempt(op, attemptNo + 1, dueMs)
    }
  }

  /** The attempt's answer into the history; returns it as classified (a 2xx with a broken body is a bad response). */
  private record(op: Operation, index: number, answer: Answer, classified: Classified): Classified {
    const { history, clock, serverClock } = this.options
    const doneMs = clock.nowMs()
    const latencyMs = answer.doneAt - (Number.isNaN(answer.sentAt) ? answer.doneAt : answer.sentAt)
    if (classified.kind !== FailureKind.None) {
      recordFailure(history, index, { doneMs, latencyMs, failure: classified })
      return classified
    }
    if (!recordValues(history, index, op.kind, answer.body, serverClock, this.options.claimsAge ?? true)) {
      recordFailure(history, index, { doneMs, latencyMs, failure: BAD_RESPONSE })
      return BAD_RESPONSE
    }
    history.ok(index, doneMs, latencyMs)
    return classified
  }
}
