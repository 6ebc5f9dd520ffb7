// Mode http: the world's operations sent over real sockets, on the wall clock (scaled by
// --time-scale), to the mock server started here or to any service that speaks the /v1 API.
//
// Open model (arrival-rate executors): each operation is due at its world time; when it is due a
// free VU sends it (or, with every VU busy, it is dropped and counted: dropped_iterations). The
// VU stays busy through the operation's retries. Closed model (VU executors): VUs loop over the
// operation stream, each sending its next operation when the last one is answered.
// Faults are recorded at their times (through the admin API when they need the target); lag
// samples and convergence probes read the admin state. While the traffic runs, the driver
// measures its own health (harness-monitor.ts) and watches that the target serves this world.
// After it: the drain, the target's quiet period, the convergence probes, the final reads.
import { randomUUID } from 'node:crypto'
import type { StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import { lastDisturbanceEndMs } from '../../../sim/faults.ts'
import { History } from '../../../sim/history.ts'
import { keyOperation, type Operation } from '../../../sim/operation.ts'
import { TrafficGenerator } from '../../../sim/traffic.ts'
import { NOT_SENT } from '../../protocol/answer-kind.ts'
import { ClientProtocol } from '../../protocol/client-protocol.ts'
import { recordFailure } from '../../protocol/record-answer.ts'
import { DEFAULT_CORE_CONFIG } from '../../../mock-server/core/config.ts'
import type { HttpHealth, StoppedBy } from '../result.ts'
import type { RunSetup } from '../run-setup.ts'
import { parseThresholds } from '../threshold.ts'
import { AbortWatch } from './abort-watch.ts'
import { AdminClient } from './admin-client.ts'
import { AdminWatch } from './admin-watch.ts'
import { runClosedModel, VU_EXECUTORS } from './closed-model.ts'
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts'
import { judgeHarness, lateThresholdWallMs } from './harness-health.ts'
import { HarnessMonitor } from './harness-monitor.ts'
import { HttpClient } from './http-client.ts'
import { HttpFaults } from './http-faults.ts'
import { runHttpFinalPhase } from './http-final-phase.ts'
import { runOpenModel } from './open-model.ts'
import { OperationSender } from './operation-sender.ts'
import { RunStop } from './run-stop.ts'
import { ScenarioClock } from './scenario-clock.ts'
import { CalibratedServerClock, SharedServerClock, type ServerClock } from './server-clock.ts'
import type { Target } from './target.ts'
import { convergenceDeadlineMs, wallPlan } from './wall-plan.ts'
import { WorldWatch } from './world-watch.ts'

export interface HttpProgress {
  readonly phase: 'traffic' | 'draining' | 'final'
  readonly scenarioMs: number
  readonly durationMs: number
  readonly attempts: number
  readonly failed: number
  readonly ratePerS: number
  readonly activeFaults: readonly string[]
}

/** The bound on the run's wall time, and the line that says it was reached. */
export interface WallBound {
  readonly ms: number
  readonly detail: string
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
  readonly durationMax: WallBound
  /** Hard bound on logical operations. */
  readonly maxOperations: number
  /** Connections per region pool. */
  readonly connections: number
  /** Stops the run; its reason, when a string (abort('SIGTERM')), names the signal. */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: HttpProgress) => void
  /** The embedded server thread's entry (tests: one that fails on purpose); the real one by default. */
  readonly serverEntry?: URL
}

export interface HttpRun {
  readonly history: History
  /** Why the run stopped before its end; undefined when it ran to completion. */
  readonly stoppedBy: StoppedBy | undefined
  /** Set when the target serves another world: the evidence (the run was stopped at once). */
  readonly worldMismatch: string | undefined
  readonly droppedIterations: number
  readonly peakVus: number
  readonly systemCounters: Readonly<Record<string, number>>
  /** Faults that could not be applied, with why. */
  readonly skippedFaults: readonly string[]
  readonly operations: number
  readonly wallMs: number
  /** The abortOnFail threshold that stopped the run, with what it observed. */
  readonly abortedBy: string | undefined
  /** What the driver measured about itself during the traffic. */
  readonly health: HttpHealth
}

