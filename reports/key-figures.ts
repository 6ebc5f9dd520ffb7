// The handful of numbers a reader wants first, shared by the HTML and Markdown reports.
import { checkNamesWith } from './check-status.ts'
import type { LatencySummary, RunResult } from '../result/result.ts'
import { formatCount, formatMs, formatRatio, formatShare } from './format.ts'

export interface KeyFigure {
  readonly label: string
  readonly value: string
  readonly sub: string
  /** Worth a reader's attention (drawn in red). */
  readonly bad: boolean
}

/** Optional figure a mode-http result adds: latency from the intended send time. */
interface OpenModelMetrics {
  readonly openModelLatencyMs?: LatencySummary
}

/** Attempts the system shed for load (kind `shed`, as the run classified each answer where it arrived). */
export function shedCount(result: RunResult): number {
  return result.metrics.failures.shed
}

export function keyFigures(result: RunResult): KeyFigure[] {
  const m = result.metrics as RunResult['metrics'] & OpenModelMetrics
  const share = (part: number): number | null => (m.attempts > 0 ? part / m.attempts : null)
  const failedNames = checkNamesWith(result, 'fail')
  const failed = failedNames.length
  const inconclusive = checkNamesWith(result, 'inconclusive')
  const shed = shedCount(result)
  const figures: KeyFigure[] = [
    { label: 'checks failed', value: `${failed} of ${result.checks.length}`, sub: failed > 0 ? failedNames.join(', ') : inconclusive.length > 0 ? `inconclusive: ${inconclusive.join(', ')}` : 'every check held', bad: failed > 0 },
    { label: 'operations', value: formatCount(m.operations), sub: `${formatCount(m.attempts)} attempts · ${formatCount(m.retries)} retries`, bad: false },
    { label: 'attempts answered ok', value: formatShare(share(m.ok)), sub: `${formatCount(m.failed)} failed · ${formatCount(m.indeterminate)} timed out`, bad: false },
    { label: 'p99 service time', value: formatMs(m.latencyMs.p99Ms), sub: `p50 ${formatMs(m.latencyMs.p50Ms)} · max ${formatMs(m.latencyMs.maxMs)}`, bad: false },
  ]
  if (m.openModelLatencyMs !== undefined) {
    figures.push({ label: 'p99 open model', value: formatMs(m.openModelLatencyMs.p99Ms), sub: `p50 ${formatMs(m.openModelLatencyMs.p50Ms)} · from intended send time`, bad: false })
  }
  figures.push(
    { label: 'shed for load', value: formatCount(shed), sub: `${formatShare(share(shed))} of attempts`, bad: false },
    { label: 'stale reads', value: formatCount(m.staleReads), sub: `${formatCount(m.zeroLikeReads)} reads showed 0 likes`, bad: false },
  )
  const goodput = result.checks.find((c) => c.name === 'goodput')
  const goodputRps = goodput?.values['goodputRps']
  if (goodput !== undefined && goodputRps !== undefined && goodputRps !== null) {
    figures.push({ label: 'goodput in overload', value: `${formatCount(goodputRps)} req/s`, sub: `${formatRatio(goodput.values['shareOfAttainable'] ?? null)} of attainable`, bad: goodput.status === 'fail' })
  }
  const d = result.detection
  if (d !== null) {
    figures.push({
      label: 'bot detection P / R',
      value: `${formatRatio(d.precision, 2)} / ${formatRatio(d.recall, 2)}`,
      sub: `${formatCount(d.genuineAccountsPurged)} genuine accounts purged`,
      bad: d.genuineAccountsPurged > 0,
    })
  }
  return figures
}
