// Mode sim's client: one logical operation's attempts on virtual time, each recorded in the
// history (invoke, then ok | fail | indeterminate with its kind), with what the protocol decides
// after every answer (scenarios/protocol/client-protocol.ts): fail over to the next region at
// once, retry later (the caller queues it), or stop. The core is reached through `call`, so a test
// can script its replies.
import type { CoreReply } from '../../mock-server/core/core-reply.ts'
import { FailureKind } from '../../sim/failure-kind.ts'
import type { History } from '../../sim/history.ts'
import { clientProcess, OpKind, type OperationRecord } from '../../sim/operation.ts'
import { kindOfCode, TIMED_OUT, type Classified } from '../protocol/answer-kind.ts'
import { honouredRetryAfterMs, type ClientProtocol } from '../protocol/client-protocol.ts'
import { recordFailure } from '../protocol/record-answer.ts'
import type { SimRoundTrip } from './sim-round-trip.ts'

export interface SimSenderOptions {
  readonly protocol: ClientProtocol
  readonly roundTrip: SimRoundTrip
  readonly history: History
  /** The client's timeout: a slower answer is recorded as indeterminate. */
  readonly timeoutMs: number
  /** Send the operation to a region at nowMs; the reply is the core's (reused by the caller). */
  readonly call: (op: OperationRecord, region: number, nowMs: number) => CoreReply
  /** Queue attempt `attempt` of the operation for `atMs`. */
  readonly retryAt: (op: OperationRecord, attempt: number, atMs: number) => void
}

export class SimSender {
  private readonly options: SimSenderOptions

  constructor(options: SimSenderOptions) {
    this.options = options
  }

  /** Attempt `attempt` of an operation, at startMs, with its failovers; a retry is queued through retryAt. */
  execute(op: OperationRecord, attempt: number, startMs: number): void {
    const { protocol, roundTrip, history, timeoutMs } = this.options
    const home = op.home
    if (attempt === 1) protocol.begin(home)
    let nowMs = startMs
    let region = protocol.regionFor(home, op.route, nowMs)
    for (let hop = 0; ; hop++) {
      const reply = this.options.call(op, region, nowMs)
      const rttMs = roundTrip.ms(home, region)
      const index = history.invoke({ kind: op.kind, opId: op.keyId, user: op.user, video: op.video, process: clientProcess(op.user, op.device), region, attempt, invokeMs: nowMs, failover: region !== home && region !== op.route })
      let failure: Classified = TIMED_OUT
      let doneMs = nowMs + timeoutMs
      if (reply.ok) {
        const latencyMs = rttMs + reply.latencyMs
        if (latencyMs <= timeoutMs) {
          history.ok(index, nowMs + latencyMs, latencyMs)
          this.recordValue(op.kind, index, reply)
          return
        }
        recordFailure(history, index, { doneMs, latencyMs: timeoutMs, failure })
      } else {
        failure = { kind: kindOfCode(reply.code), code: reply.code }
        // A refused connection answers in half a round trip: no request is sent.
        const latencyMs = Math.min(timeoutMs, (failure.kind === FailureKind.Refused ? rttMs / 2 : rttMs) + reply.latencyMs)
        doneMs = nowMs + latencyMs
        recordFailure(history, index, { doneMs, latencyMs, failure })
      }
      // The core's clock is the scenario's: its Retry-After is honoured up to the same cap as a server's.
      const retryAfterMs = failure === TIMED_OUT ? undefined : honouredRetryAfterMs(reply.retryAfterMs)
      const decision = protocol.decide({ kind: failure.kind, home, region, attempt, hop, nowMs: doneMs, retryAfterMs })
      if (decision.next === 'fail-over') {
        region = decision.region
        nowMs = doneMs
        continue
      }
      if (decision.next === 'retry') this.options.retryAt(op, attempt + 1, doneMs + decision.delayMs)
      return
    }
  }

  private recordValue(kind: number, index: number, value: CoreReply): void {
    const { history } = this.options
    switch (kind) {
      case OpKind.ReadVideo:
        history.counts(index, value)
        return
      case OpKind.Like:
      case OpKind.Unlike:
        history.counts(index, { likeCount: value.likeCount, viewCount: -1, uniqueViewers: -1, stale: value.stale, asOfMs: value.asOfMs })
        return
      case OpKind.View:
        history.counts(index, { likeCount: -1, viewCount: value.viewCount, uniqueViewers: value.uniqueViewers, stale: false, asOfMs: Number.NaN })
        return
      default:
        history.likedFlag(index, value)
    }
  }
}
