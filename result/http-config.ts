// The mode-http part of result.json (config.http): how the run reached its target, what the target
// offered, and how the load generator and the embedded server fared. Part of the file format
// (result.ts re-exports it): it imports nothing of the harness.
/** How a run's faults reached a --target (`likestorm run --faults`). */
export const FAULT_ROUTES = ['admin', 'proxy', 'none'] as const
export type FaultRoute = (typeof FAULT_ROUTES)[number]

export interface HttpRunConfig {
  /**
   * 'embedded' (the mock server in this process), or the --target that reaches every region of the
   * target again: the first region's URL when the others follow on the next ports, else
   * `region=URL,…` for every region.
   */
  readonly target: string
  /** --target-profile: the capabilities document the run used instead of the target's own. */
  readonly targetProfile?: string
  /** --faults against a --target: through its admin API, LikeStorm's fault proxy in front of it, or none (absent: the embedded server, or admin in results written before the flag). */
  readonly faults?: FaultRoute
  /** --adapter: the user's module that mapped each operation to the target's own API (docs/targets.md). */
  readonly adapter?: string
  /** --allow-dirty-target was given (whether the target was in fact dirty: capabilities.state). */
  readonly allowDirtyTarget?: boolean
  readonly timeScale: number
  readonly connections: number
  readonly wallMs: number
  readonly droppedIterations: number
  readonly peakVus: number
  readonly skippedFaults: readonly string[]
  /** The abortOnFail threshold that stopped the run early, with what it observed. */
  readonly abortedBy?: string
  /** What the load generator measured about itself during the traffic (absent in results written before it did). */
  readonly health?: HttpHealth
  /** What the target offered the run and how it was told (absent in results written before it was recorded). */
  readonly capabilities?: TargetCapabilityRecord
}

/**
 * What a target offered a run (docs/targets.md): the capabilities the checks relied on, where they
 * came from, and what the run made of them. A check that needed one the target lacks was not applicable.
 */
export interface TargetCapabilityRecord {
  /** embedded: the mock server started by the run; document: /.well-known/likestorm.json; profile: --target-profile; probed: neither, a few reads and the minimum assumed. */
  readonly source: 'embedded' | 'document' | 'profile' | 'probed'
  readonly service?: string
  /** Each region of the scenario and the URL its traffic went to. */
  readonly regions: Readonly<Record<string, string>>
  /** Distinct regions of the target among them (1: one front door, convergence not applicable). */
  readonly distinctRegions: number
  readonly likedLists: boolean
  /** How the final like states were read: liked lists, each touched pair read back, or not at all. */
  readonly likeStates: 'lists' | 'read-backs' | 'none'
  /**
   * Set when the touched pairs were too many to read back each: a seeded random sample of `read`
   * of the `of` pairs was, and the like checks judged those pairs alone.
   */
  readonly likeStatesSample?: { readonly read: number; readonly of: number }
  readonly notifications: boolean
  /** loaded: it holds the run's world (creators, seeded likes); none: ids taken on first use. */
  readonly world: 'none' | 'loaded'
  /** asOf: its answers say how old they are (asOfMs, stale). */
  readonly staleness: 'none' | 'asOf'
  /** likestorm: its admin API was usable (faults, probes, lag samples). */
  readonly admin: 'none' | 'likestorm'
  /** How its clock was related to ours, and to within how many wall ms (null: not at all). */
  readonly clock: { readonly by: 'shared' | 'admin' | 'asOf' | 'date' | 'none'; readonly uncertaintyWallMs: number | null }
  /** What was assumed, probed or provisioned, one line each. */
  readonly notes: readonly string[]
  /**
   * The target before the traffic: fresh (as a new world's), reset through the admin API, or dirty
   * and taken as it was (--allow-dirty-target: the checks leftover state would fool were not
   * applicable). Absent for the embedded server and in results written before it was recorded.
   */
  readonly state?: { readonly fresh: boolean; readonly action: 'none' | 'reset' | 'allowed-dirty'; readonly detail: string }
}

/**
 * The load generator's own health over the traffic, all wall-clock figures. When it could not
 * keep the offered schedule (scheduleKept false, cause says why and what to do), the timing
 * checks are inconclusive; data invariants are judged as always.
 */
export interface HttpHealth {
  readonly scheduleKept: boolean
  /** One line: what was measured, why, and what to do (raise --time-scale, lower --scale or --connections…). */
  readonly cause?: string
  /** A send later than this after its due time counts as late, ms. */
  readonly lateThresholdMs: number
  /** Operations the open model released (0 in the closed model, which has no schedule). */
  readonly operationsReleased: number
  readonly lateShare: number
  /** How late operations were sent against their due time, ms (null: none released). */
  readonly scheduleLagP50Ms: number | null
  readonly scheduleLagP99Ms: number | null
  readonly scheduleLagMaxMs: number | null
  /** Share of the traffic's operations dropped with every VU busy. */
  readonly droppedShare: number
  /** How late the event loop ran its timers, ms. */
  readonly eventLoopDelayP50Ms: number
  readonly eventLoopDelayP99Ms: number
  readonly eventLoopDelayMaxMs: number
  /** Share of the wall time the driving thread's event loop was busy. */
  readonly eventLoopUtilization: number
  /** CPU of the whole process (every thread) per wall second. */
  readonly processCpuCores: number
  /** CPU of the driving thread per wall second (null where the OS does not say). */
  readonly threadCpuCores: number | null
  readonly coresAvailable: number
  readonly loadAverage1m: number
  /** The wall time measured over: the traffic phase. */
  readonly measuredWallMs: number
  /** The embedded mock server's thread over the same traffic (mode http without --target). */
  readonly server?: ServerThreadHealth
}

/** How the embedded mock server's thread fared: a starved thread answers late, and the delay is the machine's. */
export interface ServerThreadHealth {
  /** Share of the traffic's wall time the thread's event loop was stalled past the late threshold. */
  readonly stalledShare: number
  readonly eventLoopDelayP99Ms: number
  readonly eventLoopDelayMaxMs: number
  readonly eventLoopUtilization: number
  readonly threadCpuCores: number | null
}

