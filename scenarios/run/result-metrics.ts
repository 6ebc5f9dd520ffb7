// The result document's metrics section: operations, attempts and outcomes per kind and in all,
// failures by kind, latency summaries and the system's counters.
import { FAILURE_KIND_NAMES, FailureKind } from '../../sim/failure-kind.ts'
import { OP_KIND_NAMES, OpKind } from '../../sim/operation.ts'
import type { FailureCounts, RunResult } from '../../result/result.ts'
import type { ResultInput } from './build-result.ts'
import { sortKeys } from './result-json.ts'

export function metricsSummary(input: ResultInput): RunResult['metrics'] {
  const { metrics, history } = input
  const byKind: Record<string, RunResult['metrics']['byKind'][string]> = {}
  OP_KIND_NAMES.forEach((name, kind) => {
    byKind[name] = {
      operations: metrics.operations[kind] as number,
      attempts: metrics.attempts[kind] as number,
      ok: metrics.ok[kind] as number,
      failed: metrics.failed[kind] as number,
      indeterminate: metrics.indeterminate[kind] as number,
      latencyMs: (metrics.latency[kind] as { summary(): RunResult['metrics']['latencyMs'] }).summary(),
    }
  })
  let likesAcknowledged = 0
  for (let i = 0; i < history.length; i++) if (history.isAcknowledged(i, OpKind.Like)) likesAcknowledged++
  const sum = (array: Int32Array): number => array.reduce((a, b) => a + b, 0)
  return {
    operations: sum(metrics.operations),
    attempts: sum(metrics.attempts),
    ok: sum(metrics.ok),
    failed: sum(metrics.failed),
    indeterminate: sum(metrics.indeterminate),
    retries: metrics.retries,
    failovers: metrics.failovers,
    staleReads: metrics.staleReads,
    zeroLikeReads: metrics.zeroLikeReads,
    likesAcknowledged,
    errors: sortKeys(Object.fromEntries(metrics.errors)),
    failures: failureCounts(metrics.failures),
    byKind,
    latencyMs: metrics.overallLatency().summary(),
    ...(input.open === undefined ? {} : { openModelLatencyMs: input.open.latency.summary() }),
    system: input.systemCounters,
  }
}

/** Failed and indeterminate attempts by kind, every kind named (0 when none), in the kinds' order. */
function failureCounts(counts: Int32Array): FailureCounts {
  const out: Record<string, number> = {}
  FAILURE_KIND_NAMES.forEach((name, kind) => {
    if (kind !== FailureKind.None) out[name] = counts[kind] as number
  })
  return out as FailureCounts
}
