// Mode sim's client: one logical operation's attempts on virtual time, each recorded in the
// history (invoke, then ok | fail | indeterminate with its kind), with what the protocol decides
// after every answer (scenarios/protocol/client-protocol.ts): fail over to the next region at
// once, retry later (the caller queues it), or stop. The core is reached through `call`, so a test
// can script its replies. On a lossy path (`loss`) a request or its answer can be lost: the client
// hears nothing and times out, as it does on any answer slower than its timeout.
import type { CoreReply } from '../../mock-server/core/core-reply.ts'
import type { LossFate } from '../../mock-server/env/client-loss.ts'
import { FailureKind } from '../../sim/failure-kind.ts'
import { newInvocation, type CountsAnswer, type History } from '../../sim/history.ts'
import { clientProcess, OpKind, type OperationRecord } from '../../sim/operation.ts'
import { kindOfCode, TIMED_OUT, type Classified } from '../protocol/answer-kind.ts'
import { honouredRetryAfterMs, type ClientProtocol } from '../protocol/client-protocol.ts'
import { recordFailure } from '../protocol/record-answer.ts'
import type { SimRoundTrip } from './sim-round-trip.ts'

/** A view's answer claims nothing about its age: fresh, no asOfMs. */
const NO_CLAIM = { stale: false, asOfMs: Number.NaN } as const

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
  /** The fate of a request to a region now, on a lossy path; absent: every request and answer arrives. */
  readonly loss?: (region: number) => LossFate
}

export class SimSender {
  private readonly options: SimSenderOptions
  /** The attempt being recorded and the counts its answer showed: one record each, filled again per attempt. */
  private readonly sent = newInvocation()
  private readonly shown: CountsAnswer = { likeCount: -1, viewCount: -1, uniqueViewers: -1, stale: false, asOfMs: Number.NaN }

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
      const fate = this.options.loss?.(region) ?? 'deliver'
      // A request lost on the way never reaches the core; one whose answer is lost was served there.
      const reply = fate === 'lose-request' ? undefined : this.options.call(op, region, nowMs)
      const rttMs = roundTrip.ms(home, region)
      const sent = this.sent
      sent.kind = op.kind
      sent.opId = op.keyId
      sent.user = op.user
      sent.video = op.video
      sent.process = clientProcess(op.user, op.device)
      sent.region = region
      sent.attempt = attempt
      sent.invokeMs = nowMs
      sent.failover = region !== home && region !== op.route
      const index = history.invoke(sent)
      let failure: Classified = TIMED_OUT
      let doneMs = nowMs + timeoutMs
      if (reply === undefined || fate === 'lose-answer') {
        recordFailure(history, index, { doneMs, latencyMs: timeoutMs, failure })
      } else if (reply.ok) {
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
      const retryAfterMs = failure === TIMED_OUT || reply === undefined ? undefined : honouredRetryAfterMs(reply.retryAfterMs)
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

  /** The counts an answer showed (the reused record). */
  private showing(likeCount: number, viewCount: number, uniqueViewers: number, claim: { stale: boolean; asOfMs: number }): CountsAnswer {
    const shown = this.shown
    shown.likeCount = likeCount
    shown.viewCount = viewCount
    shown.uniqueViewers = uniqueViewers
    shown.stale = claim.stale
    shown.asOfMs = claim.asOfMs
    return shown
  }

  private recordValue(kind: number, index: number, value: CoreReply): void {
    const { history } = this.options
    switch (kind) {
      case OpKind.ReadVideo:
        // Through the reused record like the others: `counts` then sees one shape of answer.
        history.counts(index, this.showing(value.likeCount, value.viewCount, value.uniqueViewers, value))
        return
      case OpKind.Like:
      case OpKind.Unlike:
        history.counts(index, this.showing(value.likeCount, -1, -1, value))
        return
      case OpKind.View:
        history.counts(index, this.showing(-1, value.viewCount, value.uniqueViewers, NO_CLAIM))
        return
      default:
        history.likedFlag(index, value)
    }
  }
}
