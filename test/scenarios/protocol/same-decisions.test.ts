// The one protocol, three callers: the same sequence of answers fed to mode sim's sender (scripted
// core replies on virtual time), mode http's sender (a scripted client on a compressed clock) and
// the k6 script (the exported script.js in a k6 stand-in, scripted responses) gives the same
// requests — to the same regions, with the same attempt and failover numbers — and the same
// failure kinds in what each records.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CoreReply } from '../../../mock-server/core/core-reply.ts'
import type { SystemErrorCode } from '../../../mock-server/systems/system.ts'
import { FAILURE_KIND_NAMES, type FailureKindName } from '../../../sim/failure-kind.ts'
import { History } from '../../../sim/history.ts'
import { newOperationRecord, type OpKind, type Operation } from '../../../sim/operation.ts'
import { OpField, SESSION_HEAD, type SessionRow, type WorkloadFile } from '../../../scenarios/k6/workload-format.ts'
import { ClientProtocol } from '../../../scenarios/protocol/client-protocol.ts'
import type { Answer } from '../../../scenarios/run/http/http-client.ts'
import { OperationSender } from '../../../scenarios/run/http/operation-sender.ts'
import { RunStop } from '../../../scenarios/run/http/run-stop.ts'
import { ScenarioClock } from '../../../scenarios/run/http/scenario-clock.ts'
import { SharedServerClock } from '../../../scenarios/run/http/server-clock.ts'
import { prepareRun } from '../../../scenarios/run/run-setup.ts'
import { SimRoundTrip } from '../../../scenarios/run/sim-round-trip.ts'
import { SimSender } from '../../../scenarios/run/sim-sender.ts'
import { exported, libraryScenario } from '../../k6/helpers/exports.ts'
import { RUN_EPOCH_MS } from '../../k6/helpers/k6-lines.ts'
import { loadScript, type FakeResponse } from '../../k6/helpers/k6-sandbox.ts'

/** What the server (or the network) answers, in the words every mode can say it in. */
type Scripted = 'ok' | 'shed' | 'rate-limited' | 'unavailable' | 'refused' | 'timeout' | 'unknown-id'

/** One request as a mode recorded it. */
interface Step {
  readonly region: string
  readonly attempt: number
  /** Failovers before it within its attempt. */
  readonly hop: number
  readonly kind: FailureKindName
}

const SCENARIO = 'region-failover'
const RETRY_AFTER_MS = 40
const summary = exported(SCENARIO)
const workloadText = readFileSync(summary.files.workload, 'utf8')
const workload = JSON.parse(workloadText) as WorkloadFile
const setup = prepareRun({ scenario: libraryScenario(SCENARIO), seed: summary.manifest.seed, scale: summary.manifest.scale })
const { population } = setup
const regionIds = population.regionIds

/** The first session whose first operation uses the client's own routing, from a region with a failover order. */
function firstRoutedSession(): { scenario: string; index: number; row: SessionRow } {
  for (const [scenario, rows] of Object.entries(workload.sessions)) {
    const index = rows.findIndex((row) => row !== null && row[SESSION_HEAD + OpField.Route] === -1 && (setup.world.regions[row[4]]?.failoverOrder.length ?? 0) > 0)
    if (index >= 0) return { scenario, index, row: rows[index] as SessionRow }
  }
  throw new Error('no session with client routing')
}

const session = firstRoutedSession()
const field = (f: number): number => session.row[SESSION_HEAD + f] as number
const home = session.row[4]
const op = {
  kind: field(OpField.Kind) as OpKind,
  user: population.userIds.indexOf(session.row[2]),
  video: population.videoIds.indexOf(session.row[3]),
  device: field(OpField.Device),
  watchMs: field(OpField.WatchMs),
  keyId: field(OpField.KeyId),
  req: field(OpField.Req),
}
const homeId = regionIds[home] as string
const failoverId = setup.world.regions[home]?.failoverOrder[0] as string

