// The wall-time plan of an http run: how long each phase may take, and the default bound on the
// whole run derived from them. The phases after the traffic speak the target's time: the embedded
// server runs on the scenario clock (wallMsPerServerMs = timeScale), a --target on its own wall
// clock (1). Its replication, its queues and its catch-up after a fault do not speed up because
// the client compresses the scenario, so the quiet period and the convergence deadline are the
// scenario's figures in the target's time.
import { gracefulStopMs as gracefulStopOf } from '../executors/index.ts'
import { DEFAULT_CACHE_CAPACITY_RATIO, type RunSetup } from '../run-setup.ts'

/** After the last answer, the target's time given to replication and queues before the final reads. */
export const QUIET_MS = 5000
/**
 * Before the final reads, the longest the driver waits for a target's queues to drain (the
 * target's time; naive's queue holds 30 s of work), and what counts as drained: no region's
 * requests wait longer than this.
 */
export const QUEUE_DRAIN_MAX_MS = 60_000
export const QUEUE_DRAINED_MS = 10
/** The convergence check's deadline when the scenario sets none (sim/checks/convergence.ts). */
export const DEFAULT_CONVERGENCE_DEADLINE_S = 30
/** Convergence probes come this often, in the target's time. */
export const PROBE_INTERVAL_MS = 100
/** The final reads each region takes per second of the target's time: half its counter cache's capacity. */
const FINAL_READ_SHARE_OF_CACHE = 0.5
const FINAL_READ_RATE_MIN_PER_S = 20
/**
 * The default bound is this many times the planned phases, plus a fixed allowance for building
 * the world and starting the server: a run that takes twice its plan is hung or on a machine too
 * busy to judge anything; a normal run on a loaded machine never comes near it.
 */
const BOUND_FACTOR = 2
const BOUND_FIXED_MS = 60_000

export interface WallPlan {
  /** The traffic, until the scenario's end or its last fault's, whichever is later. */
  readonly trafficWallMs: number
  /** The longest the driver waits for operations still in flight after the traffic (k6's gracefulStop). */
  readonly drainWallMs: number
  readonly quietWallMs: number
  readonly convergenceDeadlineWallMs: number
  /** The longest wait for the target's queues to drain before the final reads. */
  readonly queueDrainMaxWallMs: number
  readonly probeIntervalWallMs: number
  readonly finalReadRatePerRegionPerS: number
  /** The final reads at that rate: every video and every account's liked list per region, every creator's inbox. */
  readonly finalReadsWallMs: number
  /** The default bound on the whole run's wall time. */
  readonly durationMaxMs: number
}

export function wallPlan(setup: RunSetup, { timeScale, wallMsPerServerMs }: { timeScale: number; wallMsPerServerMs: number }): WallPlan {
  const { scenario, population } = setup
  const endMs = Math.max(setup.durationMs, ...scenario.faults.map((f) => f.endS * 1000))
  const trafficWallMs = endMs * timeScale
  const drainWallMs = gracefulStopMs(setup)
  const quietWallMs = QUIET_MS * wallMsPerServerMs
  const convergenceDeadlineWallMs = convergenceDeadlineMs(setup) * wallMsPerServerMs
  const finalReadRatePerRegionPerS = finalReadRate(setup, wallMsPerServerMs)
  // An upper estimate: not every account has liked something, but the plan is a bound.
  const finalReadsWallMs = ((population.videoCount + 2 * population.userCount) / finalReadRatePerRegionPerS) * 1000
  const queueDrainMaxWallMs = QUEUE_DRAIN_MAX_MS * wallMsPerServerMs
  const plannedMs = trafficWallMs + drainWallMs + quietWallMs + convergenceDeadlineWallMs + queueDrainMaxWallMs + finalReadsWallMs
  return {
    trafficWallMs,
    drainWallMs,
    quietWallMs,
    convergenceDeadlineWallMs,
    queueDrainMaxWallMs,
    probeIntervalWallMs: PROBE_INTERVAL_MS * wallMsPerServerMs,
    finalReadRatePerRegionPerS,
    finalReadsWallMs,
    durationMaxMs: Math.ceil(BOUND_FACTOR * plannedMs + BOUND_FIXED_MS),
  }
}

/** What the default bound is made of, for the line that says it was reached. */
export function describeWallPlan(plan: WallPlan): string {
  const s = (ms: number): string => `${Math.round(ms / 1000)} s`
  return (
    `${BOUND_FACTOR} x (traffic ${s(plan.trafficWallMs)} + drain ${s(plan.drainWallMs)} + quiet ${s(plan.quietWallMs)} + convergence ${s(plan.convergenceDeadlineWallMs)} + ` +
    `queues ${s(plan.queueDrainMaxWallMs)} + final reads ${s(plan.finalReadsWallMs)}) + ${s(BOUND_FIXED_MS)}`
  )
}

/** The scenario's convergence deadline, ms of the target's time. */
export function convergenceDeadlineMs(setup: RunSetup): number {
  return (setup.scenario.checks?.config?.convergence?.deadlineS ?? DEFAULT_CONVERGENCE_DEADLINE_S) * 1000
}

/** How long operations still in flight after the traffic are waited for, wall ms: k6's gracefulStop, at least every attempt's timeout. */
export function gracefulStopMs(setup: RunSetup): number {
  const stops = Object.values(setup.scenario.load.scenarios ?? {}).map(gracefulStopOf)
  return Math.max(...stops, setup.client.timeoutMs * setup.client.maxAttempts)
}

/** Final reads per wall second per region: half the smallest counter cache's capacity, in the target's time. */
function finalReadRate(setup: RunSetup, wallMsPerServerMs: number): number {
  const ratio = setup.scenario.system.cacheCapacityRatio ?? DEFAULT_CACHE_CAPACITY_RATIO
  const smallest = Math.min(...Object.values(setup.capacityRps)) * ratio
  return Math.max(FINAL_READ_RATE_MIN_PER_S, (FINAL_READ_SHARE_OF_CACHE * smallest) / wallMsPerServerMs)
}
