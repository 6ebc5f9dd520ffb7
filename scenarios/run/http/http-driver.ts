// Mode http: the world's operations sent over real sockets, on the wall clock (scaled by
// --time-scale), to the mock server started here or to any service that speaks the /v1 API.
// The run in its parts: start the server (or reach the target), warm up, provision and calibrate
// (target-preparation.ts), start the clock and the timeline (faults, lag samples, convergence
// probes: run-timeline.ts), send the traffic (http-traffic.ts, each operation through the client
// protocol: operation-sender.ts) while run-watch.ts reports progress and watches the bounds, then
// settle (drain, the target's quiet period, the probes) and read the final state through /v1
// (http-final-phase.ts). While the traffic runs, the driver measures its own health
// (harness-monitor.ts) and watches that the target serves this world.
import { randomUUID } from 'node:crypto'
import type { StrategyBehaviour } from '../../../mock-server/core/strategy.ts'
import type { DetectorModule } from '../../../mock-server/core/detection/detector-module.ts'
import type { History } from '../../../sim/history.ts'
import { estimateOperations } from '../../../sim/arrival-intensity.ts'
import { TrafficGenerator } from '../../../sim/traffic.ts'
import { ClientProtocol } from '../../protocol/client-protocol.ts'
import { loadVus } from '../executors/index.ts'
import type { HttpHealth, StoppedBy } from '../../../result/result.ts'
import type { RunSetup } from '../run-setup.ts'
import { AdminClient } from './admin-client.ts'
import { AdminWatch } from './admin-watch.ts'
import { retryHorizonWallMs } from './retry-horizon.ts'
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts'
import { judgeHarness, lateThresholdWallMs } from './harness-health.ts'
import { HarnessMonitor } from './harness-monitor.ts'
import { driverHistory } from './driver-history.ts'
import { HttpClient } from './http-client.ts'
import { AdapterClient } from './adapter-client.ts'
import type { Adapter } from './adapter.ts'
import { FaultProxy } from './fault-proxy.ts'
import { HttpFaults, type FaultRoute } from './http-faults.ts'
import { runHttpFinalPhase, SILENT_READS_MAX, type FinalLikeStates } from './http-final-phase.ts'
import { runTraffic, type TrafficOutcome } from './http-traffic.ts'
import { OperationSender } from './operation-sender.ts'
import { RunStop } from './run-stop.ts'
import { RunTimeline } from './run-timeline.ts'
import { RunWatch, type HttpProgress, type WallBound } from './run-watch.ts'
import { ScenarioClock } from './scenario-clock.ts'
import { CalibratedServerClock, SharedServerClock, type ClockCalibration, type ServerClock } from './server-clock.ts'
import type { Target } from './target.ts'
import { EMBEDDED_CAPABILITIES, type Capabilities } from './target-capabilities.ts'
import { prepareTarget } from './target-preparation.ts'
import { wallPlan, type WallPlan } from './wall-plan.ts'
import { WorldWatch } from './world-watch.ts'
import { DEFAULT_FRESH_GRACE_MS } from '../../../sim/checks/bounded-staleness.ts'

export type { HttpProgress, WallBound } from './run-watch.ts'

export interface HttpRunOptions {
  readonly setup: RunSetup
  /** The strategy of the embedded mock server (ignored with a target). */
  readonly strategy: StrategyBehaviour
  /** The embedded server's bot-purge detector, when not the built-in one (a user's module; not with a target). */
  readonly detector?: DetectorModule | undefined
  /** An external target; without it the mock server runs in this process. */
  readonly target?: Target
  /** What the target offers (target-capabilities.ts); the embedded server offers everything. */
  readonly capabilities?: Capabilities
  readonly adminToken?: string
  /** How faults reach the target (default admin); the embedded server enacts its own. */
  readonly faults?: FaultRoute
  /** The user's adapter to the target's own API (--adapter): every request goes through it. */
  readonly adapter?: Adapter
  /** Run against a target that is not fresh and cannot be reset (--allow-dirty-target). */
  readonly allowDirtyTarget?: boolean
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
  /** What the target offered, as it stood after the run (provisioned, its admin API usable). */
  readonly capabilities: Capabilities
  /** How the target's clock was related to ours. */
  readonly clock: ClockCalibration
  /** Each region's base URL the run used. */
  readonly urls: Readonly<Record<string, string>>
  /** How the final like states were read: liked lists or pairs read back (undefined: the run ended before its final reads). */
  readonly likeStates: FinalLikeStates | undefined
  /** Set when the pairs were read back on a sample (too many to read them all): how many of how many. */
  readonly likeStatesSample: { readonly read: number; readonly of: number } | undefined
}