/** A body every operation kind accepts as its answer. */
const OK_BODY = { videoId: 'v', userId: 'u', liked: true, likeCount: 1, viewCount: 1, uniqueViewers: 1, stale: false, asOfMs: 0 }
const CORE_CODE: Partial<Record<Scripted, SystemErrorCode | 'LS_CORE_REGION_DOWN'>> = { shed: 'LS_CORE_OVERLOADED', 'rate-limited': 'LS_CORE_RATE_LIMITED', unavailable: 'LS_CORE_COUNT_UNAVAILABLE', refused: 'LS_CORE_REGION_DOWN', 'unknown-id': 'LS_CORE_UNKNOWN_VIDEO' }
const STATUS: Partial<Record<Scripted, number>> = { shed: 503, 'rate-limited': 429, unavailable: 503, 'unknown-id': 404 }

/** Hop numbers from the order of requests: a request with the same attempt number as the one before is a failover. */
function steps(requests: ReadonlyArray<{ region: string; attempt: number; kind: FailureKindName }>): Step[] {
  return requests.map((r, i) => {
    let hop = 0
    for (let j = i - 1; j >= 0 && requests[j]?.attempt === r.attempt; j--) hop++
    return { ...r, hop }
  })
}

function historySteps(history: History): Step[] {
  return steps(Array.from({ length: history.length }, (_, i) => ({ region: regionIds[history.regionOf(i)] as string, attempt: history.attemptOf(i), kind: FAILURE_KIND_NAMES[history.failureOf(i)] })))
}

function runSim(answers: readonly Scripted[]): Step[] {
  const history = new History()
  const queue: Array<{ attempt: number; atMs: number }> = []
  const reply = new CoreReply()
  let next = 0
  const sender = new SimSender({
    protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('same-decisions-sim') }),
    roundTrip: new SimRoundTrip(setup.world.regions),
    history,
    timeoutMs: setup.client.timeoutMs,
    call: () => {
      const answer = answers[next++] ?? 'ok'
      if (answer === 'ok') return reply.succeed(5, false)
      if (answer === 'timeout') return reply.succeed(setup.client.timeoutMs + 1000, false)
      return reply.fail(CORE_CODE[answer] as SystemErrorCode | 'LS_CORE_REGION_DOWN', 5, answer === 'refused' || answer === 'unknown-id' ? Number.NaN : RETRY_AFTER_MS)
    },
    retryAt: (_op, attempt, atMs) => queue.push({ attempt, atMs }),
  })
  const record = newOperationRecord()
  Object.assign(record, { id: op.keyId, kind: op.kind, user: op.user, home, video: op.video, device: op.device, watchMs: op.watchMs, route: -1, keyId: op.keyId })
  sender.execute(record, 1, 0)
  for (let retry = queue.shift(); retry !== undefined; retry = queue.shift()) sender.execute(record, retry.attempt, retry.atMs)
  return historySteps(history)
}

async function runHttp(answers: readonly Scripted[]): Promise<Step[]> {
  const history = new History()
  const clock = new ScenarioClock(0.01)
  let next = 0
  const answerOf = (answer: Scripted): Answer => {
    const now = performance.now()
    if (answer === 'ok') return { status: 200, body: OK_BODY, retryAfterS: undefined, sentAt: now, doneAt: now, failure: undefined }
    if (answer === 'refused') return { status: 0, body: undefined, retryAfterS: undefined, sentAt: Number.NaN, doneAt: now, failure: 'refused' }
    if (answer === 'timeout') return { status: 0, body: undefined, retryAfterS: undefined, sentAt: now, doneAt: now, failure: 'timeout' }
    return { status: STATUS[answer] as number, body: { code: CORE_CODE[answer] }, retryAfterS: answer === 'unknown-id' ? undefined : RETRY_AFTER_MS / 1000, sentAt: now, doneAt: now, failure: undefined }
  }
  const sender = new OperationSender({
    setup,
    history,
    protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('same-decisions-http') }),
    client: { send: () => Promise.resolve(answerOf(answers[next++] ?? 'ok')) },
    clock,
    serverClock: new SharedServerClock(clock),
    stop: new RunStop(),
    runId: 'same-decisions',
    onAnswer: () => undefined,
  })
  const operation: Operation = { id: op.keyId, atMs: 0, kind: op.kind, user: op.user, video: op.video, device: op.device, watchMs: op.watchMs, session: 0, route: -1, original: null }
  await sender.send(operation, clock.nowMs())
  return historySteps(history)
}

