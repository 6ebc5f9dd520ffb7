// Comparing a candidate run against a baseline (pure): checks that newly fail, the p99 latency
// increase and the goodput drop beyond their limits, detection precision and recall dropping by
// more than a number of percentage points per farm kind. Everything else is shown, not judged.
// Runs made differently (scale, mode, time scale, load flags; strategy for the CLI) are refused, never
// compared: their figures differ by construction and every difference would read as a change.
// A figure measured on a run the harness could not drive in full (stopped early, schedule not
// kept) is shown, not judged, and the comparison is inconclusive rather than a pass.
import type { CheckOutcome, RunResult } from '../result/result.ts'
import { formatChangePct, formatChangePts, formatCount, formatMs, formatRatio, formatShare } from './format.ts'
import { shedCount } from './key-figures.ts'
import { overrideFlags } from '../result/overrides.ts'
import { ResultError } from '../result/result-error.ts'

export interface CompareLimits {
  /** Largest allowed increase of the overall p99 latency, percent of the baseline's. */
  readonly maxP99IncreasePct: number
  /** Largest allowed drop of goodput during overload (goodput check's goodputRps), percent of the baseline's. */
  readonly maxGoodputDropPct: number
  /** Largest allowed drop of detection precision or recall of any farm kind, in percentage points. */
  readonly maxDetectionDropPts: number
}

export const DEFAULT_COMPARE_LIMITS: CompareLimits = { maxP99IncreasePct: 10, maxGoodputDropPct: 2, maxDetectionDropPts: 1 }

/** regression fails the comparison; improved and worse are shown; same and info are context. */
export type RowStatus = 'regression' | 'worse' | 'improved' | 'same' | 'info'

export interface ComparisonRow {
  readonly group: 'check' | 'latency' | 'goodput' | 'detection' | 'volume'
  readonly metric: string
  readonly baseline: string
  readonly candidate: string
  readonly change: string
  /** The limit that applies, or '' when the row is not gated. */
  readonly limit: string
  readonly status: RowStatus
}

export interface Regression {
  readonly metric: string
  readonly message: string
}

export interface RunLabel {
  readonly scenario: string
  readonly strategy: string
  readonly seed: number
  readonly scale: number
  readonly mode: string
  readonly passed: boolean
}

/** regression: something got worse beyond its limit; inconclusive: none did, but something could not be judged. */
export type ComparisonVerdict = 'pass' | 'regression' | 'inconclusive'

export interface CompareOptions {
  /**
   * 'same' (the CLI's gate): runs of different strategies are refused like runs of different
   * scales. 'any' (the default for programs): comparing two strategies is how a program compares
   * two designs of the system, and their differences are the point.
   */
  readonly strategies?: 'same' | 'any'
}

export interface Comparison {
  readonly verdict: ComparisonVerdict
  /** verdict === 'pass'. */
  readonly passed: boolean
  readonly scenario: string
  readonly baseline: RunLabel
  readonly candidate: RunLabel
  readonly limits: CompareLimits
  readonly rows: readonly ComparisonRow[]
  readonly regressions: readonly Regression[]
  /** What could not be judged, and why (a check the candidate could not judge, figures of a run cut short). */
  readonly unjudged: readonly string[]
  /** Differences in how the runs were made that still allow a comparison (seed, strategy for programs, tool version). */
  readonly notes: readonly string[]
}

/** Below this, two figures are equal (rounding in result.json). */
const EPSILON = 1e-9

export function compareResults(baseline: RunResult, candidate: RunResult, limits: Partial<CompareLimits> = {}, options: CompareOptions = {}): Comparison {
  assertComparable(baseline, candidate, options)
  const applied: CompareLimits = { ...DEFAULT_COMPARE_LIMITS, ...limits }
  const rows: ComparisonRow[] = []
  const regressions: Regression[] = []
  const add = (row: ComparisonRow, regression?: string): void => {
    rows.push(row)
    if (row.status === 'regression') regressions.push({ metric: row.metric, message: regression ?? `${row.metric}: ${row.baseline} → ${row.candidate}` })
  }
  const untimed = unmeasured(baseline, candidate)
  const gate = { timing: untimed === undefined, detection: baseline.stoppedBy === undefined && candidate.stoppedBy === undefined }
  compareChecks(baseline, candidate, add)
  compareLatency(baseline, candidate, applied, add, gate.timing)
  compareGoodput(baseline, candidate, applied, add, gate.timing)
  compareDetection(baseline, candidate, applied, add, gate.detection)
  compareVolume(baseline, candidate, add)
  const unjudged = [
    ...candidate.checks.filter((check) => check.status === 'inconclusive').map((check) => `check ${check.name}: the candidate could not judge it`),
    ...(untimed === undefined ? [] : [`latency and goodput are shown, not judged: ${untimed}`]),
    ...(gate.detection || (baseline.detection === null && candidate.detection === null) ? [] : ['detection is shown, not judged: a run stopped before its end']),
  ]
  const verdict: ComparisonVerdict = regressions.length > 0 ? 'regression' : unjudged.length > 0 ? 'inconclusive' : 'pass'
  return {
    verdict,
    passed: verdict === 'pass',
    scenario: baseline.scenario.name,
    baseline: label(baseline),
    candidate: label(candidate),
    limits: applied,
    rows,
    regressions,
    unjudged,
    notes: notes(baseline, candidate),
  }
}

