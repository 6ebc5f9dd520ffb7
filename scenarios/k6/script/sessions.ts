// One k6 iteration of the scenario's own k6 scenarios: one world session. Iteration i
// (exec.scenario.iterationInTest: unique across instances and execution segments) runs session i
// of its scenario's list; an arrival-rate iteration that starts before its session's time sleeps
// until then, so the world's timing holds whenever the executor keeps up (and a late one is sent
// late, its intended time recorded). The session's operations follow at their offsets. Each
// request goes home first (or to its pinned region), fails over nearest-first after a refused
// connection and retries with the same idempotency key, as the client policy of the other modes
// says; every attempt becomes a likestorm_op point.
import { check, sleep } from 'k6'
import exec from 'k6/execution'
import { FailureKind, FAILURE_KIND_NAMES } from '../../../sim/failure-kind.ts'
import { isWrite, OP_KIND_NAMES, OpKind } from '../../../sim/operation.ts'
import { requestShape, type RequestShape } from '../../protocol/request-shape.ts'
import { BAD_RESPONSE, type Classified } from '../../protocol/answer-kind.ts'
import { ClientProtocol, idempotencyKey } from '../../protocol/client-protocol.ts'
import { valueTags } from '../op-values.ts'
import { opPointTags, opRequestTags, type OpAttempt, type Tags } from '../points.ts'
import { OP_FIELDS, OpField, SESSION_HEAD, type SessionRow } from '../workload-format.ts'
import { httpCall } from './http-call.ts'
import { Mulberry32 } from './jitter.ts'
import { addPoint, executionSegment, OP_TREND, PLAN, REGION_IDS, RUN_METRICS, runNowMs, SESSIONS, sleepUntil, urlOf } from './runtime.ts'

let protocol: ClientProtocol | undefined

/**
 * The VU's client: routes, failover memory, retry budget and backoff. k6 VUs share no memory, so
 * each VU keeps its own (mode sim and http keep one per run): failover is learnt per VU. Its retry
 * budget starts with one operation's retries (maxAttempts - 1), not a whole population's tokens:
 * hundreds of VUs each starting with those retried ~10x what mode http's clients may (issue 19:
 * 5,312 retries in the overload, and goodput failed on the retries' load).
 */
function clientProtocol(): ClientProtocol {
  if (protocol === undefined) {
    const random = new Mulberry32('client', PLAN.world.seed * 7919 + exec.vu.idInTest)
    protocol = new ClientProtocol({ spec: PLAN.client, regions: PLAN.regions, random, startTokens: PLAN.client.maxAttempts - 1 })
  }
  return protocol
}

export function runSessionIteration(): void {
  const name = exec.scenario.name
  const list = SESSIONS[name]
  const index = exec.scenario.iterationInTest
  // More iterations than sessions, or a hole (an iteration too early for any session): nothing to do.
  if (list === undefined || index >= list.length) return
  const row = list[index]
  if (row === null || row === undefined) return
  runSession(row, PLAN.waitForStart[name] === true)
}

interface SessionOp {
  readonly session: number
  readonly userId: string
  readonly videoId: string
  readonly home: number
  readonly kind: number
  readonly device: number
  readonly watchMs: number
  readonly route: number
  readonly keyId: number
  readonly req: number
}

export function runSession(row: SessionRow, waitForStart: boolean): void {
  const session = row[0]
  const userId = row[2]
  const videoId = row[3]
  const home = row[4]
  // Closed model (VU executors): the session starts when the VU takes it.
  const baseMs = waitForStart ? row[1] : runNowMs()
  const ops = row as unknown as number[]
  for (let at = SESSION_HEAD; at + OP_FIELDS <= ops.length; at += OP_FIELDS) {
    const dueMs = baseMs + (ops[at + OpField.OffsetMs] as number)
    sleepUntil(dueMs, sleep)
    const op: SessionOp = {
      session,
      userId,
      videoId,
      home,
      kind: ops[at + OpField.Kind] as number,
      device: ops[at + OpField.Device] as number,
      watchMs: ops[at + OpField.WatchMs] as number,
      route: ops[at + OpField.Route] as number,
      keyId: ops[at + OpField.KeyId] as number,
      req: ops[at + OpField.Req] as number,
    }
    runOperation(op, dueMs)
  }
}

