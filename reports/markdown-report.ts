// A short Markdown summary of a run, fit for a pull-request comment or $GITHUB_STEP_SUMMARY
// (pure): verdict, checks table, key figures, replay command, link to the HTML report.
import { overrideFlags } from '../result/overrides.ts'
import type { RunResult } from '../result/result.ts'
import { escapeMarkdownCell, markdownCode } from './escape.ts'
import { formatCount, formatMs, formatRatio, formatShare } from './format.ts'
import { shedCount } from './key-figures.ts'
import { STATUS_EMOJI, VERDICT_EMOJI } from './check-status.ts'
import { describeTarget } from './target-lines.ts'
import { curveTable } from './detection-curve.ts'
import { verdictOf } from './verdict.ts'

/** Longest text in a table cell: PR comments stay readable; the HTML report has the full text. */
const CELL_CHARS_MAX = 180

function cell(text: string): string {
  const short = text.length > CELL_CHARS_MAX ? `${text.slice(0, CELL_CHARS_MAX - 1)}…` : text
  return escapeMarkdownCell(short)
}

function heading(result: RunResult): string {
  const verdict = verdictOf(result)
  return `${VERDICT_EMOJI[verdict.verdict]} ${verdict.label} · ${result.scenario.name} · ${result.strategy.name} · seed ${result.seed}`
}

export function renderMarkdownReport(result: RunResult, { htmlHref = 'report.html' }: { htmlHref?: string } = {}): string {
  const verdict = verdictOf(result)
  const m = result.metrics
  const lines: string[] = [`### ${escapeMarkdownCell(heading(result))}`, '']
  const flags = overrideFlags(result.config.overrides)
  const about = `${escapeMarkdownCell(result.scenario.title)} · mode ${result.mode} · scale ${result.scale} · ${result.config.durationS} s${flags === '' ? '' : ` · ${markdownCode(flags)}`}`
  const expectation = verdict.matched === null ? '' : verdict.matched ? ` · ${escapeMarkdownCell(verdict.expectation)}` : ` · ⚠️ **${escapeMarkdownCell(verdict.expectation)}**`
  lines.push(`${about}${expectation}`, '')
  const target = describeTarget(result)
  if (target !== undefined) lines.push(`**Target:** ${escapeMarkdownCell(target.offered)}${target.how === '' ? '' : ` (${escapeMarkdownCell(target.how)})`}`, '')
  if (result.interrupted) lines.push(`⚠️ **Stopped early:** ${escapeMarkdownCell(result.stoppedBy?.detail ?? 'the run did not reach its end')}; checks judged what ran.`, '')
  if (verdict.inconclusiveChecks.length > 0) lines.push(`❔ **Inconclusive:** the harness could not judge ${escapeMarkdownCell(verdict.inconclusiveChecks.join(', '))}; each check says why.`, '')
  lines.push('| | check | observed | expected |', '| :-: | --- | --- | --- |')
  for (const check of result.checks) lines.push(`| ${STATUS_EMOJI[check.status]} | ${cell(check.name)} | ${cell(check.observed)} | ${cell(check.expected)} |`)
  lines.push('')
  const shed = shedCount(result)
  const figures = [
    `${formatCount(m.operations)} operations`,
    `p99 ${formatMs(m.latencyMs.p99Ms)}`,
    `${formatCount(shed)} shed (${formatShare(m.attempts > 0 ? shed / m.attempts : null)} of attempts)`,
    `${formatCount(m.indeterminate)} timed out`,
    `${formatCount(m.staleReads)} stale reads`,
    `${formatCount(m.zeroLikeReads)} reads showing 0 likes`,
  ]
  const goodput = result.checks.find((c) => c.name === 'goodput')?.values['goodputRps']
  if (goodput !== undefined && goodput !== null) figures.push(`goodput ${formatCount(goodput)} req/s in overload`)
  lines.push(`**Key figures:** ${figures.join(' · ')}`)
  const d = result.detection
  if (d !== null) {
    const kinds = Object.entries(d.byFarmKind).map(([kind, q]) => `${kind} P ${formatRatio(q.precision)} R ${formatRatio(q.recall)}`)
    lines.push(`**Detection:** ${kinds.join(' · ')} · ${formatCount(d.genuineAccountsPurged)} genuine accounts purged · genuine likes removed ${formatShare(d.genuineLikesRemovedRatio, 2)}`)
    lines.push(...detectorMarkdown(d))
    lines.push(...farmsMarkdown(d))
  }
  lines.push('', `Replay: ${markdownCode(result.replay)} · [HTML report](${encodeURI(htmlHref)})`, '')
  return lines.join('\n')
}

