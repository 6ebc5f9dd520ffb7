// The likestorm_faults scenario: one VU (so one in the whole test, whatever the number of
// instances) that talks to the target's admin API. It reads the state first (the target's clock
// against the run's, and a check that the target serves this export's world), then switches every
// fault of the timeline at its time (overload as capacity ÷ factor on the server, outages,
// partitions, slow caches, takedowns, purges), reads the state every second (replication lag),
// probes convergence after the last fault, and reads the system's counters before the final phase.
import { sleep } from 'k6'
import exec from 'k6/execution'
import { adminPointTags, CLOCK_SLACK_EXTRA_MS, Phase, purgePointTags, type AdminPhase, type Tags } from '../points.ts'
import type { AdminRequest, FaultEvent } from '../plan-format.ts'
import { purgeEntries, purgeReportTags, stateReadTags } from '../read-tags.ts'
import { httpCall, type CallResult } from './http-call.ts'
import { addPoint, ADMIN_TOKEN, ADMIN_TREND, executionSegment, PLAN, PURGE_COUNTER, REGION_IDS, runNowMs, sleepUntil, URLS } from './runtime.ts'
import { probeAgain } from '../../protocol/final-reads.ts'

// k6 has a console; @types/k6 leaves it to a lib, and this program has no DOM or Node lib of its own.
declare const console: { warn(...data: unknown[]): void; error(...data: unknown[]): void }

const ADMIN_TIMEOUT_MS = 30_000
const STATE: AdminRequest = { method: 'GET', path: '/admin/v1/state', body: null }

interface Task {
  readonly atMs: number
  /** 0 fault switch, 1 lag sample, 2 convergence probe, 3 counters before the final phase. */
  readonly type: number
  readonly event: FaultEvent | undefined
}

interface StateRead {
  readonly nowMs: number
  readonly marks: readonly number[]
  /** The target's clock less the run's at the call's midpoint, and how far off that may be. */
  readonly offsetMs: number
  readonly slackMs: number
}

export function runFaultsIteration(): void {
  const down: Record<string, boolean> = {}
  if (ADMIN_TOKEN === '') {
    console.warn('likestorm: ADMIN_TOKEN is not set: faults, purges, lag samples and convergence probes are skipped (the ingester reports them as skipped)')
    addPoint(ADMIN_TREND, 0, adminPointTags(call(Phase.Clock, 'state', -1, ''), { sentMs: runNowMs(), status: 0, k6err: 0, code: 'LS_K6_NO_ADMIN_TOKEN' }, {}))
    return
  }
  // The target's clock less the run's, from the state read with the shortest round trip so far, as
  // the ingester measures it from every read.
  const clock: ClockEstimate = { offsetMs: 0, slackMs: Infinity }
  const read = (phase: AdminPhase): StateRead | undefined => {
    const state = readState(down, phase)
    if (state !== undefined && state.slackMs < clock.slackMs) Object.assign(clock, { offsetMs: state.offsetMs, slackMs: state.slackMs })
    return state
  }
  if (read(Phase.Clock) === undefined) console.warn('likestorm: the target does not answer GET /admin/v1/state: faults and probes are attempted, server times are taken as run times')
  const tasks: Task[] = PLAN.faults.map((event) => ({ atMs: event.atMs, type: 0, event }))
  for (let t = PLAN.sampleEveryMs; t <= PLAN.durationMs; t += PLAN.sampleEveryMs) tasks.push({ atMs: t, type: 1, event: undefined })
  tasks.push({ atMs: PLAN.convergence.fromMs, type: 2, event: undefined })
  tasks.push({ atMs: PLAN.faultsEndMs, type: 3, event: undefined })
  sortTasks(tasks)
  while (tasks.length > 0) {
    const task = tasks.shift() as Task
    sleepUntil(task.atMs, sleep)
    if (task.type === 0) switchFault(down, task.event as FaultEvent)
    else if (task.type === 1) read(Phase.Sample)
    else if (task.type === 3) read(Phase.Counters)
    else {
      const probe = read(Phase.Probe)
      const fromMs = PLAN.convergence.fromMs
      const caughtUp = probe !== undefined && caughtUpBeyondDoubt(probe.marks, clock, fromMs)
      const atMs = runNowMs()
      if (probeAgain({ atMs, fromMs, deadlineMs: PLAN.convergence.deadlineMs, caughtUp })) {
        tasks.push({ atMs: atMs + PLAN.convergence.probeEveryMs, type: 2, event: undefined })
        sortTasks(tasks)
      }
    }
  }
}

/** The target's clock less the run's, and how far off that may be (half a round trip and then some). */
interface ClockEstimate {
  offsetMs: number
  slackMs: number
}

/**
 * Every region's watermark past `fromMs` whichever offset within the clock's slack is right, and
 * whichever the ingester picks (its read is at least as good as ours: twice the slack). Probing
 * stops at the first such probe; stopped earlier, on an offset a slow first read got wrong, the
 * ingester saw no catch-up (issue 19: convergence failed robust on a loaded machine).
 */
function caughtUpBeyondDoubt(marks: readonly number[], clock: ClockEstimate, fromMs: number): boolean {
  const doubtMs = Number.isFinite(clock.slackMs) ? 2 * clock.slackMs : 0
  return marks.every((mark) => mark - clock.offsetMs >= fromMs + doubtMs)
}