function runK6(answers: readonly Scripted[]): Step[] {
  let next = 0
  const responseOf = (answer: Scripted): FakeResponse => {
    if (answer === 'ok') return { status: 200, body: OK_BODY }
    if (answer === 'refused') return { status: 0, errorCode: 1212 }
    if (answer === 'timeout') return { status: 0, errorCode: 1050 }
    const headers = answer === 'unknown-id' ? {} : { 'Retry-After': String(RETRY_AFTER_MS / 1000) }
    return { status: STATUS[answer] as number, body: { code: CORE_CODE[answer] }, headers }
  }
  // The ids ride as k6 metadata, the rest as tags.
  const isOurs = (tags: Readonly<Record<string, string>>): boolean => tags['phase'] === 'run' && tags['opId'] === String(op.keyId) && tags['req'] === String(op.req)
  const k6 = loadScript({
    script: readFileSync(summary.files.script, 'utf8'),
    files: { './workload.json': workloadText },
    env: {},
    epochMs: RUN_EPOCH_MS,
    respond: (request) => (isOurs({ ...request.tags, ...request.metadata }) ? responseOf(answers[next++] ?? 'ok') : { status: 200, body: OK_BODY }),
  })
  k6.iterate('default', { name: session.scenario, startOffsetMs: 0, iterationInTest: session.index })
  const points = k6.samples.filter((sample) => sample.metric === 'likestorm_op' && isOurs({ ...sample.tags, ...sample.metadata }))
  return steps(points.map((p) => ({ region: p.tags['region'] as string, attempt: Number(p.tags['attempt']), kind: p.tags['failure'] as FailureKindName })))
}

const CASES: ReadonlyArray<{ name: string; answers: readonly Scripted[]; expected: (Omit<Step, 'region'> & { region: 'home' | 'failover' })[] }> = [
  {
    name: 'a shed request is retried; a refused connection fails over at once, keeping the attempt number',
    answers: ['shed', 'refused', 'ok'],
    expected: [
      { region: 'home', attempt: 1, hop: 0, kind: 'shed' },
      { region: 'home', attempt: 2, hop: 0, kind: 'refused' },
      { region: 'failover', attempt: 2, hop: 1, kind: 'none' },
    ],
  },
  {
    name: 'retries end after maxAttempts, whatever the retryable kind',
    answers: ['timeout', 'rate-limited', 'unavailable', 'ok'],
    expected: [
      { region: 'home', attempt: 1, hop: 0, kind: 'timeout' },
      { region: 'home', attempt: 2, hop: 0, kind: 'rate-limited' },
      { region: 'home', attempt: 3, hop: 0, kind: 'unavailable' },
    ],
  },
  {
    name: 'a definite refusal of the request is not retried',
    answers: ['unknown-id', 'ok'],
    expected: [{ region: 'home', attempt: 1, hop: 0, kind: 'unknown-id' }],
  },
  {
    name: 'after a refusal the client keeps away from the region for its next attempt',
    answers: ['refused', 'shed', 'ok'],
    expected: [
      { region: 'home', attempt: 1, hop: 0, kind: 'refused' },
      { region: 'failover', attempt: 1, hop: 1, kind: 'shed' },
      { region: 'failover', attempt: 2, hop: 0, kind: 'none' },
    ],
  },
]

describe('one protocol in every mode', () => {
  it('uses a session of a world with more than one region', () => {
    expect(regionIds.length).toBeGreaterThan(1)
    expect(failoverId).not.toBe(homeId)
  })

  for (const c of CASES) {
    it(c.name, async () => {
      const expected = c.expected.map((s) => ({ ...s, region: s.region === 'home' ? homeId : failoverId }))
      expect(runSim(c.answers), 'mode sim').toEqual(expected)
      expect(await runHttp(c.answers), 'mode http').toEqual(expected)
      expect(runK6(c.answers), 'k6 script').toEqual(expected)
    })
  }
})