/** After an early stop, how long answers still on the wire may take. */
const STOP_DRAIN_MS = 2000
/** Characters of a random UUID that name a run in its idempotency keys. */
const RUN_ID_CHARS = 8
/** Final reads in flight at once. */
const FINAL_CONCURRENCY = 32
/** Requests the embedded server holds in flight at least (more when the load has more VUs). */
const EMBEDDED_IN_FLIGHT_MIN = 1024

export async function runHttpDriver(options: HttpRunOptions): Promise<HttpRun> {
  const started = performance.now()
  const { setup } = options
  const regions = setup.population.regionIds
  const clock = new ScenarioClock(options.timeScale)
  const stop = new RunStop()
  let embedded: EmbeddedServer | undefined
  if (options.target === undefined) {
    embedded = await startEmbeddedServer({ setup, strategy: options.strategy, detector: options.detector, clock, inFlightMax: Math.max(EMBEDDED_IN_FLIGHT_MIN, vuBudget(setup)), ...(options.serverEntry === undefined ? {} : { entry: options.serverEntry }) })
    // Its thread gone, the run has no target left: stop at once (the failure is thrown below).
    embedded.onFailure((error) => stop.stop({ kind: 'embedded-server-failed', detail: error.message }))
  }
  const urls = embedded?.urls ?? (options.target as Target).urls
  const adminToken = embedded?.adminToken ?? options.adminToken
  const admin = adminToken === undefined ? undefined : new AdminClient({ urls: regions.map((region) => urls[region] as string), token: adminToken })
  // --faults proxy: the traffic goes through LikeStorm's proxy in front of each region (the admin API and provisioning do not).
  const proxy = embedded === undefined && options.faults === 'proxy' ? await startProxy(setup, urls, options.connections) : undefined
  const http = new HttpClient({ urls: proxy?.urls ?? urls, connections: options.connections, timeoutMs: setup.client.timeoutMs })
  // With an adapter every request goes through it (the warm-up's liveness calls and close stay the pool's).
  const adapterClient = options.adapter === undefined ? undefined : new AdapterClient({ adapter: options.adapter, inner: http })
  const client: RunClient = adapterClient === undefined ? http : { send: (request) => adapterClient.send(request), warmUp: (o) => http.warmUp(o), close: () => http.close() }
  let run: HttpRun | undefined
  try {
    const freshGraceMs = setup.scenario.checks?.config?.['bounded-staleness']?.freshGraceMs ?? DEFAULT_FRESH_GRACE_MS
    const serverClock = embedded === undefined ? new CalibratedServerClock(clock, { freshGraceMs }) : new SharedServerClock(clock)
    run = await drive({ options, clock, serverClock, client, admin, started, stop, embedded, urls, proxy })
    if (adapterClient !== undefined && adapterClient.faults > 0) {
      const lines = [`the adapter failed ${adapterClient.faults} time(s); the first:`, ...adapterClient.faultLines]
      run = { ...run, capabilities: { ...run.capabilities, notes: [...run.capabilities.notes, ...lines] } }
    }
  } finally {
    await client.close()
    await proxy?.close()
    await embedded?.close()
    // A run whose server failed is no run to judge, whatever it recorded (or threw) before.
    if (embedded?.failure !== undefined) throw embedded.failure
  }
  return run
}

function startProxy(setup: RunSetup, upstreams: Readonly<Record<string, string>>, connections: number): Promise<FaultProxy> {
  // The final reads' connections come on top of the traffic's; the client gives up long before the proxy does.
  return FaultProxy.start({ upstreams, random: setup.rng.stream('fault-proxy'), connectionsMax: connections + FINAL_CONCURRENCY, upstreamTimeoutMs: 2 * setup.client.timeoutMs })
}

/** What the run asks of its HTTP client: the pool itself, or the user's adapter in front of it. */
export type RunClient = Pick<HttpClient, 'send' | 'warmUp' | 'close'>