function label(result: RunResult): RunLabel {
  return { scenario: result.scenario.name, strategy: result.strategy.name, seed: result.seed, scale: result.scale, mode: result.mode, passed: result.passed }
}

/**
 * Refuse runs whose figures differ by construction: another scenario, another --scale (population,
 * load and capacity all scale), another mode (virtual against wall-clock latency), another
 * --time-scale (the same load in less wall time), other --duration, --rate or --vus (another
 * load), and for the CLI another strategy. One line names
 * every difference and how to make the runs comparable.
 */
function assertComparable(b: RunResult, c: RunResult, { strategies = 'any' }: CompareOptions): void {
  if (b.scenario.name !== c.scenario.name) {
    throw new ResultError('LS_COMPARE_MISMATCH', `cannot compare runs of different scenarios: baseline is ${b.scenario.name}, candidate is ${c.scenario.name}`)
  }
  const differences: string[] = []
  const differ = (what: string, x: string | number | undefined, y: string | number | undefined): void => {
    if (x !== y) differences.push(`${what} (baseline ${x ?? 'n/a'}, candidate ${y ?? 'n/a'})`)
  }
  differ('scale', b.scale, c.scale)
  differ('mode', b.mode, c.mode)
  if (b.mode === 'http' && c.mode === 'http') differ('time scale', b.config.http?.timeScale, c.config.http?.timeScale)
  differ('load flags', loadFlags(b), loadFlags(c))
  if (strategies === 'same') differ('strategy', b.strategy.name, c.strategy.name)
  if (differences.length === 0) return
  throw new ResultError(
    'LS_COMPARE_MISMATCH',
    `cannot compare runs made differently: ${differences.join(', ')} ${differences.length === 1 ? 'differs' : 'differ'}, so every figure would differ by construction; ` +
      `make the candidate as the baseline was made (${b.replay}) or make a new baseline as the candidate was (${c.replay})`,
  )
}

/** The run's --duration, --rate and --vus as flags ('none'): they change the load, hence every figure. */
function loadFlags(result: RunResult): string {
  const { thresholds: _thresholds, ...load } = result.config.overrides ?? {}
  return overrideFlags(load) || 'none'
}

function thresholdFlags(result: RunResult): string {
  return overrideFlags({ thresholds: result.config.overrides?.thresholds ?? [] }) || 'none'
}

/** Why the runs' timing figures (latency, goodput) say nothing about the system, if they do not. */
function unmeasured(b: RunResult, c: RunResult): string | undefined {
  for (const [which, run] of [['baseline', b], ['candidate', c]] as const) {
    if (run.stoppedBy !== undefined) return `the ${which} stopped before its end (${run.stoppedBy.detail})`
    const timing = run.checks.find((check) => check.status === 'inconclusive' && (check.kind === 'threshold' || check.name === 'goodput' || check.name === 'steady-state'))
    if (timing !== undefined) return `the ${which}'s timing checks are inconclusive (${timing.name}: the harness could not drive the load)`
  }
  return undefined
}

/**
 * Differences that leave the runs comparable. A different seed redraws who does what and when in
 * a world of the same size, load and capacity: its figures differ by sampling noise only, and
 * comparing seeds is how a team checks that a result is not a lucky draw (limits should sit above
 * that noise). A different strategy, for a program comparing two designs, is the point.
 */
