// The result of one scenario run, as written to result.json. Reports read only this type, so a
// saved result can always be rendered again. In mode sim it holds no wall-clock value and is
// byte-identical for the same seed and code.
//
// This module is the file format: it imports nothing of the harness (reports, the runner and the
// k6 ingest import it). The shapes it records from the harness (a check's status and examples, a
// fault as declared, detection quality, failure kinds, latency) are the format's own; the
// harness's in-memory types are assigned to them where a result is built, so the compiler keeps
// the two in step, and a test compares the enumerations.
import type { Options } from 'k6/options'

export const RESULT_SCHEMA_VERSION = 2

/** A check's verdict: pass, fail (with examples), inconclusive (the harness could not judge; it says why), not-applicable (nothing to judge). */
export const CHECK_STATUSES = ['pass', 'fail', 'inconclusive', 'not-applicable'] as const
export type CheckStatus = (typeof CHECK_STATUSES)[number]

/** One offending read or write a check shows. */
export interface CheckExample {
  readonly message: string
  readonly videoId?: string
  readonly userId?: string
  readonly region?: string
  /** Scenario time of the offending read or write, ms since the run started. */
  readonly atMs?: number
}

/** A fault as the scenario declared it: its kind, its window and the fields of its kind. */
export interface FaultSpecRecord {
  readonly kind: string
  readonly startS: number
  readonly endS: number
  readonly [field: string]: unknown
}

/** Latency percentiles, ms (null: no sample). */
export interface LatencySummary {
  readonly count: number
  readonly meanMs: number | null
  readonly p50Ms: number | null
  readonly p90Ms: number | null
  readonly p95Ms: number | null
  readonly p99Ms: number | null
  readonly maxMs: number | null
}

/** How an attempt that did not succeed was classified where its answer arrived (sim/failure-kind.ts, less 'none'). */
export const FAILURE_KINDS = [
  'shed',
  'rate-limited',
  'unavailable',
  'timeout',
  'refused',
  'connection-reset',
  'unknown-id',
  'bad-request',
  'taken-down',
  'account-deleted',
  'deadline-exceeded',
  'server-error',
  'bad-response',
  'not-sent',
  'other',
] as const
export type FailureKindName = (typeof FAILURE_KINDS)[number]

/** The world's account kinds (ground truth), as detection's confusion matrix names its rows. */
export const ACCOUNT_KINDS = ['genuine', 'careless', 'stealthy', 'inactive', 'flood'] as const

/** Detection quality for one kind of account. */
export interface KindQuality {
  /** Accounts of this kind in the world. */
  readonly accounts: number
  /** ...of which purged. */
  readonly purged: number
  readonly precision: number | null
  readonly recall: number | null
}

/** Purges against the world's ground truth. */
export interface DetectionQuality {
  readonly botPurges: number
  readonly inactivePurges: number
  /** Bot purges: flagged accounts that are bots (any farm) over all flagged. */
  readonly precision: number | null
  /** Bot purges: bots flagged over all bots. */
  readonly recall: number | null
  readonly genuineAccountsPurged: number
  /** Genuine users' likes removed by any purge over all their acknowledged likes. */
  readonly genuineLikesRemovedRatio: number | null
  readonly genuineLikesRemoved: number
  readonly likesRemoved: number
  readonly byFarmKind: { readonly careless: KindQuality; readonly stealthy: KindQuality }
  /** Inactive purges against truly idle accounts. */
  readonly inactive: KindQuality
  /** Rows: truth; columns: purged by a bot purge, by an inactive purge, or left alone. */
  readonly confusion: Readonly<Record<(typeof ACCOUNT_KINDS)[number], { readonly botPurge: number; readonly inactivePurge: number; readonly kept: number }>>
}

/**
 * The run's verdict. fail: a check failed (the system broke; its examples say where). inconclusive:
 * no check failed but the harness could not judge one (it could not keep the offered schedule, or
 * the run ended before the evidence was in). pass: every check that applies held.
 */
export type RunVerdict = 'pass' | 'fail' | 'inconclusive'

/**
 * Why a run stopped before its end. signal: SIGINT, SIGTERM or SIGHUP (detail names it);
 * time-limit and operation-cap: a bound of the run's own; abort-on-fail: a crossed abortOnFail
 * threshold; incomplete-output: an ingested k6 output that does not cover the whole test.
 */
export interface StoppedBy {
  readonly kind: 'signal' | 'time-limit' | 'operation-cap' | 'abort-on-fail' | 'incomplete-output'
  /** One line for a person: which signal or bound, and its value. */
  readonly detail: string
}

export type RunMode = 'sim' | 'http'

export interface CheckOutcome {
  readonly name: string
  /** invariant: judged from the history; threshold: a k6 threshold on a metric. */
  readonly kind: 'invariant' | 'threshold'
  readonly status: CheckStatus
  readonly observed: string
  readonly expected: string
  readonly values: Readonly<Record<string, number | null>>
  readonly examples: readonly CheckExample[]
}

export interface FaultOutcome {
  readonly kind: string
  readonly description: string
  readonly startMs: number
  readonly endMs: number
  readonly spec: FaultSpecRecord
  readonly skipped?: string
  /** Mode http: what enacted it, the target's admin API or LikeStorm's fault proxy in front of the target (absent: not enacted, or a fault of the traffic itself). */
  readonly via?: 'admin' | 'proxy'
  readonly purge?: {
    readonly kind: 'bot' | 'inactive'
    readonly atMs: number
    readonly accounts: number
    readonly likesRemoved: number
    /** How many purged accounts each reason applied to. */
    readonly reasons: Readonly<Record<string, number>>
  }
}

