// Mode http: the world's operations sent over real sockets, on the wall clock (scaled by
// --time-scale), to the mock server started here or to any service that speaks the /v1 API.
//
// Open model (arrival-rate executors): each operation is due at its world time; when it is due a
// free VU sends it (or, with every VU busy, it is dropped and counted: dropped_iterations). The
// VU stays busy through the operation's retries. Closed model (VU executors): VUs loop over the
// operation stream, each sending its next operation when the last one is answered.
// Retries use the same idempotency key; a refused connection fails over to the next region;
// faults go through the admin API at their times; convergence probes and lag samples read the
// admin state. Every attempt lands in the same history mode sim writes.
import { randomUUID } from 'node:crypto'
import type { StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import { describeFault, lastDisturbanceEndMs, type FaultSpec } from '../../../sim/faults.ts'
import { History, Outcome, type FaultRecord } from '../../../sim/history.ts'
import { OpKind, keyOperation, type Operation } from '../../../sim/operation.ts'
import { TrafficGenerator } from '../../../sim/traffic.ts'
import { runOpenModel } from './open-model.ts'
import { parseDurationMs } from '../../k6-duration.ts'
import { ClientPolicy } from '../client-policy.ts'
import { outcomeOfError, outcomeOfStatus, type RequestOutcome } from '../request-outcome.ts'
import type { RunSetup } from '../run-setup.ts'
import { purgeRecord, takedownIds } from '../sim-faults.ts'
import { parseThresholds } from '../threshold.ts'
import { AbortWatch } from './abort-watch.ts'
import { AdminClient, type AdminState } from './admin-client.ts'
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts'
import { HttpClient, type Answer } from './http-client.ts'
import { runHttpFinalPhase } from './http-final-phase.ts'
import { requestShape } from './request-shape.ts'
import { ScenarioClock } from './scenario-clock.ts'
import { CalibratedServerClock, SharedServerClock, type ServerClock } from './server-clock.ts'
import type { Target } from './target.ts'

export interface HttpProgress {
  readonly phase: 'traffic' | 'draining' | 'final'
  readonly scenarioMs: number
  readonly durationMs: number
  readonly attempts: number
  readonly failed: number
  readonly ratePerS: number
  readonly activeFaults: readonly string[]
}

export interface HttpRunOptions {
  readonly setup: RunSetup
  /** The strategy of the embedded mock server (ignored with a target). */
  readonly strategy: StrategyBehaviour
  /** An external target; without it the mock server runs in this process. */
  readonly target?: Target
  readonly adminToken?: string
  /** Wall time = scenario time x timeScale. */
  readonly timeScale: number
  /** Hard bound on the whole run's wall time. */
  readonly durationMaxMs: number
  /** Hard bound on logical operations. */
  readonly maxOperations: number
  /** Connections per region pool. */
  readonly connections: number
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: HttpProgress) => void
}

export interface HttpRun {
  readonly history: History
  readonly interrupted: boolean
  readonly droppedIterations: number
  readonly peakVus: number
  readonly systemCounters: Readonly<Record<string, number>>
  /** Faults that could not be applied, with why. */
  readonly skippedFaults: readonly string[]
  readonly operations: number
  readonly wallMs: number
  /** The abortOnFail threshold that stopped the run, with what it observed. */
  readonly abortedBy: string | undefined
}

const BUCKET_MS = 1000
const PROBE_INTERVAL_MS = 100
const QUIET_MS = 5000
/** After an early stop, how long answers still on the wire may take. */
const STOP_DRAIN_MS = 2000
/** How often abortOnFail thresholds are judged (k6 judges thresholds every 2 s). */
const ABORT_EVAL_INTERVAL_MS = 1000

/** Executors of the closed model. */
const VU_EXECUTORS = new Set(['constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations'])