export interface MarkdownIndexEntry {
  readonly result: RunResult
  /** Relative link to the run's HTML report. */
  readonly htmlHref: string
}

/** Several runs in one table (the index of a tour or of `likestorm run` with several scenarios). */
export function renderMarkdownIndex(entries: readonly MarkdownIndexEntry[], { indexHref = 'index.html' }: { indexHref?: string } = {}): string {
  const failed = entries.filter((entry) => entry.result.verdict === 'fail').length
  const inconclusive = entries.filter((entry) => entry.result.verdict === 'inconclusive').length
  const unexpected = entries.filter((entry) => verdictOf(entry.result).matched === false).length
  const mark = failed > 0 ? '❌' : inconclusive > 0 ? '❔' : '✅'
  const lines = [
    `### ${mark} LikeStorm: ${entries.length} run(s), ${failed} failed${inconclusive > 0 ? `, ${inconclusive} inconclusive` : ''}${unexpected > 0 ? `, ⚠️ ${unexpected} not as expected` : ''}`,
    '',
    '| | scenario | strategy | seed | failed checks | as expected | report |',
    '| :-: | --- | --- | --: | --- | :-: | --- |',
  ]
  for (const { result, htmlHref } of entries) {
    const verdict = verdictOf(result)
    const expected = verdict.matched === null ? '–' : verdict.matched ? 'yes' : '⚠️ no'
    lines.push(
      `| ${VERDICT_EMOJI[verdict.verdict]} | ${cell(result.scenario.name)} | ${cell(result.strategy.name)} | ${result.seed} | ${cell(verdict.failedChecks.join(', ') || '–')} | ${expected} | [HTML](${encodeURI(htmlHref)}) |`,
    )
  }
  lines.push('', `[All runs](${encodeURI(indexHref)})`, '')
  return lines.join('\n')
}

/** Each farm's recall and cost (results written since farm traits); at most as many rows as farms. */
function farmsMarkdown(d: NonNullable<RunResult['detection']>): string[] {
  const farms = d.byFarm ?? []
  if (farms.length === 0) return []
  const rows = farms.map((f) => `| ${f.label.replaceAll('|', '\\|')} | ${f.kind} | ${f.traits.join(', ') || '—'} | ${formatCount(f.accounts)} | ${formatCount(f.purged)} | ${formatRatio(f.precision)} | ${formatRatio(f.recall)} | $${f.costUsd.toFixed(2)} |`)
  return ['', '| farm | kind | traits | accounts | purged | precision | recall | cost (assumed prices) |', '|---|---|---|---|---|---|---|---|', ...rows]
}

/** The detector's curve as a table, and the facts-only baseline beside it (results that carry them). */
function detectorMarkdown(d: NonNullable<RunResult['detection']>): string[] {
  const curve = d.curve ?? null
  if (curve === null) return []
  const lines = [
    '',
    `**Detector ${curve.name}** (purges at score ≥ ${curve.purgeScoreMin}): recall ${formatRatio(curve.recallAtGenuineFpr.recall)} at ${formatShare(curve.recallAtGenuineFpr.genuineFpr)} genuine false positives, ${formatRatio(curve.recallAtPrecision.recall)} at precision ≥ ${curve.recallAtPrecision.precision}`,
  ]
  const baseline = d.baselines?.factsOnly ?? null
  if (baseline !== null) {
    lines.push(`**Facts-only baseline** (same events, score ≥ ${baseline.purgeScoreMin}): P ${formatRatio(baseline.precision)} R ${formatRatio(baseline.recall)} · recall ${formatRatio(baseline.recallAtPrecision.recall)} at precision ≥ ${baseline.recallAtPrecision.precision}`)
  }
  return [...lines, '', ...curveTable(curve)]
}
