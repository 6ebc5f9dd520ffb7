// One logical operation over HTTP, with everything the client protocol does to it: its attempts
// (each recorded in the history: invoke, then ok | fail | indeterminate), the same idempotency key
// on every retry, failover to the next region after a refused connection, backoff or the server's
// Retry-After (capped) between attempts, and the intended send time of a late open-model send.
import { History, Outcome } from '../../../sim/history.ts'
import { keyOperation, type Operation } from '../../../sim/operation.ts'
import type { ClientPolicy } from '../client-policy.ts'
import { outcomeOfError, outcomeOfStatus, type RequestOutcome } from '../request-outcome.ts'
import type { RunSetup } from '../run-setup.ts'
import { errorCodeOf, recordValues } from './answer-values.ts'
import type { Answer, HttpClient } from './http-client.ts'
import { requestShape } from './request-shape.ts'
import { RETRY_AFTER_MAX_S } from './retry-horizon.ts'
import type { RunStop } from './run-stop.ts'
import type { ScenarioClock } from './scenario-clock.ts'
import type { ServerClock } from './server-clock.ts'

export interface OperationSenderOptions {
  readonly setup: RunSetup
  readonly history: History
  readonly policy: ClientPolicy
  readonly client: HttpClient
  readonly clock: ScenarioClock
  readonly serverClock: ServerClock
  readonly stop: RunStop
  /** Prefix of this run's idempotency keys (a run never reuses another's keys). */
  readonly keyPrefix: string
  /** Every answer that carried an HTTP status, with its error code (undefined for a success). */
  readonly onAnswer: (code: string | undefined) => void
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
    this.options.policy.earn(this.options.setup.population.userRegion[op.user] as number)
    return this.attempt(op, 1, intendedMs)
  }

  private async attempt(op: Operation, attemptNo: number, intendedMs: number): Promise<void> {
    const { setup, history, policy, client, clock, serverClock, stop, keyPrefix } = this.options
    const { population } = setup
    const regions = population.regionIds
    const home = population.userRegion[op.user] as number
    const keyOp = keyOperation(op)
    const shape = requestShape(op.kind, {
      userId: population.userIds[op.user] as string,
      videoId: population.videoIds[op.video] as string,
      watchMs: op.watchMs,
      key: `${keyPrefix}${keyOp.id}`,
    })
    const headers: Record<string, string> = {}
    if (shape.body !== undefined) headers['content-type'] = 'application/json'
    if (shape.idempotencyKey !== undefined) headers['idempotency-key'] = shape.idempotencyKey
    let region = op.route >= 0 && !policy.avoids(op.route, clock.nowMs()) ? op.route : policy.pick(home, clock.nowMs())
    for (let hop = 0; hop < regions.length && !stop.stopped; hop++) {
      const invokeMs = clock.nowMs()
      const index = history.invoke(op.kind, keyOp.id, op.user, op.video, op.user * 2 + op.device, region, attemptNo, invokeMs, region !== home && region !== op.route)
      if (intendedMs < invokeMs) history.intended(index, intendedMs)
      this.attempts++
      const answer = await client.send({ region: regions[region] as string, method: shape.method, path: shape.path, body: shape.body, headers })
      const code = errorCodeOf(answer.body)
      const outcome = answer.failure !== undefined ? outcomeOfError(answer.failure, !Number.isNaN(answer.sentAt)) : outcomeOfStatus(answer.status, code)
      this.record(op, index, answer, outcome)
      if (answer.status > 0) this.options.onAnswer(outcome.outcome === Outcome.Ok ? undefined : code)
      if (outcome.outcome === Outcome.Ok) return
      this.failedAttempts++
      if (outcome.failover) {
        policy.refused(region, clock.nowMs())
        const next = policy.pick(home, clock.nowMs())
        if (!policy.avoids(next, clock.nowMs())) {
          region = next
          intendedMs = clock.nowMs()
          continue
        }
      }
      if (!outcome.retryable || !policy.mayRetry(home, attemptNo)) return
      // A Retry-After beyond the cap is cut to it: the retry horizon, and so the keys' lifetime, stays bounded.
      const retryAfterMs = answer.retryAfterS === undefined ? undefined : serverClock.retryAfterMs(Math.min(answer.retryAfterS, RETRY_AFTER_MAX_S))
      const dueMs = clock.nowMs() + policy.backoffMs(attemptNo, retryAfterMs)
      await stop.until(clock.wallDelayMs(dueMs))
      if (stop.stopped) return
      return this.attempt(op, attemptNo + 1, dueMs)
    }
  }

  private record(op: Operation, index: number, answer: Answer, outcome: RequestOutcome): void {
    const { history, clock, serverClock } = this.options
    const doneMs = clock.nowMs()
    const serviceMs = answer.doneAt - (Number.isNaN(answer.sentAt) ? answer.doneAt : answer.sentAt)
    if (outcome.outcome === Outcome.Ok && !recordValues(history, index, op.kind, answer.body, serverClock)) {
      history.indeterminate(index, doneMs, 'LS_CLIENT_BAD_RESPONSE')
      return
    }
    if (outcome.outcome === Outcome.Ok) history.ok(index, doneMs, serviceMs)
    else if (outcome.outcome === Outcome.Fail) history.fail(index, doneMs, serviceMs, outcome.code)
    else history.indeterminate(index, doneMs, outcome.code)
  }
}