export async function runHttpDriver(options: HttpRunOptions): Promise<HttpRun> {
  const started = performance.now()
  const { setup } = options
  const { population } = setup
  const regions = population.regionIds
  const clock = new ScenarioClock(options.timeScale)
  let embedded: EmbeddedServer | undefined
  if (options.target === undefined) {
    const totalVus = vuBudget(setup)
    embedded = await startEmbeddedServer({ setup, strategy: options.strategy, clock, inFlightMax: Math.max(1024, totalVus) })
  }
  const urls = embedded?.urls ?? (options.target as Target).urls
  const adminToken = embedded?.adminToken ?? options.adminToken
  const admin = adminToken === undefined ? undefined : new AdminClient({ urls: regions.map((region) => urls[region] as string), token: adminToken })
  const client = new HttpClient({ urls, connections: options.connections, timeoutMs: setup.client.timeoutMs })
  try {
    const serverClock = embedded === undefined ? new CalibratedServerClock(clock) : new SharedServerClock(clock)
    return await drive({ options, clock, serverClock, client, admin, started })
  } finally {
    await client.close()
    await embedded?.close()
  }
}

/** The VUs the scenario allows (maxVUs of arrival-rate executors, vus of the others). */
export function vuBudget(setup: RunSetup): number {
  let total = 0
  for (const scenario of Object.values(setup.scenario.load.scenarios ?? {})) {
    const s = scenario as { maxVUs?: number; preAllocatedVUs?: number; vus?: number; startVUs?: number; stages?: Array<{ target: number }> }
    if (VU_EXECUTORS.has(scenario.executor)) total += Math.max(s.vus ?? 1, s.startVUs ?? 0, ...(s.stages ?? []).map((stage) => stage.target))
    else total += s.maxVUs ?? s.preAllocatedVUs ?? 1
  }
  return Math.max(1, Math.round(total * setup.scale))
}

interface DriveContext {
  readonly options: HttpRunOptions
  readonly clock: ScenarioClock
  /** The target's clock against ours. */
  readonly serverClock: ServerClock
  readonly client: HttpClient
  readonly admin: AdminClient | undefined
  readonly started: number
}

