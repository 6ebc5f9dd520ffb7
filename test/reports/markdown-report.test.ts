// The Markdown summary: short enough for a pull-request comment, verdict first, one row per check.
import { describe, expect, it } from 'vitest'
import { escapeMarkdownCell } from '../../reports/escape.ts'
import { renderMarkdownIndex, renderMarkdownReport } from '../../reports/markdown-report.ts'
import type { RunResult } from '../../result/result.ts'
import { mutable, smallResult } from './fixtures.ts'

describe('the Markdown summary of a run', () => {
  const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
  const md = renderMarkdownReport(naive, { htmlHref: 'report.html' })
  const lines = md.split('\n')

  it('opens with the verdict, the run and whether it matched its expectation', () => {
    expect(lines[0]).toBe('### ❌ FAIL · overload-virginia · naive · seed 7')
    expect(lines[2]).toContain('As expected for naive: fails')
  })

  it('has a checks table with ✅/❌, observed and expected, and stays under 60 lines', () => {
    for (const check of naive.checks) {
      const row = `| ${check.status === 'pass' ? '✅' : '❌'} | ${escapeMarkdownCell(check.name)} | `
      expect(lines.filter((line) => line.startsWith(row)), row).toHaveLength(1)
    }
    expect(lines.length).toBeLessThan(60)
    for (const line of lines.filter((l) => l.startsWith('| '))) expect(line.split(/(?<!\\)\|/)).toHaveLength(6)
  })

  it('gives the key figures, the replay command and a relative link to the HTML report', () => {
    expect(md).toMatch(/\*\*Key figures:\*\* [\d,]+ operations · p99 [\d.]+ (ms|s) · [\d,]+ shed \([\d.]+% of attempts\)/)
    expect(md).toContain('stale reads')
    expect(md).toContain(`Replay: \`${naive.replay}\` · [HTML report](report.html)`)
  })

  it('shows detection precision and recall per farm kind when the run purged', () => {
    const md = renderMarkdownReport(smallResult('bot-purge'))
    expect(md).toMatch(/\*\*Detection:\*\* careless P [\d.]+ R [\d.]+ · stealthy P [\d.]+ R [\d.]+/)
    // One row per farm, by label, with its cost.
    expect(md).toMatch(/^\| careless-0 \| careless \| — \| [\d,]+ \| [\d,]+ \| [\d.]+ \| [\d.]+ \| \$[\d.]+ \|$/m)
    expect(md).toMatch(/^\| stealthy-2 \| stealthy \| /m)
  })

  it('keeps pipes, markup and line breaks in messages from breaking the table', () => {
    const r = mutable(naive)
    r.checks[0]!.observed = 'a | b <b>bold</b>\nnext line'
    const row = renderMarkdownReport(r as unknown as RunResult).split('\n').find((l) => l.startsWith(`| ❌ | ${r.checks[0]!.name} |`)) as string
    expect(row).toContain('a \\| b \\<b\\>bold\\</b\\> next line')
  })
})

describe('the Markdown index of several runs', () => {
  it('lists each run with its verdict and a link to its report', () => {
    const md = renderMarkdownIndex([
      { result: smallResult('baseline'), htmlHref: 'baseline-robust/report.html' },
      { result: smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), htmlHref: 'overload-virginia-naive/report.html' },
    ])
    expect(md.split('\n')[0]).toBe('### ❌ LikeStorm: 2 run(s), 1 failed')
    expect(md).toContain('| ✅ | baseline | robust | 7 | – | yes | [HTML](baseline-robust/report.html) |')
    expect(md).toContain('[HTML](overload-virginia-naive/report.html)')
  })
})
