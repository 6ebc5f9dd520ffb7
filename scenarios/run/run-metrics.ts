// Run-wide counters and latency histograms, by operation kind.
import { FAILURE_KIND_COUNT } from '../../sim/failure-kind.ts'
import { OP_KIND_NAMES } from '../../sim/operation.ts'
import { LatencyHistogram } from './latency-histogram.ts'

const KINDS = OP_KIND_NAMES.length

export class RunMetrics {
  /** Logical operations by kind (first attempts). */
  readonly operations = new Int32Array(KINDS)
  readonly attempts = new Int32Array(KINDS)
  readonly ok = new Int32Array(KINDS)
  readonly failed = new Int32Array(KINDS)
  readonly indeterminate = new Int32Array(KINDS)
  readonly errors = new Map<string, number>()
  /** Failed and indeterminate attempts by FailureKind. */
  readonly failures = new Int32Array(FAILURE_KIND_COUNT)
  retries = 0
  failovers = 0
  staleReads = 0
  zeroLikeReads = 0
  /** Latency of acknowledged attempts, by kind. */
  readonly latency = Array.from({ length: KINDS }, () => new LatencyHistogram())

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1)
  }

  overallLatency(): LatencyHistogram {
    const all = new LatencyHistogram()
    for (const histogram of this.latency) all.merge(histogram)
    return all
  }
}
