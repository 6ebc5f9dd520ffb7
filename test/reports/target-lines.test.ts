// After a run against a --target, the summary says in one line what the target offered (and then
// how that was found out), so a not-applicable check's reason is visible where the verdict is.
import { describe, expect, it } from 'vitest'
import { renderTargetSummary } from '../../cli/commands/run-http.ts'
import { LINE_WIDTH } from '../../cli/fold.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { renderMarkdownReport } from '../../reports/markdown-report.ts'
import { loadReportAssets } from '../../reports/report-assets.ts'
import { targetLines } from '../../reports/target-lines.ts'
import { mutable, smallResult } from './fixtures.ts'
import type { RunResult, TargetCapabilityRecord } from '../../result/result.ts'

const resultWith = (capabilities: TargetCapabilityRecord | undefined, http: Record<string, unknown> = {}): RunResult => ({ config: { http: { capabilities, ...http } } }) as unknown as RunResult

const PROBED: TargetCapabilityRecord = {
  source: 'probed',
  regions: { 'us-east': 'http://127.0.0.1:8080' },
  distinctRegions: 1,
  likedLists: false,
  likeStates: 'read-backs',
  notifications: false,
  world: 'none',
  staleness: 'asOf',
  admin: 'none',
  clock: { by: 'asOf', uncertaintyWallMs: 1.234 },
  notes: ['no capabilities document at http://127.0.0.1:8080/.well-known/likestorm.json (answered 404): probed what a few reads show, assumed the minimum for the rest'],
}

describe('the summary\'s target lines', () => {
  it('say what a --target offered, then the notes', () => {
    expect(targetLines(resultWith(PROBED))).toEqual([
      'probed (no capabilities document): 1 region, like states read back pair by pair, answers carry asOfMs, clock calibrated by asOf to ±1.2 ms, ids on first use, no notifications, no admin API',
      PROBED.notes[0],
    ])
    expect(targetLines(resultWith({ ...PROBED, source: 'document', distinctRegions: 4, likeStates: 'lists', staleness: 'none', clock: { by: 'none', uncertaintyWallMs: null }, world: 'loaded', notifications: true, notes: [] }))).toEqual([
      'its capabilities document: 4 regions, like states from liked lists, answers carry no asOfMs, clock not calibrated, holds the world, notifications, no admin API',
    ])
  })

  it('say when the like states were read back on a sample of the pairs, and of how many', () => {
    expect(targetLines(resultWith({ ...PROBED, likeStatesSample: { read: 50_000, of: 120_000 }, notes: [] }))[0]).toContain('like states read back pair by pair on a random sample of 50000 of the 120000 pairs touched,')
  })

  it('say how the run reached it: an adapter, the fault route, and what was found before the traffic', () => {
    const state = { fresh: false, action: 'reset', detail: '3 of 32 sampled videos had likes or views a fresh world has not' } as const
    expect(targetLines(resultWith({ ...PROBED, notes: [], state }, { adapter: './reactions.adapter.ts', faults: 'proxy' }))[1]).toBe(
      "through the adapter ./reactions.adapter.ts; faults through LikeStorm's fault proxy; reset through its admin API: 3 of 32 sampled videos had likes or views a fresh world has not",
    )
    expect(targetLines(resultWith({ ...PROBED, notes: [], state: { fresh: true, action: 'none', detail: '' } }, { faults: 'admin' }))[1]).toBe('faults through its admin API; fresh')
  })

  it('are absent for the embedded server and for results without capabilities', () => {
    expect(targetLines(resultWith({ ...PROBED, source: 'embedded' }))).toEqual([])
    expect(targetLines(resultWith(undefined))).toEqual([])
  })

  it('are in the HTML report and the Markdown summary too', () => {
    const run = mutable(smallResult('baseline'))
    run.mode = 'http'
    run.config.http = { target: 'http://127.0.0.1:9000', timeScale: 1, connections: 64, wallMs: 1, droppedIterations: 0, peakVus: 1, skippedFaults: [], capabilities: { ...PROBED, notes: [...PROBED.notes] }, faults: 'proxy' }
    const result = run as unknown as RunResult
    const [offered, how] = targetLines(result)
    const html = renderHtmlReport(result, loadReportAssets())
    expect(html).toContain(`Target (http://127.0.0.1:9000): ${offered}<br>${how?.replace("'", '&#39;')}`)
    expect(renderMarkdownReport(result)).toContain(`**Target:** ${offered} (${how})`)
  })
})

describe('what a run against a --target prints after its summary', () => {
  it('is the skipped faults and the target lines, within the width when brief, whole otherwise', () => {
    const result = { config: { http: { capabilities: { ...PROBED, notes: [...PROBED.notes] }, faults: 'admin' } } } as unknown as RunResult
    const skipped = ['takedown [3s-6s]: the target has no admin API']
    const brief = renderTargetSummary(result, skipped, { brief: true })
    for (const line of brief.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH)
    expect(brief.startsWith(`  skipped: ${skipped[0]}\n  target: probed`)).toBe(true)
    const full = renderTargetSummary(result, skipped, { brief: false })
    expect(full.trimEnd().split('\n')).toEqual([`  skipped: ${skipped[0]}`, ...targetLines(result).map((line) => `  target: ${line}`)])
    expect(brief.replaceAll(/\n +/g, ' ')).toBe(full.replaceAll(/\n +/g, ' '))
  })
})