async function drive(context: DriveContext): Promise<HttpRun> {
  const { options, clock, serverClock, client, admin } = context
  const { setup } = options
  const { population, durationMs } = setup
  const regions = population.regionIds
  const faults = setup.scenario.faults
  const history = new History()
  const policy = new ClientPolicy({ spec: setup.client, regions: setup.world.regions, jitter: setup.rng.stream('client') })
  const traffic = new TrafficGenerator({ spec: setup.world, population, faults, rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng })
  const keyPrefix = `ls-${randomUUID().slice(0, 8)}-`
  const skippedFaults: string[] = []
  const activeFaults = new Set<string>()
  const timers = new Set<NodeJS.Timeout>()
  const vuMax = vuBudget(setup)
  const closedModel = Object.values(setup.scenario.load.scenarios ?? {}).some((s) => VU_EXECUTORS.has(s.executor))
  let stopped = false
  let interrupted = false
  let inFlight = 0
  let peakVus = 0
  let dropped = 0
  let operations = 0
  let attempts = 0
  let failedAttempts = 0
  let adminUsable = admin !== undefined

  // Stopping early (Ctrl-C, --duration-max, an abortOnFail threshold) wakes every wait at once.
  const stopWaiters = new Set<() => void>()
  const stopRun = (): void => {
    if (stopped) return
    interrupted = true
    stopped = true
    // Each wake clears its timer and leaves the set.
    for (const wake of stopWaiters) wake()
  }
  /** Sleep on the wall clock, or until the run stops; `cancel` ends it early, its timer cleared. */
  const stoppableSleep = (wallMs: number): { done: Promise<void>; cancel: () => void } => {
    let cancel = (): void => {}
    const done = new Promise<void>((resolve) => {
      if (stopped) return resolve()
      const wake = (): void => {
        clearTimeout(timer)
        stopWaiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, wallMs)
      stopWaiters.add(wake)
      cancel = wake
    })
    return { done, cancel }
  }
  const untilStopped = (wallMs: number): Promise<void> => stoppableSleep(wallMs).done

  const later = (scenarioMs: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!stopped) action()
    }, clock.wallDelayMs(scenarioMs))
    timers.add(timer)
  }

  // ---- one attempt, and what follows it ------------------------------------------------
  const recordAnswer = (op: Operation, index: number, answer: Answer, outcome: RequestOutcome): void => {
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

  const attempt = async (op: Operation, attemptNo: number, intendedMs: number): Promise<void> => {
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
    for (let hop = 0; hop < regions.length && !stopped; hop++) {
      const invokeMs = clock.nowMs()
      const index = history.invoke(op.kind, keyOp.id, op.user, op.video, op.user * 2 + op.device, region, attemptNo, invokeMs, region !== home && region !== op.route)
      if (intendedMs < invokeMs) history.intended(index, intendedMs)
      attempts++
      const answer = await client.send({ region: regions[region] as string, method: shape.method, path: shape.path, body: shape.body, headers })
      const outcome = answer.failure !== undefined ? outcomeOfError(answer.failure, !Number.isNaN(answer.sentAt)) : outcomeOfStatus(answer.status, errorCodeOf(answer.body))
      recordAnswer(op, index, answer, outcome)
      if (outcome.outcome === Outcome.Ok) return
      failedAttempts++
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
      const retryAfterMs = answer.retryAfterS === undefined ? undefined : serverClock.retryAfterMs(answer.retryAfterS)
      const dueMs = clock.nowMs() + policy.backoffMs(attemptNo, retryAfterMs)
      await untilStopped(clock.wallDelayMs(dueMs))
      if (stopped) return
      return attempt(op, attemptNo + 1, dueMs)
    }
  }

  const runOperation = async (op: Operation): Promise<void> => {
    const home = population.userRegion[op.user] as number
    policy.earn(home)
    inFlight++
    if (inFlight > peakVus) peakVus = inFlight
    try {
      // In the closed model an operation is due when its VU takes it.
      await attempt(op, 1, closedModel ? clock.nowMs() : op.atMs)
    } finally {
      inFlight--
    }
  }

  // ---- faults, lag samples and convergence probes -----------------------------------------
  const calibrate = async (): Promise<AdminState | undefined> => {
    if (!adminUsable || admin === undefined) return undefined
    const before = clock.nowMs()
    const answer = await admin.state()
    if (!answer.ok) return undefined
    serverClock.observe(before, clock.nowMs(), answer.value.nowMs)
    return answer.value
  }
  const applyFault = async (spec: FaultSpec, start: boolean): Promise<void> => {
    const label = describeFault(spec)
    if (start) activeFaults.add(label)
    else activeFaults.delete(label)
    if (spec.kind === 'overload' || spec.kind === 'ddos') return
    const record: FaultRecord | undefined = start ? { spec, startMs: spec.startS * 1000, endMs: spec.endS * 1000 } : undefined
    if (record !== undefined) history.faults.push(record)
    if (!adminUsable || admin === undefined) {
      if (record !== undefined) {
        record.skipped = 'the target has no admin API'
        skippedFaults.push(`${label}: the target has no admin API`)
      }
      return
    }
    const action = start ? 'start' : 'stop'
    let answer: Awaited<ReturnType<AdminClient['fault']>> | undefined
    switch (spec.kind) {
      case 'region-outage':
        answer = await admin.fault({ kind: 'region-outage', action, region: spec.region })
        break
      case 'partition':
        answer = await admin.fault({ kind: 'partition', action, a: spec.a, b: spec.b })
        break
      case 'slow-cache':
        answer = await admin.fault({ kind: 'slow-cache', action, region: spec.region, ...(start ? { latencyMs: spec.latencyMs } : {}) })
        break
      case 'takedown':
        answer = await admin.fault({ kind: 'takedown', action, videoIds: takedownIds(spec.videoRanks, population) })
        break
      case 'bot-purge':
      case 'inactive-purge': {
        if (!start || record === undefined) return
        const report = spec.kind === 'bot-purge' ? await admin.botPurge() : await admin.inactivePurge(spec.idleDays)
        if (report.ok) record.purge = purgeRecord({ ...report.value, atMs: serverClock.toScenarioMs(report.value.atMs) }, population)
        else answer = report
        break
      }
    }
    if (answer !== undefined && !answer.ok) {
      if (record !== undefined) record.skipped = answer.reason
      skippedFaults.push(`${label} (${action}): ${answer.reason}`)
    }
  }
  for (const fault of faults) {
    later(fault.startS * 1000, () => void applyFault(fault, true))
    if (fault.kind !== 'bot-purge' && fault.kind !== 'inactive-purge') later(fault.endS * 1000, () => void applyFault(fault, false))
  }
  const sample = async (): Promise<void> => {
    const state = await calibrate()
    if (state === undefined) return
    const atMs = clock.nowMs()
    history.lagSamples.push({ atMs, watermarkMs: watermarks(state, regions, serverClock) })
  }
  for (let t = BUCKET_MS; t <= durationMs; t += BUCKET_MS) later(t, () => void sample())
  const disturbanceEndMs = lastDisturbanceEndMs(faults)
  const convergenceFromMs = disturbanceEndMs > 0 ? disturbanceEndMs : durationMs
  history.convergenceFromMs = convergenceFromMs
  const deadlineMs = (setup.scenario.checks?.config?.convergence?.deadlineS ?? 30) * 1000
  let probing: Promise<void> = Promise.resolve()
  const probe = (): void => {
    probing = (async () => {
      const state = await calibrate()
      const atMs = clock.nowMs()
      if (state === undefined) return
      const marks = watermarks(state, regions, serverClock)
      history.probes.push({ atMs, watermarkMs: marks, digests: state.regions.map((r) => r.countsDigest) })
      if (!marks.every((mark) => mark >= convergenceFromMs) && atMs < convergenceFromMs + deadlineMs) later(atMs + PROBE_INTERVAL_MS, probe)
    })()
  }
  later(convergenceFromMs, probe)

  // ---- progress, bounds, interruption -----------------------------------------------------
  let lastAttempts = 0
  let lastProgressWall = performance.now()
  let phase: HttpProgress['phase'] = 'traffic'
  const progress = setInterval(() => {
    const now = performance.now()
    const rate = ((attempts - lastAttempts) * 1000) / Math.max(1, now - lastProgressWall)
    lastAttempts = attempts
    lastProgressWall = now
    options.onProgress?.({ phase, scenarioMs: clock.nowMs(), durationMs, attempts, failed: failedAttempts, ratePerS: rate, activeFaults: [...activeFaults] })
  }, 500)
  const hardStop = setTimeout(stopRun, options.durationMaxMs)
  const onAbort = (): void => stopRun()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let abortedBy: string | undefined
  const watch = new AbortWatch({ thresholds: parseThresholds(setup.scenario.load.thresholds), regionIds: regions, scenario: setup.scenario.name, timeScale: clock.timeScale })
  const watching = watch.active
    ? setInterval(() => {
        if (stopped) return
        abortedBy = watch.check(history, clock.nowMs() * clock.timeScale)
        if (abortedBy !== undefined) stopRun()
      }, ABORT_EVAL_INTERVAL_MS)
    : undefined

  // ---- traffic ------------------------------------------------------------------------------
  // Time starts now. The embedded server shares the clock and has seen no time yet; an external
  // target's clock is related to ours by calibration, after the restart.
  clock.restart()
  if (admin !== undefined && serverClock.needsCalibration) {
    const state = await calibrate()
    adminUsable = state !== undefined
    if (!adminUsable) skippedFaults.push('the target does not answer the admin API: faults, probes and lag samples are skipped')
  }
  const inFlightOps = new Set<Promise<void>>()
  const track = (promise: Promise<void>): void => {
    inFlightOps.add(promise)
    void promise.finally(() => inFlightOps.delete(promise))
  }
  if (closedModel) {
    await runClosedModel({ setup, traffic, clock, run: (op) => runOperation(op), isStopped: () => stopped, sleep: untilStopped, onOperation: () => operations++, maxOperations: options.maxOperations })
  } else {
    const outcome = await runOpenModel<Operation>({
      next: () => {
        if (operations >= options.maxOperations) return undefined
        const op = traffic.next()
        if (op === undefined) return undefined
        operations++
        return { dueMs: op.atMs * clock.timeScale, task: op }
      },
      run: (op) => runOperation(op),
      onDropped: (op) => {
        const nowMs = clock.nowMs()
        const index = history.invoke(op.kind, keyOperation(op).id, op.user, op.video, op.user * 2 + op.device, population.userRegion[op.user] as number, 1, nowMs, false)
        history.fail(index, nowMs, 0, 'LS_CLIENT_DROPPED')
      },
      vuMax,
      nowMs: () => clock.nowMs() * clock.timeScale,
      isStopped: () => stopped,
    })
    dropped = outcome.dropped
    track(outcome.settled)
  }
  // ---- drain, quiet, final phase ----------------------------------------------------------------
  phase = 'draining'
  const gracefulStopMs = Math.max(...Object.values(setup.scenario.load.scenarios ?? {}).map((s) => parseDurationMs(s.gracefulStop ?? '30s') ?? 30_000), setup.client.timeoutMs * setup.client.maxAttempts)
  const drained = Promise.all(inFlightOps)
  const grace = stoppableSleep(gracefulStopMs)
  await Promise.race([drained, grace.done])
  // Drained before the grace ran out: its timer must not hold the process open for the rest of it.
  grace.cancel()
  // Stopped early: answers still on the wire get a moment; then the pools are destroyed and what
  // is left settles as indeterminate.
  if (stopped) await Promise.race([drained, sleepWall(STOP_DRAIN_MS)])
  if (!stopped) {
    // The end of the scenario, then the quiet period: let every fault end and replication settle.
    await untilStopped(clock.wallDelayMs(Math.max(durationMs, ...faults.map((f) => f.endS * 1000)) + QUIET_MS))
    await probing
  }
  for (const timer of timers) clearTimeout(timer)
  timers.clear()
  if (!stopped) {
    phase = 'final'
    await runHttpFinalPhase({
      client,
      population,
      history,
      regions,
      concurrency: 32,
      // Half the smallest counter-cache capacity (scenario ops/s), on the wall clock.
      ratePerRegionPerS: finalReadRate(setup, serverClock.wallMsPerServerMs),
      nowMs: () => clock.nowMs(),
      shouldStop: () => stopped,
    })
  }
  const finalState = await calibrate()
  // What the checks must allow for in the target's asOfMs: the offset's uncertainty, in scenario ms.
  history.asOfSlackMs = serverClock.slackMs()
  clearInterval(progress)
  clearInterval(watching)
  clearTimeout(hardStop)
  options.signal?.removeEventListener('abort', onAbort)
  return {
    history,
    interrupted: interrupted || history.final === undefined,
    droppedIterations: dropped,
    peakVus,
    systemCounters: { ...(finalState?.counters ?? {}) },
    skippedFaults,
    operations,
    wallMs: performance.now() - context.started,
    abortedBy,
  }
}