/** The VUs the scenario allows (maxVUs of arrival-rate executors, the most VUs of the others), at its scale. */
export function vuBudget(setup: RunSetup): number {
  return loadVus(setup.scenario.load.scenarios, setup.scale).max
}

interface DriveContext {
  readonly options: HttpRunOptions
  readonly clock: ScenarioClock
  /** The target's clock against ours. */
  readonly serverClock: ServerClock
  readonly client: RunClient
  readonly admin: AdminClient | undefined
  readonly started: number
  readonly stop: RunStop
  /** The mock server started here, whose own load is measured over the traffic too. */
  readonly embedded: EmbeddedServer | undefined
  /** Each region's base URL (two may share one: a target with one front door). */
  readonly urls: Readonly<Record<string, string>>
  /** --faults proxy: the proxy the traffic goes through. */
  readonly proxy: FaultProxy | undefined
}

async function drive(context: DriveContext): Promise<HttpRun> {
  const { options, clock, serverClock, client, stop } = context
  const { setup } = options
  const plan = wallPlan(setup, { timeScale: clock.timeScale, wallMsPerServerMs: serverClock.wallMsPerServerMs })
  const trafficOptions = { spec: setup.world, population: setup.population, faults: setup.scenario.faults, rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng }
  // Attempts are about the operations, plus retries and failovers under faults (as in mode sim).
  const history = driverHistory({ expectedAttempts: Math.min(options.maxOperations, estimateOperations(trafficOptions)) * 1.1 })
  const adminWatch = new AdminWatch({ admin: context.admin, history, regions: setup.population.regionIds, clock, serverClock, stop })
  const faults = new HttpFaults({ history, population: setup.population, serverClock, clock, admin: () => adminWatch.admin, ...(context.proxy === undefined ? {} : { proxy: context.proxy }), none: options.faults === 'none' })
  const sender = operationSender(context, history)
  const timeline = new RunTimeline({ setup, history, clock, serverClock, stop, faults, adminWatch, plan })
  const watch = new RunWatch({ setup, history, clock, stop, sender, faults, durationMax: options.durationMax, signal: options.signal, onProgress: options.onProgress })
  const monitor = new HarnessMonitor({ lateThresholdMs: lateThresholdWallMs(clock.timeScale) })
  const operations = new TrafficGenerator(trafficOptions)
  const regions = setup.population.regionIds
  const { capabilities, countsReadBefore } = await prepareTarget({
    setup,
    client,
    clock,
    serverClock,
    adminWatch,
    faults,
    capabilities: options.capabilities ?? EMBEDDED_CAPABILITIES,
    firstUrl: context.urls[regions[0] as string] as string,
    allowDirtyTarget: options.allowDirtyTarget === true,
  })
  // Time starts now. The embedded server shares the clock and has seen no time yet.
  clock.restart()
  // On the run's clock, as the run's own answers are (their times need the clock started).
  for (const read of countsReadBefore) history.countsReadBefore.push({ region: regions.indexOf(read.region), video: read.video, asOfMs: serverClock.toScenarioMs(read.serverAsOfMs) })
  timeline.start()
  monitor.start()
  context.embedded?.startMeasuring(lateThresholdWallMs(clock.timeScale))
  const horizonWallMs = retryHorizonWallMs({ client: setup.client, regions: regions.length, timeScale: clock.timeScale, wallMsPerServerMs: serverClock.wallMsPerServerMs })
  const traffic = await runTraffic({ setup, clock, sender, history, traffic: operations, monitor, stop, maxOperations: options.maxOperations, horizonWallMs })
  const driverLoad = monitor.stop()
  const server = await context.embedded?.stopMeasuring()
  const health = judgeHarness(driverLoad, { timeScale: clock.timeScale, closedModel: traffic.closedModel, operations: traffic.operations, server })
  watch.phase = 'draining'
  await settle(context, { plan, traffic, timeline })
  let likeStates: FinalLikeStates | undefined
  let likeStatesSample: HttpRun['likeStatesSample']
  const notes: string[] = []
  const drained = stop.stopped ? undefined : await adminWatch.drainBeforeFinalReads(plan)
  if (drained !== undefined) notes.push(drained)
  if (!stop.stopped) {
    watch.phase = 'final'
    const final = await runHttpFinalPhase({
      client,
      population: setup.population,
      history,
      // A region sharing another's URL is the same region of the target: read once.
      regions: regions.filter((region, i) => regions.findIndex((other) => context.urls[other] === context.urls[region]) === i),
      likedLists: capabilities.likedLists,
      sampleRandom: setup.rng.stream('final-pair-sample'),
      inboxes: capabilities.notifications && capabilities.world === 'loaded',
      concurrency: FINAL_CONCURRENCY,
      inboxMax: capabilities.notificationsMax,
      ratePerRegionPerS: plan.finalReadRatePerRegionPerS,
      onePerRegion: context.embedded !== undefined,
      nowMs: () => clock.nowMs(),
      shouldStop: () => stop.stopped,
    })
    likeStates = final.likeStates
    likeStatesSample = final.sample
    for (const region of final.silentRegions) notes.push(`final reads: ${region} answered none of ${SILENT_READS_MAX} reads in a row; its remaining final reads were given up`)
  }
  const finalState = await adminWatch.calibrate()
  // What the checks must allow for in the target's asOfMs: the offset's uncertainty, in scenario ms.
  // A target whose answers claim no age is judged by our own times alone.
  history.asOfSlackMs = capabilities.staleness === 'asOf' ? serverClock.slackMs() : 0
  watch.close()
  const reason = stop.reason
  return {
    history,
    stoppedBy: reason === undefined || reason.kind === 'world-mismatch' || reason.kind === 'embedded-server-failed' ? stoppedByCap(traffic.truncated, options.maxOperations) : reason,
    worldMismatch: reason?.kind === 'world-mismatch' ? reason.detail : undefined,
    droppedIterations: traffic.dropped,
    peakVus: traffic.peakVus,
    systemCounters: { ...(finalState?.counters ?? {}) },
    skippedFaults: faults.skipped,
    operations: traffic.operations,
    wallMs: performance.now() - context.started,
    abortedBy: watch.abortedBy,
    health,
    capabilities: { ...capabilities, admin: adminWatch.usable ? 'likestorm' : 'none', notes: [...capabilities.notes, ...notes] },
    clock: serverClock.calibration(),
    urls: context.urls,
    likeStates,
    likeStatesSample,
  }
}