const BUCKET_MS = 1000
/** After an early stop, how long answers still on the wire may take. */
const STOP_DRAIN_MS = 2000
/** How often abortOnFail thresholds are judged (k6 judges thresholds every 2 s). */
const ABORT_EVAL_INTERVAL_MS = 1000
const PROGRESS_INTERVAL_MS = 500
/** Characters of a random UUID that name a run in its idempotency keys. */
const RUN_ID_CHARS = 8
/** Final reads in flight at once. */
const FINAL_CONCURRENCY = 32
/** Admin calls that calibrate a target's clock before the traffic (the shortest round trip wins). */
const CALIBRATION_CALLS = 5
/** The warm-up's route (changes nothing) and its size: enough calls for V8 to optimize the request path. */
const WARM_UP_PATH = '/healthz'
const WARM_UP_REQUESTS_PER_REGION = 500

export async function runHttpDriver(options: HttpRunOptions): Promise<HttpRun> {
  const started = performance.now()
  const { setup } = options
  const regions = setup.population.regionIds
  const clock = new ScenarioClock(options.timeScale)
  const stop = new RunStop()
  let embedded: EmbeddedServer | undefined
  if (options.target === undefined) {
    const totalVus = vuBudget(setup)
    embedded = await startEmbeddedServer({ setup, strategy: options.strategy, clock, inFlightMax: Math.max(1024, totalVus), ...(options.serverEntry === undefined ? {} : { entry: options.serverEntry }) })
    // Its thread gone, the run has no target left: stop at once (the failure is thrown below).
    embedded.onFailure((error) => stop.stop({ kind: 'embedded-server-failed', detail: error.message }))
  }
  const urls = embedded?.urls ?? (options.target as Target).urls
  const adminToken = embedded?.adminToken ?? options.adminToken
  const admin = adminToken === undefined ? undefined : new AdminClient({ urls: regions.map((region) => urls[region] as string), token: adminToken })
  const client = new HttpClient({ urls, connections: options.connections, timeoutMs: setup.client.timeoutMs })
  let run: HttpRun | undefined
  try {
    const serverClock = embedded === undefined ? new CalibratedServerClock(clock) : new SharedServerClock(clock)
    run = await drive({ options, clock, serverClock, client, admin, started, stop })
  } finally {
    await client.close()
    await embedded?.close()
    // A run whose server failed is no run to judge, whatever it recorded (or threw) before.
    if (embedded?.failure !== undefined) throw embedded.failure
  }
  return run
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

/** The VUs the scenario has ready at its start (preAllocatedVUs of arrival-rate executors, vus of the others). */
function preAllocatedVus(setup: RunSetup): number {
  let total = 0
  for (const scenario of Object.values(setup.scenario.load.scenarios ?? {})) {
    const s = scenario as { preAllocatedVUs?: number; vus?: number; startVUs?: number }
    total += s.preAllocatedVUs ?? s.vus ?? s.startVUs ?? 1
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
  readonly stop: RunStop
}

async function drive(context: DriveContext): Promise<HttpRun> {
  const { options, clock, serverClock, client } = context
  const { setup } = options
  const { population, durationMs } = setup
  const regions = population.regionIds
  const faults = setup.scenario.faults
  const plan = wallPlan(setup, { timeScale: clock.timeScale, wallMsPerServerMs: serverClock.wallMsPerServerMs })
  const history = new History()
  const { stop } = context
  const adminWatch = new AdminWatch({ admin: context.admin, history, regions, clock, serverClock, stop })
  const faultSwitch = new HttpFaults({ history, population, serverClock, clock, admin: () => adminWatch.admin })
  const worldWatch = new WorldWatch()
  const sender = new OperationSender({
    setup,
    history,
    protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('client') }),
    client,
    clock,
    serverClock,
    stop,
    runId: randomUUID().slice(0, RUN_ID_CHARS),
    onAnswer: (code) => {
      const mismatch = worldWatch.observe(code)
      if (mismatch !== undefined) stop.stop({ kind: 'world-mismatch', detail: mismatch })
    },
  })
  const traffic = new TrafficGenerator({ spec: setup.world, population, faults, rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng })
  const monitor = new HarnessMonitor({ lateThresholdMs: lateThresholdWallMs(clock.timeScale) })
  const closedModel = Object.values(setup.scenario.load.scenarios ?? {}).some((s) => VU_EXECUTORS.has(s.executor))
  const timers = new Set<NodeJS.Timeout>()
  let inFlight = 0
  let peakVus = 0
  let dropped = 0
  let operations = 0
  let truncated = false

  const later = (scenarioMs: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!stop.stopped) action()
    }, clock.wallDelayMs(scenarioMs))
    timers.add(timer)
  }
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
    if (operations >= options.maxOperations) {
      truncated ||= traffic.peekTimeMs() !== Infinity
      return undefined
    }
    const op = traffic.next()
    if (op !== undefined) operations++
    return op
  }

  // ---- faults, lag samples, convergence probes (scheduled once the clock starts) ---------------
  const disturbanceEndMs = lastDisturbanceEndMs(faults)
  const convergenceFromMs = disturbanceEndMs > 0 ? disturbanceEndMs : durationMs
  history.convergenceFromMs = convergenceFromMs
  // The deadline is the target's: in scenario ms it stretches when the target's clock is not compressed.
  const probeDeadlineMs = (convergenceDeadlineMs(setup) * serverClock.wallMsPerServerMs) / clock.timeScale
  let probing: Promise<void> = Promise.resolve()
  const scheduleTimeline = (): void => {
    for (const fault of faults) {
      later(fault.startS * 1000, () => void faultSwitch.apply(fault, true))
      if (fault.kind !== 'bot-purge' && fault.kind !== 'inactive-purge') later(fault.endS * 1000, () => void faultSwitch.apply(fault, false))
    }
    for (let t = BUCKET_MS; t <= durationMs; t += BUCKET_MS) later(t, () => void adminWatch.sample())
    later(convergenceFromMs, () => {
      probing = adminWatch.probeUntilCaughtUp({ fromMs: convergenceFromMs, deadlineMs: probeDeadlineMs, intervalWallMs: plan.probeIntervalWallMs })
    })
  }

  // ---- progress, bounds, interruption -------------------------------------------------------
  let lastAttempts = 0
  let lastProgressWall = performance.now()
  let phase: HttpProgress['phase'] = 'traffic'
  const progress = setInterval(() => {
    const now = performance.now()
    const rate = ((sender.attempts - lastAttempts) * 1000) / Math.max(1, now - lastProgressWall)
    lastAttempts = sender.attempts
    lastProgressWall = now
    options.onProgress?.({ phase, scenarioMs: clock.nowMs(), durationMs, attempts: sender.attempts, failed: sender.failedAttempts, ratePerS: rate, activeFaults: [...faultSwitch.active] })
  }, PROGRESS_INTERVAL_MS)
  const hardStop = setTimeout(() => stop.stop({ kind: 'duration-max', detail: options.durationMax.detail }), options.durationMax.ms)
  const unfollow = stop.follow(options.signal)
  let abortedBy: string | undefined
  const watch = new AbortWatch({ thresholds: parseThresholds(setup.scenario.load.thresholds), regionIds: regions, scenario: setup.scenario.name, timeScale: clock.timeScale })
  const watching = watch.active
    ? setInterval(() => {
        if (stop.stopped) return
        abortedBy = watch.check(history, clock.nowMs() * clock.timeScale)
        if (abortedBy !== undefined) stop.stop({ kind: 'abort-on-fail', detail: abortedBy })
      }, ABORT_EVAL_INTERVAL_MS)
    : undefined

  // ---- traffic --------------------------------------------------------------------------------
  await client.warmUp({ path: WARM_UP_PATH, connectionsPerRegion: preAllocatedVus(setup), requestsPerRegion: WARM_UP_REQUESTS_PER_REGION })
  // An external target's clock is related to ours by calibration, before the traffic (the offset
  // the first answers are read with bounds the slack of the whole run: the best of a few calls).
  if (context.admin !== undefined && serverClock.needsCalibration) {
    adminWatch.usable = (await adminWatch.calibrate()) !== undefined
    if (!adminWatch.usable) faultSwitch.skipped.push('the target does not answer the admin API: faults, probes and lag samples are skipped')
    for (let call = 1; call < CALIBRATION_CALLS && adminWatch.usable; call++) await adminWatch.calibrate()
  }
  // Time starts now. The embedded server shares the clock and has seen no time yet.
  clock.restart()
  scheduleTimeline()
  monitor.start()
  const inFlightOps = new Set<Promise<void>>()
  if (closedModel) {
    await runClosedModel({ setup, clock, run: runOperation, isStopped: () => stop.stopped, sleep: (wallMs) => stop.until(wallMs), next: nextOperation })
  } else {
    const outcome = await runOpenModel<Operation>({
      next: () => {
        const op = nextOperation()
        return op === undefined ? undefined : { dueMs: op.atMs * clock.timeScale, task: op }
      },
      run: runOperation,
      onDropped: (op) => {
        monitor.droppedOne()
        const nowMs = clock.nowMs()
        const index = history.invoke(op.kind, keyOperation(op).id, op.user, op.video, op.user * 2 + op.device, population.userRegion[op.user] as number, 1, nowMs, false)
        recordFailure(history, index, { doneMs: nowMs, latencyMs: 0, failure: NOT_SENT })
      },
      onReleased: (lateMs) => monitor.release(lateMs),
      vuMax: vuBudget(setup),
      nowMs: () => clock.nowMs() * clock.timeScale,
      isStopped: () => stop.stopped,
    })
    dropped = outcome.dropped
    inFlightOps.add(outcome.settled)
  }
  const health = judgeHarness(monitor.stop(), { timeScale: clock.timeScale, closedModel, operations })

  // ---- drain, quiet, convergence, final reads -------------------------------------------------
  phase = 'draining'
  const drained = Promise.all(inFlightOps)
  const grace = stop.sleep(plan.drainWallMs)
  await Promise.race([drained, grace.done])
  // Drained before the grace ran out: its timer must not hold the process open for the rest of it.
  grace.cancel()
  // Stopped early: answers still on the wire get a moment; then the pools are destroyed and what
  // is left settles as indeterminate.
  if (stop.stopped) await Promise.race([drained, sleepWall(STOP_DRAIN_MS)])
  if (!stop.stopped) {
    // Until the scenario's end and its last fault's, then the target's quiet period after the last
    // answer: replication and queues settle in the target's time, not ours.
    const endMs = Math.max(durationMs, ...faults.map((f) => f.endS * 1000))
    await stop.until(clock.wallDelayMs(endMs) + plan.quietWallMs)
    await probing
  }
  for (const timer of timers) clearTimeout(timer)
  timers.clear()
  if (!stop.stopped) {
    phase = 'final'
    await runHttpFinalPhase({
      client,
      population,
      history,
      regions,
      concurrency: FINAL_CONCURRENCY,
      inboxMax: DEFAULT_CORE_CONFIG.inboxMax,
      ratePerRegionPerS: plan.finalReadRatePerRegionPerS,
      nowMs: () => clock.nowMs(),
      shouldStop: () => stop.stopped,
    })
  }
  const finalState = await adminWatch.calibrate()
  // What the checks must allow for in the target's asOfMs: the offset's uncertainty, in scenario ms.
  history.asOfSlackMs = serverClock.slackMs()
  clearInterval(progress)
  clearInterval(watching)
  clearTimeout(hardStop)
  unfollow()
  const reason = stop.reason
  return {
    history,
    stoppedBy: reason === undefined || reason.kind === 'world-mismatch' || reason.kind === 'embedded-server-failed' ? stoppedByCap(truncated, options.maxOperations) : reason,
    worldMismatch: reason?.kind === 'world-mismatch' ? reason.detail : undefined,
    droppedIterations: dropped,
    peakVus,
    systemCounters: { ...(finalState?.counters ?? {}) },
    skippedFaults: faultSwitch.skipped,
    operations,
    wallMs: performance.now() - context.started,
    abortedBy,
    health,
  }
}

function stoppedByCap(truncated: boolean, maxOperations: number): StoppedBy | undefined {
  return truncated ? { kind: 'operation-cap', detail: `the operation cap of ${maxOperations.toLocaleString('en-US')} operations was reached` } : undefined
}

function sleepWall(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    timer.unref?.()
  })
}
