// A comparison as text (pure): an aligned table for the terminal, Markdown for a pull request.
import type { Comparison, ComparisonRow, RowStatus, RunLabel } from './compare.ts'
import { escapeMarkdownCell } from './escape.ts'

const STATUS_TEXT: Readonly<Record<RowStatus, string>> = { regression: '✗ REGRESSION', worse: 'worse', improved: 'better', same: 'ok', info: '' }
const STATUS_MD: Readonly<Record<RowStatus, string>> = { regression: '❌ regression', worse: 'worse', improved: '✅ better', same: 'ok', info: '' }

const VERDICT_MD: Readonly<Record<Comparison['verdict'], string>> = { pass: '✅', regression: '❌', inconclusive: '❔' }

function runLabel(run: RunLabel): string {
  return `${run.strategy} · seed ${run.seed}${run.scale === 1 ? '' : ` · scale ${run.scale}`}${run.mode === 'sim' ? '' : ` · mode ${run.mode}`} · ${run.passed ? 'PASS' : 'FAIL'}`
}

function verdictLine(c: Comparison): string {
  if (c.verdict === 'regression') return `REGRESSION: ${c.regressions.length} finding(s) beyond the limits`
  if (c.verdict === 'inconclusive') return `INCONCLUSIVE: no regression found, but ${c.unjudged.length} thing(s) could not be judged`
  return 'no regression'
}

export function renderComparisonTable(c: Comparison, { baselinePath, candidatePath }: { baselinePath?: string; candidatePath?: string } = {}): string {
  const header = ['metric', 'baseline', 'candidate', 'change', 'limit', '']
  const cells = c.rows.map((row: ComparisonRow) => [row.metric, row.baseline, row.candidate, row.change, row.limit, STATUS_TEXT[row.status]])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] as string).length)))
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()
  const lines = [
    `compare ${c.scenario}`,
    `  baseline:  ${runLabel(c.baseline)}${baselinePath === undefined ? '' : `  (${baselinePath})`}`,
    `  candidate: ${runLabel(c.candidate)}${candidatePath === undefined ? '' : `  (${candidatePath})`}`,
    ...c.notes.map((note) => `  note: ${note}`),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
  ]
  for (const regression of c.regressions) lines.push(`✗ ${regression.message}`)
  for (const what of c.unjudged) lines.push(`? ${what}`)
  lines.push(verdictLine(c))
  return lines.join('\n')
}

export function renderComparisonMarkdown(c: Comparison): string {
  const lines = [
    `### ${VERDICT_MD[c.verdict]} LikeStorm compare · ${escapeMarkdownCell(c.scenario)} · ${escapeMarkdownCell(verdictLine(c))}`,
    '',
    `Baseline: ${escapeMarkdownCell(runLabel(c.baseline))} · candidate: ${escapeMarkdownCell(runLabel(c.candidate))}`,
    ...c.notes.map((note) => `\n> ${escapeMarkdownCell(note)}`),
    '',
  ]
  if (c.regressions.length > 0 || c.unjudged.length > 0) {
    for (const regression of c.regressions) lines.push(`- ❌ ${escapeMarkdownCell(regression.message)}`)
    for (const what of c.unjudged) lines.push(`- ❔ ${escapeMarkdownCell(what)}`)
    lines.push('')
  }
  lines.push('| metric | baseline | candidate | change | limit | |', '| --- | --: | --: | --: | --- | --- |')
  for (const row of c.rows) {
    lines.push(`| ${[row.metric, row.baseline, row.candidate, row.change, row.limit, STATUS_MD[row.status]].map(escapeMarkdownCell).join(' | ')} |`)
  }
  lines.push('')
  return lines.join('\n')
}