function sortTasks(tasks: Task[]): void {
  tasks.sort((a, b) => a.atMs - b.atMs || a.type - b.type)
}

function call(phase: AdminPhase, action: string, fault: number, region: string): { exportId: string; seg: string; phase: AdminPhase; action: string; fault: number; region: string } {
  return { exportId: PLAN.exportId, seg: executionSegment(), phase, action, fault, region }
}

/** Send an admin request to the first region that answers (skipping regions this VU took down). */
function adminRequest(down: Readonly<Record<string, boolean>>, request: AdminRequest, point: { phase: AdminPhase; action: string; fault: number }, avoid: string): { result: CallResult; region: string } | undefined {
  const order = REGION_IDS.filter((region) => down[region] !== true && region !== avoid).concat(REGION_IDS.filter((region) => region === avoid && down[region] !== true))
  let last: { result: CallResult; region: string } | undefined
  for (const region of order) {
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }
    if (request.body !== null) headers['content-type'] = 'application/json'
    const result = httpCall({
      method: request.method,
      url: `${URLS[region] as string}${request.path}`,
      body: request.body,
      headers,
      tags: { phase: point.phase, action: point.action, region },
      timeoutMs: ADMIN_TIMEOUT_MS,
    })
    last = { result, region }
    const status = result.answer.status
    const extra = status >= 200 && status < 300 ? answerTags(point.phase, result.body) : {}
    addPoint(ADMIN_TREND, result.elapsedMs, adminPointTags(call(point.phase, point.action, point.fault, region), result.answer, extra))
    // Refused, or this region cannot serve it now: another region's listener may.
    if (status !== 0 && status !== 503) return last
  }
  return last
}

function answerTags(phase: AdminPhase, body: unknown): Tags {
  return phase === Phase.Fault ? purgeReportTags(body) : stateReadTags(body, REGION_IDS, URLS[REGION_IDS[0] as string] as string)
}

function readState(down: Readonly<Record<string, boolean>>, phase: AdminPhase): StateRead | undefined {
  const sent = adminRequest(down, STATE, { phase, action: 'state', fault: -1 }, '')
  if (sent === undefined) return undefined
  const { result } = sent
  if (result.answer.status !== 200) return undefined
  const state = result.body as { nowMs?: unknown; world?: { scenario?: unknown; seed?: unknown; scale?: unknown } }
  if (typeof state?.nowMs !== 'number') return undefined
  const marks = (stateReadTags(result.body, REGION_IDS, '')['marks'] ?? '').split(',').map(Number)
  if (phase === Phase.Clock) checkWorld(state.world)
  // The target's clock at the midpoint of the call, against the run's.
  return { nowMs: state.nowMs, marks, offsetMs: state.nowMs - (result.answer.sentMs + result.elapsedMs / 2), slackMs: result.elapsedMs / 2 + CLOCK_SLACK_EXTRA_MS }
}

/** A target serving another world would make every check meaningless: stop the test at once. */
function checkWorld(world: { scenario?: unknown; seed?: unknown; scale?: unknown } | undefined): void {
  if (world === undefined || world === null) return
  const expected = PLAN.world
  if (world.scenario !== expected.scenario || world.seed !== expected.seed || world.scale !== expected.scale) {
    const message =
      `the target serves ${String(world.scenario)} seed ${String(world.seed)} scale ${String(world.scale)}, but this export is ${expected.scenario} seed ${expected.seed} scale ${expected.scale}; ` +
      `reset it: POST /admin/v1/reset {"seed":${expected.seed},"scenario":"${expected.scenario}","scale":${expected.scale}}`
    console.error(`likestorm: ${message}`)
    exec.test.abort(message)
  }
}

function switchFault(down: Record<string, boolean>, event: FaultEvent): void {
  // A region going down is switched through another region's listener.
  const avoid = event.outage !== null && event.outage.down ? event.outage.region : ''
  const sent = adminRequest(down, event.request, { phase: Phase.Fault, action: event.action, fault: event.fault }, avoid)
  if (sent === undefined) return
  const status = sent.result.answer.status
  if (status < 200 || status >= 300) {
    console.warn(`likestorm: fault ${event.fault} (${event.action}) answered ${status}${sent.result.answer.code === '' ? '' : ` ${sent.result.answer.code}`}`)
    return
  }
  if (event.outage !== null) down[event.outage.region] = event.outage.down
  if (event.action === 'purge') recordPurge(event.fault, sent.result.body)
}

/** Every account, like and video's views the purge reported, one point each. */
function recordPurge(fault: number, body: unknown): void {
  const entries = purgeEntries(body)
  const base = { exportId: PLAN.exportId, seg: executionSegment(), fault }
  for (const account of entries.accounts) addPoint(PURGE_COUNTER, 1, purgePointTags({ ...base, what: 'account', userId: account.userId, videoId: '', reasons: account.reasons }))
  for (const like of entries.likes) addPoint(PURGE_COUNTER, 1, purgePointTags({ ...base, what: 'like', userId: like.userId, videoId: like.videoId, reasons: '' }))
  for (const item of entries.views ?? []) addPoint(PURGE_COUNTER, 1, purgePointTags({ ...base, what: 'view', userId: item.userId, videoId: item.videoId, reasons: '', views: item.views }))
}
