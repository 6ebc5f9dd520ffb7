// A k6-style end-of-test summary of a result: metric name, dotted to a column, then its figures.
import { STATUS_MARK } from '../reports/check-status.ts'
import type { LatencySummary } from '../scenarios/run/latency-histogram.ts'
import type { RunResult } from '../result/result.ts'

const WIDTH = 34

function ms(value: number | null): string {
  if (value === null) return '-'
  return value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${value.toFixed(2)}ms`
}

function trend(summary: LatencySummary): string {
  return `avg=${ms(summary.meanMs)} med=${ms(summary.p50Ms)} p(90)=${ms(summary.p90Ms)} p(95)=${ms(summary.p95Ms)} p(99)=${ms(summary.p99Ms)} max=${ms(summary.maxMs)}`
}

function line(name: string, value: string, indent = 5): string {
  const label = `${' '.repeat(indent)}${name}`
  return `${label}${'.'.repeat(Math.max(2, WIDTH + indent - label.length))}: ${value}`
}

export function renderK6Summary(result: RunResult): string {
  const m = result.metrics
  const wallS = (result.config.http?.wallMs ?? result.config.durationS * 1000) / 1000
  const rate = (n: number): string => `${(n / Math.max(0.001, wallS)).toFixed(1)}/s`
  const failedShare = m.attempts === 0 ? 0 : (m.attempts - m.ok) / m.attempts
  const thresholds = result.checks.filter((c) => c.kind === 'threshold')
  const invariants = result.checks.filter((c) => c.kind === 'invariant')
  const lines: string[] = []
  if (thresholds.length > 0) {
    lines.push('  █ THRESHOLDS', '')
    for (const t of thresholds) lines.push(`    ${STATUS_MARK[t.status]} ${t.name}  (observed ${t.observed})`)
    lines.push('')
  }
  lines.push('  █ TOTAL RESULTS', '')
  lines.push(line('checks', `${invariants.filter((c) => c.status === 'pass').length} passed, ${invariants.filter((c) => c.status === 'fail').length} failed, ${invariants.filter((c) => c.status === 'inconclusive').length} inconclusive (LikeStorm invariants)`))
  // result.json's latencyMs is the successful requests' (k6's http_req_duration counts every one).
  lines.push(line('likestorm_ok_duration', trend(m.latencyMs)))
  for (const [kind, metrics] of Object.entries(m.byKind)) {
    if (metrics.attempts > 0) lines.push(line(`{ op:${kind} }`, trend(metrics.latencyMs), 7))
  }
  if (m.openModelLatencyMs !== undefined) lines.push(line('open_model_duration', trend(m.openModelLatencyMs)))
  lines.push(line('http_req_failed', `${(failedShare * 100).toFixed(2)}%  ✓ ${m.attempts - m.ok}  ✗ ${m.ok}`))
  lines.push(line('http_reqs', `${m.attempts}  ${rate(m.attempts)}`))
  lines.push(line('iterations', `${m.operations}  ${rate(m.operations)}`))
  if (result.config.http !== undefined) {
    lines.push(line('dropped_iterations', String(result.config.http.droppedIterations)))
    lines.push(line('vus_max', `${result.config.http.peakVus} busy at the peak`))
  }
  lines.push(line('shed_requests', String((m.errors['LS_CORE_OVERLOADED'] ?? 0) + (m.errors['LS_CORE_RATE_LIMITED'] ?? 0) + (m.errors['LS_HTTP_OVERLOADED'] ?? 0))))
  lines.push(line('reads_stale', String(m.staleReads)))
  lines.push(line('likes_acknowledged', String(m.likesAcknowledged)))
  const zeroLikeReads = result.checks.find((c) => c.name === 'never-zero')?.values['zeroLikeReads']
  if (zeroLikeReads !== undefined && zeroLikeReads !== null) lines.push(line('reads_zero_while_liked', String(zeroLikeReads)))
  lines.push(line('failovers', String(m.failovers)))
  return lines.join('\n')
}
