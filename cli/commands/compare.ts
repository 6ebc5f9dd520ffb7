// likestorm compare <baseline.json> <candidate.json> [--max-p99-increase P] [--max-goodput-drop P]
// [--max-detection-drop P] [--md]: a table of what changed; exit 1 on a regression beyond the
// limits, 3 when none was found but something could not be judged, 2 (one line,
// LS_COMPARE_MISMATCH) for runs made differently (scenario, scale, mode, time scale, strategy).
import { compareResults, DEFAULT_COMPARE_LIMITS, type CompareLimits } from '../../reports/compare.ts'
import { renderComparisonMarkdown, renderComparisonTable } from '../../reports/comparison-text.ts'
import { ResultError } from '../../result/result-error.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { parseFlags, type FlagSpec, type FlagValue } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { loadResult } from './report.ts'

export const COMPARE_FLAGS = {
  'max-p99-increase': { type: 'string', value: 'P', help: 'allowed rise of overall p99 latency, percent: 10% or 10 (default 10%)' },
  'max-goodput-drop': { type: 'string', value: 'P', help: 'allowed drop of goodput during overload, percent (default 2%)' },
  'max-detection-drop': { type: 'string', value: 'P', help: 'allowed drop of detection precision/recall per farm kind, points (default 1)' },
  md: { type: 'boolean', help: 'print Markdown (pull request, $GITHUB_STEP_SUMMARY)' },
} as const satisfies FlagSpec

/** A percentage flag: `10%` or `10`, from 0 to `max`. */
export function percentFlag(value: FlagValue, flag: string, { max, fallback }: { max: number; fallback: number }): number {
  if (value === undefined) return fallback
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value) : null
  const n = match === null ? Number.NaN : Number(match[1])
  if (!(n >= 0 && n <= max)) throw new UsageError('LS_BAD_FLAG', `${flag} must be a percentage from 0 to ${max}, like 10% or 10, got ${JSON.stringify(value)}`)
  return n
}

export function parseCompareLimits(values: Record<string, FlagValue>): CompareLimits {
  return {
    maxP99IncreasePct: percentFlag(values['max-p99-increase'], '--max-p99-increase', { max: 10_000, fallback: DEFAULT_COMPARE_LIMITS.maxP99IncreasePct }),
    maxGoodputDropPct: percentFlag(values['max-goodput-drop'], '--max-goodput-drop', { max: 100, fallback: DEFAULT_COMPARE_LIMITS.maxGoodputDropPct }),
    maxDetectionDropPts: percentFlag(values['max-detection-drop'], '--max-detection-drop', { max: 100, fallback: DEFAULT_COMPARE_LIMITS.maxDetectionDropPts }),
  }
}

export function compareCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number {
  const { values, positionals } = parseFlags(argv, COMPARE_FLAGS, 'compare')
  if (positionals.length !== 2) throw new UsageError('LS_BAD_USAGE', `likestorm compare: name a baseline and a candidate result.json, got ${positionals.length} file(s)`)
  const limits = parseCompareLimits(values)
  const [baselinePath, candidatePath] = positionals as [string, string]
  const baseline = loadResult(baselinePath)
  const candidate = loadResult(candidatePath)
  let comparison
  try {
    comparison = compareResults(baseline, candidate, limits, { strategies: 'same' })
  } catch (error) {
    if (error instanceof ResultError) throw new UsageError(error.code, error.message)
    throw error
  }
  io.out.write(values.md === true ? renderComparisonMarkdown(comparison) : `${renderComparisonTable(comparison, { baselinePath, candidatePath })}\n`)
  return { pass: EXIT.OK, regression: EXIT.CHECK_FAILED, inconclusive: EXIT.INCONCLUSIVE }[comparison.verdict]
}