/** VU executors: VUs loop over the stream; each sends its next operation when the last is answered. */
async function runClosedModel({
  setup,
  traffic,
  clock,
  run,
  isStopped,
  sleep,
  onOperation,
  maxOperations,
}: {
  setup: RunSetup
  traffic: TrafficGenerator
  clock: ScenarioClock
  run: (op: Operation) => Promise<void>
  isStopped: () => boolean
  /** Sleep on the wall clock, or until the run stops. */
  sleep: (wallMs: number) => Promise<void>
  onOperation: () => void
  maxOperations: number
}): Promise<void> {
  let taken = 0
  const next = (): Operation | undefined => {
    if (isStopped() || taken >= maxOperations) return undefined
    const op = traffic.next()
    if (op !== undefined) {
      taken++
      onOperation()
    }
    return op
  }
  const loops: Promise<void>[] = []
  for (const scenario of Object.values(setup.scenario.load.scenarios ?? {})) {
    const s = scenario as { executor: string; vus?: number; iterations?: number; duration?: string; maxDuration?: string; startTime?: string; startVUs?: number; stages?: Array<{ duration: string; target: number }> }
    const startMs = parseDurationMs(s.startTime ?? '0s') ?? 0
    const scale = setup.scale
    const vus = Math.max(1, Math.round((s.vus ?? 1) * scale))
    const endMs = startMs + (parseDurationMs(s.duration ?? s.maxDuration ?? '10m') ?? 600_000)
    const until = (vu: number): boolean => {
      if (clock.nowMs() >= endMs) return false
      if (s.executor !== 'ramping-vus') return true
      return vu < Math.round(vusAt(s.startVUs ?? 1, s.stages ?? [], clock.nowMs() - startMs) * scale)
    }
    const budget = { left: s.executor === 'shared-iterations' ? Math.round((s.iterations ?? 1) * scale) : Infinity }
    const count = s.executor === 'ramping-vus' ? Math.max(1, Math.round(Math.max(s.startVUs ?? 1, ...(s.stages ?? []).map((stage) => stage.target)) * scale)) : vus
    for (let vu = 0; vu < count; vu++) {
      loops.push(
        (async () => {
          await sleep(clock.wallDelayMs(startMs))
          let own = s.executor === 'per-vu-iterations' ? (s.iterations ?? 1) : Infinity
          while (own > 0 && budget.left > 0) {
            if (!until(vu)) {
              if (s.executor === 'ramping-vus' && clock.nowMs() < endMs) {
                await sleep(50)
                continue
              }
              return
            }
            const op = next()
            if (op === undefined) return
            own--
            budget.left--
            await run(op)
          }
        })(),
      )
    }
  }
  await Promise.all(loops)
}