/** The client protocol's sender for this run: its own idempotency keys, and a stop when the target serves another world. */
function operationSender({ options, clock, serverClock, client, stop }: DriveContext, history: History): OperationSender {
  const { setup } = options
  const worldWatch = new WorldWatch()
  return new OperationSender({
    setup,
    history,
    protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('client') }),
    client,
    clock,
    serverClock,
    stop,
    runId: randomUUID().slice(0, RUN_ID_CHARS),
    claimsAge: (options.capabilities ?? EMBEDDED_CAPABILITIES).staleness === 'asOf',
    onAnswer: (code) => {
      const mismatch = worldWatch.observe(code)
      if (mismatch !== undefined) stop.stop({ kind: 'world-mismatch', detail: mismatch })
    },
  })
}

/** After the traffic: operations in flight drain (k6's gracefulStop), then the target's quiet period and the convergence probes. */
async function settle({ options, clock, stop }: DriveContext, { plan, traffic, timeline }: { plan: WallPlan; traffic: TrafficOutcome; timeline: RunTimeline }): Promise<void> {
  const grace = stop.sleep(plan.drainWallMs)
  await Promise.race([traffic.settled, grace.done])
  // Drained before the grace ran out: its timer must not hold the process open for the rest of it.
  grace.cancel()
  // Stopped early: answers still on the wire get a moment; then the pools are destroyed and what
  // is left settles as indeterminate.
  if (stop.stopped) await Promise.race([traffic.settled, sleepWall(STOP_DRAIN_MS)])
  if (!stop.stopped) {
    // Until the scenario's end and its last fault's, then the target's quiet period after the last
    // answer: replication and queues settle in the target's time, not ours.
    const { setup } = options
    const endMs = Math.max(setup.durationMs, ...setup.scenario.faults.map((f) => f.endS * 1000))
    await stop.until(clock.wallDelayMs(endMs) + plan.quietWallMs)
    await timeline.probing
  }
  timeline.clear()
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
