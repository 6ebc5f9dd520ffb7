// The index page over several runs (pure): each run's row says how it was driven (its mode and
// scale, and in mode http the time scale) next to its verdict, so a tour's http leg and its sim
// run of the same scenario read apart.
import { describe, expect, it } from 'vitest'
import { renderHtmlIndex, scaleCell } from '../../reports/html-index.ts'
import { loadReportAssets } from '../../reports/report-assets.ts'
import type { RunResult } from '../../result/result.ts'
import { mutable, smallResult } from './fixtures.ts'

/** A result as mode http would write it, driven at `timeScale` (the figures are the sim run's). */
function asHttp(result: RunResult, timeScale: number): RunResult {
  const http = mutable(result)
  http.mode = 'http'
  http.config.http = { target: 'embedded', timeScale, connections: 64, wallMs: 1000, droppedIterations: 0, peakVus: 1, skippedFaults: [] }
  return http as unknown as RunResult
}

/** The table's header cells, and each row's cells as text (tags stripped). */
function table(html: string): { header: string[]; rows: string[][] } {
  const cells = (row: string, tag: string): string[] => [...row.matchAll(new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`, 'g'))].map((m) => (m[1] as string).replace(/<div.*?<\/div>/g, '').replace(/<[^>]+>/g, ''))
  const thead = /<thead>(.*?)<\/thead>/s.exec(html)?.[1] ?? ''
  const tbody = /<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? ''
  return { header: cells(thead, 'th'), rows: tbody.split('\n').filter((row) => row.startsWith('<tr>')).map((row) => cells(row, 'td')) }
}

describe('the index page', () => {
  const sim = smallResult('baseline', { scale: 0.25 })
  const http = asHttp(smallResult('baseline', { scale: 0.2 }), 0.5)
  const html = renderHtmlIndex(
    [sim, http].map((result, i) => ({ result, htmlHref: `run-${i}/report.html` })),
    loadReportAssets(),
  )

  it("shows each run's mode and scale, and the time scale of a mode http run", () => {
    const { header, rows } = table(html)
    const column = (name: string): number => header.indexOf(name)
    expect(column('mode')).toBeGreaterThan(column('scenario'))
    expect(column('scale')).toBeGreaterThan(column('mode'))
    expect(rows).toHaveLength(2)
    expect(rows.map((row) => row[column('mode')])).toEqual(['sim', 'http'])
    expect(rows.map((row) => row[column('scale')])).toEqual(['0.25', '0.2 · time 0.5'])
    // The verdict and scenario still lead each row.
    expect(rows.map((row) => row[column('scenario')])).toEqual(['baseline', 'baseline'])
  })

  it('names a time scale only where the run was driven in wall time', () => {
    expect(scaleCell(sim)).toBe('0.25')
    expect(scaleCell({ ...sim, scale: 1 })).toBe('1')
    expect(scaleCell(http)).toBe('0.2 · time 0.5')
  })
})
