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
import { Outcome } from '../../../sim/history.ts'
import { isWrite, OP_KIND_NAMES, OpKind } from '../../../sim/operation.ts'
import { ClientPolicy } from '../../run/client-policy.ts'
import { requestShape, type RequestShape } from '../../run/http/request-shape.ts'
import { outcomeOfError, outcomeOfStatus, type RequestOutcome } from '../../run/request-outcome.ts'
import { networkErrorOf } from '../network-error.ts'
import { valueTags } from '../op-values.ts'
import { opPointTags, opRequestTags, type Answer, type OpAttempt, type Tags } from '../points.ts'
import { OP_FIELDS, OpField, SESSION_HEAD, type SessionRow } from '../workload-format.ts'
import { httpCall } from './http-call.ts'
import { Mulberry32 } from './jitter.ts'
import { executionSegment, OP_TREND, PLAN, REGION_IDS, RUN_METRICS, runNowMs, runZeroWallMs, SESSIONS, sleepUntil, urlOf } from './runtime.ts'

const BAD_RESPONSE: RequestOutcome = { outcome: Outcome.Indeterminate, code: 'LS_CLIENT_BAD_RESPONSE', retryable: true, failover: false }

let policy: ClientPolicy | undefined

/**
 * The VU's client: routes, failover memory, retry budget and backoff. k6 VUs share no memory, so
 * each VU keeps its own (mode sim and http keep one per run): failover is learnt per VU.
 */
function clientPolicy(): ClientPolicy {
  if (policy === undefined) {
    policy = new ClientPolicy({ spec: PLAN.client, regions: PLAN.regions, jitter: new Mulberry32('client', PLAN.world.seed * 7919 + exec.vu.idInTest) })
  }
  return policy
}

