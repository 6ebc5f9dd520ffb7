// Mode sim: the world's operations driven into the engagement core in-process, on virtual time.
// One loop merges two time-ordered sources, the world's traffic and the runner's own events
// (retries, fault switches, convergence probes, lag samples), so every call reaches the core in
// time order. Nothing here reads a clock: the same seed gives the same history.
import { CoreReply } from '../../mock-server/core/core-reply.ts'
import { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { ClientLoss } from '../../mock-server/env/client-loss.ts'
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { DetectorModule } from '../../mock-server/core/detection/detector-module.ts'
import { factsOnlyDetector } from '../../mock-server/core/detection/facts-only-detector.ts'
import { EventQueue } from '../../sim/event-queue.ts'
import { describeFault, lastDisturbanceEndMs, type FaultSpec } from '../../sim/faults.ts'
import { History } from '../../sim/history.ts'
import { SpillFile } from './history-spill.ts'
import { OpKind, copyOperationRecord, newOperationRecord, type OperationRecord, type OperationSource } from '../../sim/operation.ts'
import { PipedTraffic } from './traffic-pipe/traffic-pipe.ts'
import { estimateOperations } from '../../sim/arrival-intensity.ts'
import { TrafficGenerator, type TrafficOptions } from '../../sim/traffic.ts'
import { ClientProtocol } from '../protocol/client-protocol.ts'
import { probeAgain } from '../protocol/final-reads.ts'
import { SimRoundTrip } from './sim-round-trip.ts'
import { SimSender } from './sim-sender.ts'
import { CoreHandles } from './core-handles.ts'
import { applyFaultEnd, applyFaultStart } from './sim-faults.ts'
import { runSimFinalPhase } from './sim-final-phase.ts'
import { coreConfigFor, directoryFor, importedLikesFor, hasBotPurge, hasPurge, type RunSetup } from './run-setup.ts'

const EV_RETRY = 0
const EV_FAULT_START = 1
const EV_FAULT_END = 2
const EV_PROBE = 3
const EV_SAMPLE = 4

interface RunnerEvent {
  atMs: number
  type: number
  /** A retry's operation (a copy: the loop's record is refilled for every operation). */
  op: OperationRecord | undefined
  attempt: number
  fault: number
}

export interface SimProgress {
  /** 'traffic' from the first operation on, 'final' when the final reads begin, 'done' once at the end. */
  readonly phase: 'traffic' | 'final' | 'done'
  readonly virtualMs: number
  readonly durationMs: number
  readonly operations: number
}

export interface SimDriverOptions {
  readonly setup: RunSetup
  readonly strategy: StrategyBehaviour
  /** The bot purges' detector (default: the built-in one). */
  readonly detector?: DetectorModule | undefined
  readonly bucketMs?: number
  /** Virtual time after the traffic before the final reads. */
  readonly quietMs?: number
  readonly probeIntervalMs?: number
  readonly convergenceDeadlineMs?: number
  /** Hard cap on logical operations (a bound on every run). */
  readonly maxOperations?: number
  readonly onProgress?: (progress: SimProgress) => void
  /** Polled every 65,536 operations: true ends the traffic there as the operation cap does (a signal reached the command). */
  readonly shouldStop?: () => boolean
  /** Generate the traffic on a second thread; by default, for runs of PIPED_TRAFFIC_MIN_OPERATIONS or more. */
  readonly pipedTraffic?: boolean
  /** Keep the history's attempts in a temporary file, all but a few chunks; by default, for runs of SPILL_MIN_OPERATIONS or more. */
  readonly spillHistory?: boolean
  /** Rows per chunk of a spilled history (default: the most, 65,536); a test spills a small run with small chunks. */
  readonly historyChunkRows?: number
}

export interface SimRun {
  readonly history: History
  readonly core: EngagementCore
  readonly operations: number
  readonly truncated: boolean
  /** shouldStop ended the traffic early. */
  readonly stopped: boolean
  readonly endMs: number
}

/**
 * The most operations a sim run drives before it stops (exit 4, its checks judging what ran): a
 * guard against a scenario far larger than meant. soak --scale 200 (~100 million operations) fits
 * under it, and ran in 2.5 GB (docs/benchmarks.md).
 */
export const DEFAULT_MAX_OPERATIONS = 120_000_000

/**
 * From about this many operations the world's traffic is generated on a second thread
 * (traffic-pipe.ts): starting the thread costs a few hundred milliseconds, which a run this big
 * repays many times over, and small runs and tests keep the generator in-process.
 */
export const PIPED_TRAFFIC_MIN_OPERATIONS = 500_000

/**
 * From about this many operations the history's attempts go to a temporary file (history-spill.ts)
 * but for a few chunks in memory: below it they cost at most ~75 MB and a small run (every test)
 * keeps them in memory; above it memory no longer grows with the run's length.
 */
export const SPILL_MIN_OPERATIONS = 1_000_000

export function runSimDriver(options: SimDriverOptions): SimRun {
  const { setup } = options
  const trafficOptions = { spec: setup.world, population: setup.population, faults: setup.scenario.faults, rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng }
  const estimatedOperations = estimateOperations(trafficOptions)
  // The thread starts first, so that it loads and generates while this one builds the core.
  const traffic = trafficSource(trafficOptions, options.pipedTraffic ?? estimatedOperations >= PIPED_TRAFFIC_MIN_OPERATIONS)
  try {
    return drive(options, traffic, estimatedOperations)
  } finally {
    traffic.close()
  }
}

function trafficSource(options: TrafficOptions, piped: boolean): OperationSource {
  return piped ? new PipedTraffic(options) : new TrafficGenerator(options)
}

function drive(options: SimDriverOptions, traffic: OperationSource, estimatedOperations: number): SimRun {
  const { setup, strategy } = options
  const { population, durationMs } = setup
  const bucketMs = options.bucketMs ?? 1000
  const probeIntervalMs = options.probeIntervalMs ?? 100
  const deadlineMs = options.convergenceDeadlineMs ?? 30_000
  const maxOperations = options.maxOperations ?? DEFAULT_MAX_OPERATIONS
  const regionIds = population.regionIds
  const faults = setup.scenario.faults
  const botPurges = hasBotPurge(setup.scenario)
  const core = new EngagementCore(coreConfigFor(setup), strategy, {
    ...(options.detector === undefined ? {} : { detector: options.detector }),
    baselines: botPurges ? [factsOnlyDetector] : [],
    botPurges,
    purges: hasPurge(setup.scenario),
  })
  core.loadDirectory(directoryFor(population))
  core.importLikes(importedLikesFor(population))
  core.reserve({ requests: Math.min(maxOperations, estimatedOperations), durationMs })
  // Attempts are about the operations, plus retries and failovers under faults.
  const capacity = Math.min(maxOperations, estimatedOperations) * 1.1
  const history = (options.spillHistory ?? capacity >= SPILL_MIN_OPERATIONS) ? spilledHistory(options.historyChunkRows ?? capacity) : new History({ capacity })
  const events = new EventQueue<RunnerEvent>()
  // Resolve ids to the core's handles once; the loop then calls the in-place handle API.
  const handles = new CoreHandles(population, core)
  const userHandle = handles.users
  const videoHandle = handles.videos
  const regionHandle = Int32Array.from(regionIds, (id) => core.regionHandle(id))
  const reply = new CoreReply()

  faults.forEach((fault, index) => {
    events.push({ atMs: fault.startS * 1000, type: EV_FAULT_START, op: undefined, attempt: 0, fault: index })
    events.push({ atMs: fault.endS * 1000, type: EV_FAULT_END, op: undefined, attempt: 0, fault: index })
  })
  for (let t = bucketMs; t <= durationMs; t += bucketMs) events.push({ atMs: t, type: EV_SAMPLE, op: undefined, attempt: 0, fault: -1 })
  const disturbanceEndMs = lastDisturbanceEndMs(faults)
  const convergenceFromMs = disturbanceEndMs > 0 ? disturbanceEndMs : durationMs
  history.convergenceFromMs = convergenceFromMs
  events.push({ atMs: convergenceFromMs, type: EV_PROBE, op: undefined, attempt: 0, fault: -1 })

  // The logical operation's id is its idempotency key: every retry of it, and every copy the
  // network delivers twice, carries the same one (keyId).
  const call = (op: OperationRecord, region: number, nowMs: number): CoreReply => {
    const r = regionHandle[region] as number
    const video = videoHandle === null ? op.video : (videoHandle[op.video] as number)
    const user = userHandle === null ? op.user : (userHandle[op.user] as number)
    switch (op.kind) {
      case OpKind.ReadVideo:
        return core.readVideoInto(reply, nowMs, r, video, user)
      case OpKind.View:
        return core.viewInto(reply, nowMs, r, user, video, op.watchMs, op.keyId)
      case OpKind.Like:
        return core.likeInto(reply, nowMs, r, user, video, op.keyId, true)
      case OpKind.Unlike:
        return core.likeInto(reply, nowMs, r, user, video, op.keyId, false)
      default:
        return core.readLikedInto(reply, nowMs, r, user, video)
    }
  }

  // The clients' lossy paths, on a stream of their own: a timeline without network-loss draws
  // nothing from it (and creates none), so every other run is what it was.
  const loss = faults.some((fault) => fault.kind === 'network-loss') ? lossOf(setup) : undefined
  const sender = new SimSender({
    protocol: new ClientProtocol({ spec: setup.client, regions: setup.world.regions, random: setup.rng.stream('client') }),
    roundTrip: new SimRoundTrip(setup.world.regions),
    history,
    timeoutMs: setup.client.timeoutMs,
    call,
    ...(loss === undefined ? {} : { loss: (region: number) => loss.fate(regionIds[region] as string) }),
    retryAt: (op, attempt, atMs) => events.push({ atMs, type: EV_RETRY, op: copyOperationRecord(op), attempt, fault: -1 }),
  })

  const handleEvent = (event: RunnerEvent): void => {
    switch (event.type) {
      case EV_RETRY:
        sender.execute(event.op as OperationRecord, event.attempt, event.atMs)
        return
      case EV_FAULT_START: {
        const spec = faults[event.fault] as FaultSpec
        const record = { spec, startMs: spec.startS * 1000, endMs: spec.endS * 1000 }
        history.faults.push(record)
        applyFaultStart({ core, spec, population, atMs: event.atMs, loss, record })
        return
      }
      case EV_FAULT_END:
        applyFaultEnd({ core, spec: faults[event.fault] as FaultSpec, population, atMs: event.atMs, loss })
        return
      case EV_PROBE: {
        const watermarkMs = core.regionWatermarks(event.atMs)
        history.probes.push({ atMs: event.atMs, watermarkMs, digests: core.regionDigests(event.atMs) })
        const caughtUp = watermarkMs.every((mark) => mark >= convergenceFromMs)
        if (probeAgain({ atMs: event.atMs, fromMs: convergenceFromMs, deadlineMs, caughtUp })) {
          events.push({ atMs: event.atMs + probeIntervalMs, type: EV_PROBE, op: undefined, attempt: 0, fault: -1 })
        }
        return
      }
      case EV_SAMPLE:
        history.lagSamples.push({ atMs: event.atMs, watermarkMs: core.regionWatermarks(event.atMs) })
        return
    }
  }

  let operations = 0
  let truncated = false
  let stopped = false
  let lastMs = 0
  const op = newOperationRecord()
  options.onProgress?.({ phase: 'traffic', virtualMs: 0, durationMs, operations })
  for (;;) {
    const opAt = traffic.peekTimeMs()
    const eventAt = events.peekTimeMs()
    if (opAt === Infinity && eventAt === Infinity) break
    if (eventAt <= opAt) {
      const event = events.pop() as RunnerEvent
      lastMs = event.atMs
      handleEvent(event)
      continue
    }
    if (operations >= maxOperations) {
      truncated = true
      break
    }
    traffic.nextInto(op)
    lastMs = op.atMs
    operations++
    sender.execute(op, 1, op.atMs)
    if ((operations & 0xffff) === 0) {
      options.onProgress?.({ phase: 'traffic', virtualMs: op.atMs, durationMs, operations })
      if (options.shouldStop?.() === true) {
        stopped = true
        break
      }
    }
  }
  // Cut short (the cap, a stop): no new operation, but the world's time runs on through what is
  // queued (retries, fault ends, convergence probes), so the checks judge the traffic that ran
  // rather than a world frozen mid-flight (probes never taken would read as not converged).
  while (events.peekTimeMs() !== Infinity) {
    const event = events.pop() as RunnerEvent
    lastMs = event.atMs
    handleEvent(event)
  }
  // Heal whatever is still switched on (a truncated run), then settle and read everything.
  const endMs = Math.max(lastMs, durationMs)
  for (const fault of faults) if (fault.endS * 1000 > endMs) applyFaultEnd({ core, spec: fault, population, atMs: endMs, loss })
  options.onProgress?.({ phase: 'final', virtualMs: endMs, durationMs, operations })
  const finalEndMs = runSimFinalPhase({ core, population, handles, history, startMs: endMs + (options.quietMs ?? 5000), regionIds })
  options.onProgress?.({ phase: 'done', virtualMs: durationMs, durationMs, operations })
  return { history, core, operations, truncated, stopped, endMs: finalEndMs }
}

/** A history in a temporary file but for a few chunks (of about `chunkRows` rows) in memory. */
function spilledHistory(chunkRows: number): History {
  const file = new SpillFile()
  const history = new History({ capacity: chunkRows, store: file })
  file.releaseWith(history)
  return history
}

/** The named stream `network-loss` of the run's seed, as the clients' lossy paths draw from it. */
function lossOf(setup: RunSetup): ClientLoss {
  const random = setup.rng.stream('network-loss')
  return new ClientLoss({ draw: () => random.next() })
}

export function faultLabels(faults: readonly FaultSpec[]): string[] {
  return faults.map(describeFault)
}