/** k6 ramping-vus: the VU target moves linearly from stage to stage. */
export function vusAt(startVus: number, stages: ReadonlyArray<{ duration: string; target: number }>, elapsedMs: number): number {
  let from = startVus
  let t = 0
  for (const stage of stages) {
    const d = parseDurationMs(stage.duration) ?? 0
    if (elapsedMs < t + d) return from + ((stage.target - from) * (elapsedMs - t)) / Math.max(1, d)
    from = stage.target
    t += d
  }
  return from
}

function watermarks(state: AdminState, regions: readonly string[], serverClock: ServerClock): number[] {
  return regions.map((region) => {
    const found = state.regions.find((r) => r.region === region)
    return found === undefined ? Number.NaN : serverClock.toScenarioMs(found.watermarkMs)
  })
}

function errorCodeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** Store what an acknowledged request returned; false when the body is not what the API promises. */
function recordValues(history: History, index: number, kind: number, body: unknown, serverClock: ServerClock): boolean {
  if (typeof body !== 'object' || body === null) return false
  const b = body as Record<string, unknown>
  const num = (key: string): number | undefined => (typeof b[key] === 'number' ? (b[key] as number) : undefined)
  const asOf = num('asOfMs')
  switch (kind) {
    case OpKind.ReadVideo: {
      const likeCount = num('likeCount')
      const viewCount = num('viewCount')
      const unique = num('uniqueViewers')
      if (likeCount === undefined || viewCount === undefined || unique === undefined || typeof b['stale'] !== 'boolean') return false
      history.counts(index, likeCount, viewCount, unique, b['stale'] as boolean, asOf === undefined ? Number.NaN : serverClock.toScenarioMs(asOf))
      return true
    }
    case OpKind.Like:
    case OpKind.Unlike: {
      const likeCount = num('likeCount')
      if (likeCount === undefined) return false
      history.counts(index, likeCount, -1, -1, b['stale'] === true, asOf === undefined ? Number.NaN : serverClock.toScenarioMs(asOf))
      return true
    }
    case OpKind.View: {
      const viewCount = num('viewCount')
      const unique = num('uniqueViewers')
      if (viewCount === undefined || unique === undefined) return false
      history.counts(index, -1, viewCount, unique, false, Number.NaN)
      return true
    }
    default: {
      if (typeof b['liked'] !== 'boolean') return false
      history.likedFlag(index, b['liked'] as boolean, b['stale'] === true, asOf === undefined ? Number.NaN : serverClock.toScenarioMs(asOf))
      return true
    }
  }
}

function sleepWall(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    timer.unref?.()
  })
}

/**
 * Final reads per wall second per region: half the smallest cache capacity the scenario declares,
 * in the target's time (the embedded server's clock is scaled; an external target's is the wall).
 */
function finalReadRate(setup: RunSetup, wallMsPerServerMs: number): number {
  const ratio = setup.scenario.system.cacheCapacityRatio ?? 0.9
  const smallest = Math.min(...Object.values(setup.capacityRps)) * ratio
  return Math.max(20, (0.5 * smallest) / wallMsPerServerMs)
}
