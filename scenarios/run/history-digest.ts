// Metrics, per-bucket time series and replication lag, computed from a history in one pass.
// Every mode (sim, http, an ingested k6 run) produces a history; computing the figures from it,
// rather than counting as the run goes, keeps the drivers lean and the figures identical in
// meaning whatever produced them.
import { FailureKind } from '../../sim/failure-kind.ts'
import { History, Outcome } from '../../sim/history.ts'
import { OpKind } from '../../sim/operation.ts'
import { RunMetrics } from './run-metrics.ts'
import { TimeSeries } from './time-series.ts'
import { LatencyHistogram } from './latency-histogram.ts'

export interface HistoryDigest {
  readonly metrics: RunMetrics
  readonly series: TimeSeries
  /** Mode http: latency from the intended send time (coordinated omission corrected). */
  readonly open: { readonly series: TimeSeries; readonly latency: LatencyHistogram } | undefined
  /** Replication lag per region per bucket (NaN where no sample fell). */
  readonly lagMs: readonly Float64Array[]
}

export function digestHistory(
  history: History,
  { durationMs, bucketMs = 1000, regionCount, openModel }: { durationMs: number; bucketMs?: number; regionCount: number; openModel?: { timeScale: number } },
): HistoryDigest {
  const metrics = new RunMetrics()
  const series = new TimeSeries({ durationMs, bucketMs })
  const open = openModel === undefined ? undefined : { series: new TimeSeries({ durationMs, bucketMs }), latency: new LatencyHistogram() }
  for (let i = 0; i < history.length; i++) {
    const kind = history.kindOf(i)
    const t = history.invokeMsOf(i)
    metrics.attempts[kind] = (metrics.attempts[kind] as number) + 1
    if (history.attemptOf(i) === 1 && !history.isFailover(i)) metrics.operations[kind] = (metrics.operations[kind] as number) + 1
    if (history.attemptOf(i) > 1 && !history.isFailover(i)) metrics.retries++
    if (history.isFailover(i)) metrics.failovers++
    series.count(series.offered, t)
    const outcome = history.outcomeOf(i)
    if (outcome === Outcome.Ok) {
      const latencyMs = history.latencyMsOf(i)
      metrics.ok[kind] = (metrics.ok[kind] as number) + 1
      ;(metrics.latency[kind] as { record(ms: number): void }).record(latencyMs)
      series.served1(t, latencyMs)
      if (open !== undefined && openModel !== undefined) {
        const intendedMs = history.intendedMsOf(i)
        const fromIntendedMs = (history.completeMsOf(i) - intendedMs) * openModel.timeScale
        const openMs = Math.max(latencyMs, fromIntendedMs)
        open.series.served1(intendedMs, openMs)
        open.latency.record(openMs)
      }
      if (kind === OpKind.ReadVideo) {
        if (history.isStale(i)) {
          metrics.staleReads++
          series.count(series.staleReads, t)
        }
        if (history.likeCountOf(i) === 0) {
          metrics.zeroLikeReads++
          series.count(series.zeroLikeReads, t)
        }
      }
      continue
    }
    const code = history.errorCode(i)
    metrics.error(code === '' ? 'unknown' : code)
    const failure = history.failureOf(i)
    metrics.failures[failure] = (metrics.failures[failure] as number) + 1
    if (outcome === Outcome.Indeterminate || outcome === Outcome.Pending) {
      metrics.indeterminate[kind] = (metrics.indeterminate[kind] as number) + 1
      series.count(series.timeouts, t)
    } else {
      metrics.failed[kind] = (metrics.failed[kind] as number) + 1
      if (failure === FailureKind.Shed) series.count(series.shed, t)
      else series.count(series.failed, t)
    }
  }
  const lagMs = Array.from({ length: regionCount }, () => new Float64Array(series.buckets).fill(Number.NaN))
  for (const sample of history.lagSamples) {
    const bucket = series.bucketOf(sample.atMs - 1)
    sample.watermarkMs.forEach((mark, region) => {
      const lag = lagMs[region]
      if (lag !== undefined) lag[bucket] = Math.max(Number.isNaN(lag[bucket] as number) ? 0 : (lag[bucket] as number), sample.atMs - mark)
    })
  }
  return { metrics, series, open, lagMs }
}