/** LikeStorm's own metrics, as mode sim and http count them from the history. */
function recordRunMetrics(a: { classified: Classified; values: Tags | undefined; failover: boolean; openModelMs: number; elapsedMs: number; kind: number; tags: Tags }): void {
  if (a.failover) RUN_METRICS.failovers.add(1, a.tags)
  if (a.classified.kind === FailureKind.Shed) RUN_METRICS.shedRequests.add(1, a.tags)
  if (a.classified.kind !== FailureKind.None) return
  // k6's http_req_duration counts every response; LikeStorm's success-only latency has its own name.
  RUN_METRICS.okDuration.add(a.elapsedMs, a.tags)
  RUN_METRICS.openModelDuration.add(Math.max(a.elapsedMs, a.openModelMs), a.tags)
  if (a.kind === OpKind.Like) RUN_METRICS.likesAcknowledged.add(1, a.tags)
  if (a.kind === OpKind.ReadVideo && a.values !== undefined && a.values['stale'] === 'true') RUN_METRICS.readsStale.add(1, a.tags)
}

interface Prepared {
  readonly key: string
  readonly shape: RequestShape
  readonly headers: Readonly<Record<string, string>>
}

/** One operation, as the protocol decides: home first (or its pinned region), failover, retries with the same key. */
function runOperation(op: SessionOp, dueMs: number): void {
  const client = clientProtocol()
  const key = isWrite(op.kind as OpKind) ? idempotencyKey(PLAN.exportId, op.keyId) : ''
  const shape = requestShape(op.kind, { userId: op.userId, videoId: op.videoId, watchMs: op.watchMs, key })
  const headers: Record<string, string> = {}
  if (shape.body !== undefined) headers['content-type'] = 'application/json'
  if (shape.idempotencyKey !== undefined) headers['idempotency-key'] = shape.idempotencyKey
  const prepared: Prepared = { key, shape, headers }
  client.begin(op.home)
  let intendedMs = dueMs
  let attempt = 1
  let hop = 0
  let region = client.regionFor(op.home, op.route, runNowMs())
  for (;;) {
    const sent = sendAttempt(op, prepared, { region, attempt, hop, intendedMs })
    const now = runNowMs()
    const decision = client.decide({ kind: sent.classified.kind, home: op.home, region, attempt, hop, nowMs: now, retryAfterMs: sent.retryAfterMs })
    if (decision.next === 'fail-over') {
      region = decision.region
      hop++
      intendedMs = now
      continue
    }
    if (decision.next !== 'retry') return
    intendedMs = now + decision.delayMs
    sleepUntil(intendedMs, sleep)
    attempt++
    hop = 0
    region = client.regionFor(op.home, op.route, runNowMs())
  }
}

interface Sent {
  readonly classified: Classified
  readonly retryAfterMs: number | undefined
}

/** One request to one region, recorded as a likestorm_op point (and k6 checks and LikeStorm's metrics). */
function sendAttempt(op: SessionOp, prepared: Prepared, at: { region: number; attempt: number; hop: number; intendedMs: number }): Sent {
  const attemptPoint: OpAttempt = {
    exportId: PLAN.exportId,
    seg: executionSegment(),
    kind: op.kind,
    opId: op.keyId,
    req: op.req,
    key: prepared.key,
    session: op.session,
    userId: op.userId,
    videoId: op.videoId,
    region: REGION_IDS[at.region] as string,
    device: op.device,
    attempt: at.attempt,
    hop: at.hop,
    failover: at.region !== op.home && at.region !== op.route,
    dueMs: at.intendedMs,
  }
  const result = httpCall({
    method: prepared.shape.method,
    url: urlOf(attemptPoint.region, prepared.shape.path),
    body: prepared.shape.body === undefined ? null : prepared.shape.body,
    headers: prepared.headers,
    tags: opRequestTags(attemptPoint),
    timeoutMs: PLAN.client.timeoutMs,
  })
  const answer = result.answer
  const values = answer.status >= 200 && answer.status < 300 ? valueTags(op.kind, result.body) : undefined
  let classified = result.classified
  if (classified.kind === FailureKind.None && values === undefined) classified = BAD_RESPONSE
  addPoint(OP_TREND, result.elapsedMs, opPointTags(attemptPoint, answer, { kind: FAILURE_KIND_NAMES[classified.kind], code: classified.code }, values))
  const metricTags = { op: OP_KIND_NAMES[op.kind] ?? '', region: attemptPoint.region }
  check(answer, { 'answered (no network error)': (a) => a.status !== 0, 'status 2xx': (a) => a.status >= 200 && a.status < 300 }, { phase: 'run', ...metricTags })
  recordRunMetrics({ classified, values, failover: attemptPoint.failover, openModelMs: answer.sentMs + result.elapsedMs - at.intendedMs, elapsedMs: result.elapsedMs, kind: op.kind, tags: metricTags })
  return { classified, retryAfterMs: result.retryAfterMs }
}