export function runSessionIteration(): void {
  const name = exec.scenario.name
  const list = SESSIONS[name]
  const index = exec.scenario.iterationInTest
  // More iterations than sessions: the rest have nothing to do.
  if (list === undefined || index >= list.length) return
  const row = list[index] as SessionRow
  runSession(row, runZeroWallMs(), PLAN.waitForStart[name] === true)
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

export function runSession(row: SessionRow, zeroWallMs: number, waitForStart: boolean): void {
  const session = row[0]
  const userId = row[2]
  const videoId = row[3]
  const home = row[4]
  // Closed model (VU executors): the session starts when the VU takes it.
  const baseMs = waitForStart ? row[1] : runNowMs(zeroWallMs)
  const ops = row as unknown as number[]
  for (let at = SESSION_HEAD; at + OP_FIELDS <= ops.length; at += OP_FIELDS) {
    const dueMs = baseMs + (ops[at + OpField.OffsetMs] as number)
    sleepUntil(zeroWallMs, dueMs, sleep)
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
    runOperation(op, dueMs, zeroWallMs)
  }
}

/** LikeStorm's own metrics, as mode sim and http count them from the history. */
function recordRunMetrics(a: { outcome: RequestOutcome; answer: Answer; values: Tags | undefined; failover: boolean; openModelMs: number; elapsedMs: number; kind: number; tags: Tags }): void {
  if (a.failover) RUN_METRICS.failovers.add(1, a.tags)
  if (a.answer.status === 429 || a.answer.status === 503) RUN_METRICS.shedRequests.add(1, a.tags)
  if (a.outcome.outcome !== Outcome.Ok) return
  RUN_METRICS.openModelDuration.add(Math.max(a.elapsedMs, a.openModelMs), a.tags)
  if (a.kind === OpKind.Like) RUN_METRICS.likesAcknowledged.add(1, a.tags)
  if (a.kind === OpKind.ReadVideo && a.values !== undefined && a.values['stale'] === 'true') RUN_METRICS.readsStale.add(1, a.tags)
}

interface Prepared {
  readonly key: string
  readonly shape: RequestShape
  readonly headers: Readonly<Record<string, string>>
}

/** One operation: home first (or its pinned region), nearest-first failover, retries with the same key. */
function runOperation(op: SessionOp, dueMs: number, zeroWallMs: number): void {
  const client = clientPolicy()
  const key = isWrite(op.kind as OpKind) ? `ls-${PLAN.exportId}-${op.keyId}` : ''
  const shape = requestShape(op.kind, { userId: op.userId, videoId: op.videoId, watchMs: op.watchMs, key })
  const headers: Record<string, string> = {}
  if (shape.body !== undefined) headers['content-type'] = 'application/json'
  if (shape.idempotencyKey !== undefined) headers['idempotency-key'] = shape.idempotencyKey
  const prepared: Prepared = { key, shape, headers }
  client.earn(op.home)
  let intendedMs = dueMs
  for (let attempt = 1; ; attempt++) {
    let now = runNowMs(zeroWallMs)
    let region = op.route >= 0 && !client.avoids(op.route, now) ? op.route : client.pick(op.home, now)
    let sent: Sent = { outcome: BAD_RESPONSE, retryAfterMs: undefined }
    for (let hop = 0; hop < REGION_IDS.length; hop++) {
      sent = sendAttempt(op, prepared, { region, attempt, hop, intendedMs, zeroWallMs })
      if (sent.outcome.outcome === Outcome.Ok) return
      now = runNowMs(zeroWallMs)
      if (!sent.outcome.failover) break
      // A refused connection: the region is down; try the next of the route at once.
      client.refused(region, now)
      const next = client.pick(op.home, now)
      if (client.avoids(next, now)) break
      region = next
      intendedMs = now
    }
    if (!sent.outcome.retryable || !client.mayRetry(op.home, attempt)) return
    intendedMs = runNowMs(zeroWallMs) + client.backoffMs(attempt, sent.retryAfterMs)
    sleepUntil(zeroWallMs, intendedMs, sleep)
  }
}

interface Sent {
  readonly outcome: RequestOutcome
  readonly retryAfterMs: number | undefined
}

/** One request to one region, recorded as a likestorm_op point (and k6 checks and LikeStorm's metrics). */
function sendAttempt(op: SessionOp, prepared: Prepared, at: { region: number; attempt: number; hop: number; intendedMs: number; zeroWallMs: number }): Sent {
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
  const result = httpCall(at.zeroWallMs, {
    method: prepared.shape.method,
    url: urlOf(attemptPoint.region, prepared.shape.path),
    body: prepared.shape.body === undefined ? null : prepared.shape.body,
    headers: prepared.headers,
    tags: opRequestTags(attemptPoint),
    timeoutMs: PLAN.client.timeoutMs,
  })
  const answer = result.answer
  const values = answer.status >= 200 && answer.status < 300 ? valueTags(op.kind, result.body) : undefined
  let outcome: RequestOutcome
  if (answer.status > 0) outcome = outcomeOfStatus(answer.status, answer.code === '' ? undefined : answer.code)
  else {
    const error = networkErrorOf(answer.k6err)
    outcome = outcomeOfError(error.kind, error.sent)
  }
  if (outcome.outcome === Outcome.Ok && values === undefined) outcome = BAD_RESPONSE
  OP_TREND.add(result.elapsedMs, opPointTags(attemptPoint, answer, values))
  const metricTags = { op: OP_KIND_NAMES[op.kind] ?? '', region: attemptPoint.region }
  check(answer, { 'answered (no network error)': (a) => a.status !== 0, 'status 2xx': (a) => a.status >= 200 && a.status < 300 }, { phase: 'run', ...metricTags })
  recordRunMetrics({ outcome, answer, values, failover: attemptPoint.failover, openModelMs: answer.sentMs + result.elapsedMs - at.intendedMs, elapsedMs: result.elapsedMs, kind: op.kind, tags: metricTags })
  return { outcome, retryAfterMs: result.retryAfterMs }
}
