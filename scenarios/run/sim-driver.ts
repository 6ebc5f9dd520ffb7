// Mode sim: the world's operations driven into the engagement core in-process, on virtual time.
// One loop merges two time-ordered sources, the world's traffic and the runner's own events
// (retries, fault switches, convergence probes, lag samples), so every call reaches the core in
// time order. Nothing here reads a clock: the same seed gives the same history.
import { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { CoreResult, LikeResponse, LikedResponse, VideoCountsResponse, ViewResponse } from '../../mock-server/core/types.ts'
import { EventQueue } from '../../sim/event-queue.ts'
import { describeFault, lastDisturbanceEndMs, type FaultSpec } from '../../sim/faults.ts'
import { History } from '../../sim/history.ts'
import { OpKind, keyOperation, type Operation } from '../../sim/operation.ts'
import { TrafficGenerator } from '../../sim/traffic.ts'
import { ClientPolicy } from './client-policy.ts'
import { applyFaultEnd, applyFaultStart } from './sim-faults.ts'
import { runSimFinalPhase } from './sim-final-phase.ts'
import { coreConfigFor, directoryFor, importedLikesFor, type RunSetup } from './run-setup.ts'

const EV_RETRY = 0
const EV_FAULT_START = 1
const EV_FAULT_END = 2
const EV_PROBE = 3
const EV_SAMPLE = 4

interface RunnerEvent {
  atMs: number
  type: number
  op: Operation | undefined
  attempt: number
  fault: number
}

import { CLIENT_TIMEOUT_CODE } from './history-digest.ts'
const RETRYABLE = new Set(['LS_CORE_OVERLOADED', 'LS_CORE_COUNT_UNAVAILABLE', 'LS_CORE_RATE_LIMITED'])

export interface SimProgress {
  readonly virtualMs: number
  readonly durationMs: number
  readonly operations: number
}

export interface SimDriverOptions {
  readonly setup: RunSetup
  readonly strategy: StrategyBehaviour
  readonly bucketMs?: number
  /** Virtual time after the traffic before the final reads. */
  readonly quietMs?: number
  readonly probeIntervalMs?: number
  readonly convergenceDeadlineMs?: number
  /** Hard cap on logical operations (a bound on every run). */
  readonly maxOperations?: number
  readonly onProgress?: (progress: SimProgress) => void
}

export interface SimRun {
  readonly history: History
  readonly core: EngagementCore
  readonly operations: number
  readonly truncated: boolean
  readonly endMs: number
}

export const DEFAULT_MAX_OPERATIONS = 50_000_000

export function runSimDriver(options: SimDriverOptions): SimRun {
  const { setup, strategy } = options
  const { population, durationMs } = setup
  const bucketMs = options.bucketMs ?? 1000
  const probeIntervalMs = options.probeIntervalMs ?? 100
  const deadlineMs = options.convergenceDeadlineMs ?? 30_000
  const maxOperations = options.maxOperations ?? DEFAULT_MAX_OPERATIONS
  const regionIds = population.regionIds
  const regionCount = regionIds.length
  const faults = setup.scenario.faults

  const core = new EngagementCore(coreConfigFor(setup), strategy)
  core.loadDirectory(directoryFor(population))
  core.importLikes(importedLikesFor(population))
  const traffic = new TrafficGenerator({ spec: setup.world, population, faults, rate: setup.rate, durationS: setup.scenario.durationS, rng: setup.rng })
  const policy = new ClientPolicy({ spec: setup.client, regions: setup.world.regions, jitter: setup.rng.stream('client') })
  const history = new History()
  const events = new EventQueue<RunnerEvent>()
  const timeoutMs = setup.client.timeoutMs
  // Resolve ids to the core's handles once; the loop then calls the handle API.
  const userHandle = Int32Array.from(population.userIds, (id) => core.directory.user(id))
  const videoHandle = Int32Array.from(population.videoIds, (id) => core.directory.video(id))
  const regionHandle = Int32Array.from(regionIds, (id) => core.regionHandle(id))

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
  // network delivers twice, carries the same one.
  const call = (op: Operation, region: number, nowMs: number): CoreResult<unknown> => {
    const r = regionHandle[region] as number
    const video = videoHandle[op.video] as number
    const user = userHandle[op.user] as number
    switch (op.kind) {
      case OpKind.ReadVideo:
        return core.readVideoAt(nowMs, r, video, user)
      case OpKind.View:
        return core.viewAt(nowMs, r, user, video, op.watchMs, keyOperation(op).id)
      case OpKind.Like:
        return core.likeAt(nowMs, r, user, video, keyOperation(op).id, true)
      case OpKind.Unlike:
        return core.likeAt(nowMs, r, user, video, keyOperation(op).id, false)
      default:
        return core.readLikedAt(nowMs, r, user, video)
    }
  }

  const recordValue = (op: Operation, index: number, value: unknown): void => {
    switch (op.kind) {
      case OpKind.ReadVideo: {
        const v = value as VideoCountsResponse
        history.counts(index, v.likeCount, v.viewCount, v.uniqueViewers, v.stale, v.asOfMs)
        return
      }
      case OpKind.Like:
      case OpKind.Unlike: {
        const v = value as LikeResponse
        history.counts(index, v.likeCount, -1, -1, v.stale, v.asOfMs)
        return
      }
      case OpKind.View: {
        const v = value as ViewResponse
        history.counts(index, -1, v.viewCount, v.uniqueViewers, false, Number.NaN)
        return
      }
      default: {
        const v = value as LikedResponse
        history.likedFlag(index, v.liked, v.stale, v.asOfMs)
      }
    }
  }

  const scheduleRetry = (op: Operation, home: number, attemptsSoFar: number, atMs: number, retryAfterMs: number | undefined): void => {
    if (!policy.mayRetry(home, attemptsSoFar)) return
    events.push({ atMs: atMs + policy.backoffMs(attemptsSoFar, retryAfterMs), type: EV_RETRY, op, attempt: attemptsSoFar + 1, fault: -1 })
  }

  const execute = (op: Operation, attempt: number, startMs: number): void => {
    const home = population.userRegion[op.user] as number
    const kind = op.kind
    if (attempt === 1) policy.earn(home)
    let nowMs = startMs
    // A pinned route (a second device on another region's network) is tried first.
    let region = op.route >= 0 && !policy.avoids(op.route, nowMs) ? op.route : policy.pick(home, nowMs)
    for (let hop = 0; hop < regionCount; hop++) {
      const result = call(op, region, nowMs)
      const rttMs = policy.rttMs(home, region)
      const index = history.invoke(kind, keyOperation(op).id, op.user, op.video, op.user * 2 + op.device, region, attempt, nowMs, region !== home && region !== op.route)
      if (result.ok) {
        const latencyMs = rttMs + result.latencyMs
        if (latencyMs <= timeoutMs) {
          history.ok(index, nowMs + latencyMs, latencyMs)
          recordValue(op, index, result.value)
        } else {
          history.indeterminate(index, nowMs + timeoutMs, CLIENT_TIMEOUT_CODE)
          scheduleRetry(op, home, attempt, nowMs + timeoutMs, undefined)
        }
        return
      }
      const code = result.code
      const latencyMs = Math.min(timeoutMs, (code === 'LS_CORE_REGION_DOWN' ? rttMs / 2 : rttMs) + result.latencyMs)
      history.fail(index, nowMs + latencyMs, latencyMs, code)
      if (code === 'LS_CORE_REGION_DOWN') {
        // Connection refused: the client marks the region and fails over at once.
        policy.refused(region, nowMs)
        const next = policy.pick(home, nowMs + latencyMs)
        if (policy.avoids(next, nowMs + latencyMs)) {
          scheduleRetry(op, home, attempt, nowMs + latencyMs, undefined)
          return
        }
        region = next
        nowMs += latencyMs
        continue
      }
      if (RETRYABLE.has(code)) scheduleRetry(op, home, attempt, nowMs + latencyMs, result.retryAfterMs)
      return
    }
  }

  const handleEvent = (event: RunnerEvent): void => {
    switch (event.type) {
      case EV_RETRY:
        execute(event.op as Operation, event.attempt, event.atMs)
        return
      case EV_FAULT_START: {
        const spec = faults[event.fault] as FaultSpec
        const record = { spec, startMs: spec.startS * 1000, endMs: spec.endS * 1000 }
        history.faults.push(record)
        applyFaultStart({ core, spec, population, atMs: event.atMs, record })
        return
      }
      case EV_FAULT_END:
        applyFaultEnd({ core, spec: faults[event.fault] as FaultSpec, population, atMs: event.atMs })
        return
      case EV_PROBE: {
        const watermarkMs = core.regionWatermarks(event.atMs)
        history.probes.push({ atMs: event.atMs, watermarkMs, digests: core.regionDigests(event.atMs) })
        const caughtUp = watermarkMs.every((mark) => mark >= convergenceFromMs)
        if (!caughtUp && event.atMs + probeIntervalMs <= convergenceFromMs + deadlineMs + probeIntervalMs) {
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
  let lastMs = 0
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
    const op = traffic.next() as Operation
    lastMs = op.atMs
    operations++
    execute(op, 1, op.atMs)
    if ((operations & 0xffff) === 0 && options.onProgress !== undefined) {
      options.onProgress({ virtualMs: op.atMs, durationMs, operations })
    }
  }
  // Heal whatever is still switched on (a truncated run), then settle and read everything.
  const endMs = Math.max(lastMs, durationMs)
  for (const fault of faults) if (fault.endS * 1000 > endMs) applyFaultEnd({ core, spec: fault, population, atMs: endMs })
  const finalEndMs = runSimFinalPhase({ core, population, history, startMs: endMs + (options.quietMs ?? 5000), regionIds })
  options.onProgress?.({ virtualMs: durationMs, durationMs, operations })
  return { history, core, operations, truncated, endMs: finalEndMs }
}

export function faultLabels(faults: readonly FaultSpec[]): string[] {
  return faults.map(describeFault)
}
