// The result of one scenario run, as written to result.json. Reports read only this type, so a
// saved result can always be rendered again. In mode sim it holds no wall-clock value and is
// byte-identical for the same seed and code.
//
// This module is the file format, with its sections in modules of their own that it re-exports
// (detection.ts, metrics.ts, timeseries.ts, http-config.ts): it imports nothing of the harness
// (reports, the runner and the k6 ingest import it). The shapes it records from the harness (a check's status and examples, a
// fault as declared, detection quality, failure kinds, latency) are the format's own; the
// harness's in-memory types are assigned to them where a result is built, so the compiler keeps
// the two in step, and a test compares the enumerations.
import type { Options } from 'k6/options'
import type { DetectionQuality } from './detection.ts'
import type { HttpRunConfig } from './http-config.ts'
import type { RunMetricsSummary } from './metrics.ts'
import type { TimeSeriesResult } from './timeseries.ts'

export * from './detection.ts'
export * from './http-config.ts'
export * from './metrics.ts'
export * from './timeseries.ts'

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
