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
import type { HttpRunConfig } from './http-config.ts'

export * from './http-config.ts'

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

/** One score threshold of a detector's curve. */
export interface CurvePoint {
  readonly scoreMin: number
  readonly flagged: number
  readonly precision: number | null
  readonly recall: number | null
  /** People (genuine and inactive accounts) flagged over all people. */
  readonly genuineFpr: number | null
}

/** A detector over every score threshold, from the scores it gave at the bot purges. */
export interface DetectorCurve {
  readonly name: string
  readonly purgeScoreMin: number
  /** Highest threshold first, at most 50. */
  readonly points: readonly CurvePoint[]
  readonly recallAtGenuineFpr: { readonly genuineFpr: number; readonly recall: number; readonly scoreMin: number | null }
  readonly recallAtPrecision: { readonly precision: number; readonly recall: number; readonly scoreMin: number | null }
}

/** A baseline detector fed the same events: what it would have purged at its own threshold, and its curve. */
export interface BaselineQuality extends DetectorCurve {
  readonly precision: number | null
  readonly recall: number | null
  readonly byFarmKind: { readonly careless: { readonly precision: number | null; readonly recall: number | null }; readonly stealthy: { readonly precision: number | null; readonly recall: number | null } }
}

/** One farm's detection quality and cost (result.json detection.byFarm). */
export interface FarmQuality {
  readonly label: string
  readonly kind: 'careless' | 'stealthy' | 'flood'
  readonly traits: readonly string[]
  readonly accounts: number
  readonly purged: number
  readonly precision: number | null
  readonly recall: number | null
  readonly paidLikes: number
  readonly paidViews: number
  /** Of paidViews, those still counted after the purges; absent when no purge removed views. */
  readonly paidViewsLeft?: number
  readonly costUsd: number
}

/** Seconds from a farm account's first like to the bot purge that removed it. */
export interface TimeToDetection {
  readonly detected: number
  readonly p50S: number
  readonly p90S: number
  readonly maxS: number
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
  /**
   * Per farm of the world, in its order (absent from results written before farm traits): its
   * label, kind and traits, accounts and how many a bot purge took, precision as "had only this
   * farm existed", and its cost in USD at assumed prices (docs/detectors.md).
   */
  readonly byFarm?: readonly FarmQuality[]
  /** Inactive purges against truly idle accounts. */
  readonly inactive: KindQuality
  /** Rows: truth; columns: purged by a bot purge, by an inactive purge, or left alone. */
  readonly confusion: Readonly<Record<(typeof ACCOUNT_KINDS)[number], { readonly botPurge: number; readonly inactivePurge: number; readonly kept: number }>>
  // The fields below are absent from results written before detectors were plug-ins.
  /** The bot purges' detector over every threshold; null when the purges' reports carry no scores (mode http). */
  readonly curve?: DetectorCurve | null
  /** Accounts the bot purges removed by each reason they named, of which bots. */
  readonly byReason?: Readonly<Record<string, { readonly accounts: number; readonly bots: number; readonly precision: number }>>
  /** People purged by bot purges, their likes removed, and the distinct creators of the videos that lost them. */
  readonly falsePositiveCost?: { readonly genuineAccounts: number; readonly genuineLikesRemoved: number; readonly creatorsAffected: number }
  readonly timeToDetection?: { readonly careless: TimeToDetection | null; readonly stealthy: TimeToDetection | null }
  /** The facts-only detector on the same events (docs/detectors.md); null where the purges' reports carry none. */
  readonly baselines?: { readonly factsOnly: BaselineQuality | null }
  /**
   * The purged accounts and the likes removed with them, by name: at most 200 of each, people
   * (the purges' mistakes) before bots, and how many more there were.
   */
  readonly purged?: {
    readonly accounts: readonly { readonly userId: string; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly atMs: number; readonly score: number | null; readonly reasons: readonly string[] }[]
    readonly accountsNotListed: number
    readonly likes: readonly { readonly userId: string; readonly videoId: string; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly removedAtMs: number }[]
    readonly likesNotListed: number
    /**
     * The views the purges removed, per account and video (views: how many), bounded and ordered
     * as the likes; absent when no purge removed a view (the system keeps purged accounts' views,
     * or they had none).
     */
    readonly views?: readonly { readonly userId: string; readonly videoId: string; readonly views: number; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly removedAtMs: number }[]
    readonly viewsNotListed?: number
  }
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
    /** Views the purge removed (a system that removes purged accounts' views); absent when it removed none. */
    readonly viewsRemoved?: number
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

/** What result.json records of a user's detector module (`likestorm run --detector`). */
export interface DetectorRecord {
  readonly name: string
  readonly interfaceVersion: number
  /** The module's file as given to `run` and the SHA-256 of its bytes (absent: a module handed to the API, not loaded from a file). */
  readonly path?: string
  readonly sha256?: string
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
  /** A detector from the user's module (--detector): the bot purges' detector instead of the built-in one. */
  readonly detector?: DetectorRecord
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
