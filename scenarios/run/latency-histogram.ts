// Latency in an HDR histogram (hdr-histogram-js): bounded memory whatever the run length,
// 3 significant digits. Values are recorded in microseconds and reported in milliseconds.
import hdr from 'hdr-histogram-js'

import type { LatencySummary } from '../../result/result.ts'

export type { LatencySummary }

const HIGHEST_US = 3_600_000_000

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
    autoResize: false,
  })

  record(latencyMs: number): void {
    const us = Math.round(latencyMs * 1000)
    this.histogram.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : us)
  }

  /**
   * Record a value measured from the intended send time in an open model where `expectedIntervalMs`
   * separates sends: adds the samples a stalled sender would have produced (wrk2, autocannon).
   */
  recordCorrected(latencyMs: number, expectedIntervalMs: number): void {
    const us = Math.max(1, Math.min(HIGHEST_US, Math.round(latencyMs * 1000)))
    this.histogram.recordValueWithExpectedInterval(us, Math.max(1, Math.round(expectedIntervalMs * 1000)))
  }

  get count(): number {
    return this.histogram.totalCount
  }

  percentileMs(percentile: number): number | null {
    return this.count === 0 ? null : this.histogram.getValueAtPercentile(percentile) / 1000
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, meanMs: null, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null, maxMs: null }
    const ms = (us: number): number => Math.round(us) / 1000
    return {
      count: this.count,
      meanMs: Math.round(this.histogram.mean) / 1000,
      p50Ms: ms(this.histogram.getValueAtPercentile(50)),
      p90Ms: ms(this.histogram.getValueAtPercentile(90)),
      p95Ms: ms(this.histogram.getValueAtPercentile(95)),
      p99Ms: ms(this.histogram.getValueAtPercentile(99)),
      maxMs: ms(this.histogram.maxValue),
    }
  }

  merge(other: LatencyHistogram): void {
    this.histogram.add(other.histogram)
  }
}
