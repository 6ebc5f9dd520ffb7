// The time-series section of result.json (timeseries): per bucket, the offered and served load,
// failures, latency percentiles, stale and zero reads, replication lag and the hottest videos.
// Part of the file format (result.ts re-exports it): it imports nothing of the harness.
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
