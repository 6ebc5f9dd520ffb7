// A 10-million-operation result renders in bounded time and size: series are downsampled, never
// dumped. The result stands for the largest the runner writes (600-point series, every check with
// 10 examples, 10 hot videos, 8 regions); `npm run bench:report` times a real large run.
import { statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { loadReportAssets } from '../../reports/report-assets.ts'
import { validateResult } from '../../result/result-schema.ts'
import { writeReports } from '../../reports/write-reports.ts'
import { smallResult, tempDir } from './fixtures.ts'
import { LARGE, synthesizeLargeResult } from './large-result.ts'

const RENDER_MS_MAX = 5000
const HTML_BYTES_MAX = 5 * 1024 * 1024

describe('a 10-million-operation result', () => {
  const large = synthesizeLargeResult(smallResult('bot-purge'))

  it('is a valid result of the largest size the runner writes', () => {
    expect(validateResult(large)).toEqual([])
    expect(large.metrics.operations).toBe(LARGE.operations)
    expect(large.timeseries.tMs).toHaveLength(LARGE.points)
    expect(large.checks.every((c) => c.examples.length === LARGE.examples)).toBe(true)
  })

  it(`renders to HTML in under ${RENDER_MS_MAX / 1000} s and ${HTML_BYTES_MAX / 1024 / 1024} MB, with every report written`, () => {
    loadReportAssets()
    const started = performance.now()
    const html = renderHtmlReport(large, loadReportAssets())
    const renderMs = performance.now() - started
    expect(renderMs).toBeLessThan(RENDER_MS_MAX)
    expect(Buffer.byteLength(html)).toBeLessThan(HTML_BYTES_MAX)
    const writeStarted = performance.now()
    const paths = writeReports(large, tempDir())
    expect(performance.now() - writeStarted).toBeLessThan(RENDER_MS_MAX)
    expect(statSync(paths.html).size).toBeLessThan(HTML_BYTES_MAX)
  })

  it('stays small when a result holds ten times the points a chart needs', () => {
    const html = renderHtmlReport(synthesizeLargeResult(smallResult('bot-purge'), { points: 6000 }), loadReportAssets())
    expect(Buffer.byteLength(html)).toBeLessThan(HTML_BYTES_MAX / 2)
  })
})