function notes(b: RunResult, c: RunResult): string[] {
  const out: string[] = []
  const differ = (what: string, x: string | number, y: string | number): void => {
    if (x !== y) out.push(`${what} differs: baseline ${x}, candidate ${y}`)
  }
  differ('strategy', b.strategy.name, c.strategy.name)
  differ('seed', b.seed, c.seed)
  differ('likestorm version', b.tool.version, c.tool.version)
  // Thresholds judge the figures without changing them: a threshold one run has shows as its own row.
  differ('--threshold flags', thresholdFlags(b), thresholdFlags(c))
  if (b.stoppedBy !== undefined) out.push(`the baseline stopped before its end (${b.stoppedBy.detail}): its checks judged a partial run`)
  if (c.stoppedBy !== undefined) out.push(`the candidate stopped before its end (${c.stoppedBy.detail}): its checks judged a partial run`)
  return out
}

type Add = (row: ComparisonRow, regression?: string) => void
const MARK: Readonly<Record<CheckOutcome['status'], string>> = { pass: '✓ pass', fail: '✗ FAIL', inconclusive: '? inconclusive', 'not-applicable': '– n/a' }
const mark = (check: CheckOutcome | undefined): string => (check === undefined ? '–' : MARK[check.status])

function compareChecks(b: RunResult, c: RunResult, add: Add): void {
  const names = [...b.checks.map((check) => check.name), ...c.checks.map((check) => check.name).filter((name) => !b.checks.some((check) => check.name === name))]
  for (const name of names) {
    const before = b.checks.find((check) => check.name === name)
    const after = c.checks.find((check) => check.name === name)
    const row = { group: 'check' as const, metric: `check ${name}`, baseline: mark(before), candidate: mark(after), limit: 'must not newly fail' }
    const failedBefore = before?.status === 'fail'
    if (after === undefined) {
      // A gate that silently stops checking something is a regression until the baseline is updated.
      add({ ...row, change: 'no longer runs', status: 'regression' }, `check ${name} ran in the baseline but not in the candidate`)
    } else if (after.status === 'fail' && !failedBefore) {
      add({ ...row, change: before === undefined ? 'new, fails' : 'newly fails', status: 'regression' }, `check ${name} newly fails: ${after.observed}`)
    } else if (after.status === 'fail') {
      add({ ...row, change: 'still fails', status: 'worse' })
    } else if (after.status === 'inconclusive') {
      // Not a regression (nothing failed), not a pass either: the candidate could not be judged here.
      add({ ...row, change: 'not judged', status: 'worse' })
    } else if (failedBefore) {
      add({ ...row, change: 'fixed', status: 'improved' })
    } else {
      add({ ...row, change: before === undefined ? 'new' : '', status: 'same' })
    }
  }
}

/** Percent change from a to b, or null when a is missing or zero. */
function changePct(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || Math.abs(a) < EPSILON) return null
  return (100 * (b - a)) / a
}

function compareLatency(b: RunResult, c: RunResult, limits: CompareLimits, add: Add, judged: boolean): void {
  const gated = (metric: string, before: number | null | undefined, after: number | null | undefined): void => {
    const change = changePct(before, after)
    const status: RowStatus = change === null || !judged ? 'info' : change > limits.maxP99IncreasePct + EPSILON ? 'regression' : change < -EPSILON ? 'improved' : change > EPSILON ? 'worse' : 'same'
    add(
      { group: 'latency', metric, baseline: formatMs(before), candidate: formatMs(after), change: formatChangePct(change), limit: judged ? `≤ +${limits.maxP99IncreasePct}%` : 'not judged', status },
      `${metric} rose ${formatChangePct(change)} (${formatMs(before)} → ${formatMs(after)}), more than the allowed +${limits.maxP99IncreasePct}%`,
    )
  }
  const info = (metric: string, before: number | null, after: number | null): void => {
    const change = changePct(before, after)
    add({ group: 'latency', metric, baseline: formatMs(before), candidate: formatMs(after), change: formatChangePct(change), limit: '', status: 'info' })
  }
  info('latency p50', b.metrics.latencyMs.p50Ms, c.metrics.latencyMs.p50Ms)
  gated('latency p99', b.metrics.latencyMs.p99Ms, c.metrics.latencyMs.p99Ms)
  type Open = { readonly openModelLatencyMs?: RunResult['metrics']['latencyMs'] }
  const openB = (b.metrics as RunResult['metrics'] & Open).openModelLatencyMs
  const openC = (c.metrics as RunResult['metrics'] & Open).openModelLatencyMs
  if (openB !== undefined && openC !== undefined) gated('latency p99 (open model)', openB.p99Ms, openC.p99Ms)
}