export interface KindMetrics {
  readonly operations: number
  readonly attempts: number
  readonly ok: number
  readonly failed: number
  readonly indeterminate: number
  readonly latencyMs: LatencySummary
}

export interface RunMetricsSummary {
  readonly operations: number
  readonly attempts: number
  readonly ok: number
  readonly failed: number
  readonly indeterminate: number
  readonly retries: number
  readonly failovers: number
  readonly staleReads: number
  readonly zeroLikeReads: number
  readonly likesAcknowledged: number
  /** Failed and indeterminate attempts by error code (the codes as the system or client gave them). */
  readonly errors: Readonly<Record<string, number>>
  /** Failed and indeterminate attempts by kind, as classified where each answer arrived: what reports count. */
  readonly failures: FailureCounts
  readonly byKind: Readonly<Record<string, KindMetrics>>
  /** Service time of acknowledged attempts. */
  readonly latencyMs: LatencySummary
  /** Mode http: latency from the intended send time (coordinated omission corrected). */
  readonly openModelLatencyMs?: LatencySummary
  readonly system: Readonly<Record<string, number>>
}

/** Attempts by failure kind (sim/failure-kind.ts's names but 'none'). */
export type FailureCounts = Readonly<Record<FailureKindName, number>>

export interface HotVideoSeries {
  readonly videoId: string
  readonly rank: number
  /** Likes surely standing at the end of each bucket (the truth the history proves). */
  readonly trueLikes: readonly number[]
  /** Lowest and highest like count readers were shown in each bucket (null: no read). */
  readonly shownMin: readonly (number | null)[]
  readonly shownMax: readonly (number | null)[]
  readonly zeroReads: readonly number[]
}

export interface TimeSeriesResult {
  readonly bucketMs: number
  /** Start of each bucket, ms since the run began. */
  readonly tMs: readonly number[]
  readonly offeredRps: readonly number[]
  readonly servedRps: readonly number[]
  readonly shedRps: readonly number[]
  readonly failedRps: readonly number[]
  readonly timeoutRps: readonly number[]
  readonly latencyP50Ms: readonly (number | null)[]
  readonly latencyP95Ms: readonly (number | null)[]
  readonly latencyP99Ms: readonly (number | null)[]
  /** Mode http: open-model latency percentiles per bucket. */
  readonly openModelLatencyP50Ms?: readonly (number | null)[]
  readonly openModelLatencyP95Ms?: readonly (number | null)[]
  readonly openModelLatencyP99Ms?: readonly (number | null)[]
  readonly staleReads: readonly number[]
  readonly zeroLikeReads: readonly number[]
  readonly replicationLagMs: Readonly<Record<string, readonly (number | null)[]>>
  readonly hotVideos: readonly HotVideoSeries[]
}

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

/**
 * `likestorm run --duration/--rate/--vus/--threshold`: the values given, which the replay command
 * repeats. They change the load's main k6 scenario (scenarios/overrides.ts).
 */
export interface RunOverrides {
  /** --duration, whole seconds: the scenario's length. */
  readonly durationS?: number
  /** --rate: the main k6 scenario's arrival rate, iterations per its timeUnit (at --scale 1). */
  readonly rate?: number
  /** --vus: the main k6 scenario's VUs (maxVUs of an arrival-rate executor). */
  readonly vus?: number
  /** --threshold flags as `metric: expression`, in the order given. */
  readonly thresholds?: readonly string[]
}

/** What result.json records of a user's system module (`likestorm run --system`). */
export interface SystemRecord {
  readonly name: string
  readonly path: string
  readonly sha256: string
  readonly interfaceVersion: number
}

export interface RunResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION
  readonly tool: { readonly name: 'likestorm'; readonly version: string }
  readonly scenario: {
    readonly name: string
    readonly title: string
    readonly summary: string
    /** A scenario from the user's file: its path as given to `run` and the SHA-256 of its bytes. */
    readonly file?: { readonly path: string; readonly sha256: string }
  }
  readonly mode: RunMode
  readonly seed: number
  readonly scale: number
  readonly strategy: { readonly name: string; readonly description: string }
  /** A system from the user's module (--system): its name, its path as given to `run`, the SHA-256 of its bytes and the interface version it implements. */
  readonly system?: SystemRecord
  readonly verdict: RunVerdict
  /** verdict === 'pass', for scripts that read one boolean. */
  readonly passed: boolean
  /** The run stopped before its end (stoppedBy says why): checks judged what ran. */
  readonly interrupted: boolean
  readonly stoppedBy?: StoppedBy
  /** The one command that replays this run exactly. */
  readonly replay: string
  /**
   * Checks this strategy is expected to fail (from the scenario), and whether the run matched:
   * among the checks that were judged (passed or failed), exactly the expected ones failed.
   */
  readonly expectation: { readonly failing: readonly string[]; readonly matched: boolean } | null
  readonly config: {
    readonly durationS: number
    readonly load: Options
    readonly world: Readonly<Record<string, number>>
    readonly capacityRps: Readonly<Record<string, number>>
    readonly client: Readonly<Record<string, number>>
    /** Mode http: how the run was driven (wall-clock values are allowed here). */
    readonly http?: HttpRunConfig
    /** What `run`'s flags changed in the scenario (absent: nothing); durationS and load above are as run. */
    readonly overrides?: RunOverrides
  }
  readonly faults: readonly FaultOutcome[]
  readonly checks: readonly CheckOutcome[]
  readonly detection: DetectionQuality | null
  readonly metrics: RunMetricsSummary
  readonly timeseries: TimeSeriesResult
}
