// The metrics section of result.json (metrics): operations, attempts and their outcomes, failures
// by kind as classified where each answer arrived, latency percentiles and the system's counters.
// Part of the file format (result.ts re-exports it): it imports nothing of the harness.
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