function compareGoodput(b: RunResult, c: RunResult, limits: CompareLimits, add: Add, judged: boolean): void {
  const before = b.checks.find((check) => check.name === 'goodput')?.values['goodputRps']
  const after = c.checks.find((check) => check.name === 'goodput')?.values['goodputRps']
  if (before === undefined && after === undefined) return
  const rps = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${formatCount(v)} req/s`)
  const change = changePct(before, after)
  const dropPct = change === null ? null : -change
  const status: RowStatus = dropPct === null || !judged ? 'info' : dropPct > limits.maxGoodputDropPct + EPSILON ? 'regression' : dropPct < -EPSILON ? 'improved' : dropPct > EPSILON ? 'worse' : 'same'
  add(
    { group: 'goodput', metric: 'goodput in overload', baseline: rps(before), candidate: rps(after), change: formatChangePct(change), limit: judged ? `≥ −${limits.maxGoodputDropPct}%` : 'not judged', status },
    `goodput dropped ${formatChangePct(change)} (${rps(before)} → ${rps(after)}), more than the allowed −${limits.maxGoodputDropPct}%`,
  )
}

function compareDetection(b: RunResult, c: RunResult, limits: CompareLimits, add: Add, judged: boolean): void {
  const before = b.detection
  const after = c.detection
  if (before === null || after === null) {
    if (before !== after) add({ group: 'detection', metric: 'detection', baseline: before === null ? 'none' : 'measured', candidate: after === null ? 'none' : 'measured', change: '', limit: '', status: 'info' })
    return
  }
  const kinds = [...new Set([...Object.keys(before.byFarmKind), ...Object.keys(after.byFarmKind)])]
  const pairs: [string, { precision: number | null; recall: number | null } | undefined, { precision: number | null; recall: number | null } | undefined][] = kinds.map((kind) => [
    kind,
    (before.byFarmKind as Readonly<Record<string, { precision: number | null; recall: number | null }>>)[kind],
    (after.byFarmKind as Readonly<Record<string, { precision: number | null; recall: number | null }>>)[kind],
  ])
  if (before.inactivePurges > 0 || after.inactivePurges > 0) pairs.push(['inactive', before.inactive, after.inactive])
  for (const [kind, qb, qa] of pairs) {
    for (const measure of ['precision', 'recall'] as const) {
      const x = qb?.[measure] ?? null
      const y = qa?.[measure] ?? null
      const changePts = x === null || y === null ? null : 100 * (y - x)
      const status: RowStatus = changePts === null || !judged ? 'info' : -changePts > limits.maxDetectionDropPts + EPSILON ? 'regression' : changePts > EPSILON ? 'improved' : changePts < -EPSILON ? 'worse' : 'same'
      const metric = `${kind} ${measure}`
      add(
        { group: 'detection', metric, baseline: formatRatio(x), candidate: formatRatio(y), change: formatChangePts(changePts), limit: judged ? `≥ −${limits.maxDetectionDropPts} pt` : 'not judged', status },
        `${metric} dropped ${formatChangePts(changePts)} (${formatRatio(x)} → ${formatRatio(y)}), more than the allowed −${limits.maxDetectionDropPts} pt`,
      )
    }
  }
  add({
    group: 'detection',
    metric: 'genuine likes removed',
    baseline: formatShare(before.genuineLikesRemovedRatio, 2),
    candidate: formatShare(after.genuineLikesRemovedRatio, 2),
    change: before.genuineLikesRemovedRatio === null || after.genuineLikesRemovedRatio === null ? 'n/a' : formatChangePts(100 * (after.genuineLikesRemovedRatio - before.genuineLikesRemovedRatio)),
    limit: '',
    status: 'info',
  })
}

function compareVolume(b: RunResult, c: RunResult, add: Add): void {
  const count = (metric: string, x: number, y: number): void =>
    add({ group: 'volume', metric, baseline: formatCount(x), candidate: formatCount(y), change: formatChangePct(changePct(x, y)), limit: '', status: 'info' })
  count('operations', b.metrics.operations, c.metrics.operations)
  count('shed (503)', shedCount(b), shedCount(c))
  count('timed out', b.metrics.indeterminate, c.metrics.indeterminate)
  count('stale reads', b.metrics.staleReads, c.metrics.staleReads)
  count('reads showing 0 likes', b.metrics.zeroLikeReads, c.metrics.zeroLikeReads)
}
