// The HTML report as a string (pure): verdict and replay at the top, one chart per series group with
// the fault windows, every text escaped, nothing that could fetch from the network, series capped.
import { describe, expect, it } from 'vitest'
import { buildChartModel, wrongZeroReads } from '../../reports/chart-data.ts'
import { downsample, downsampleFactor, MAX_CHART_POINTS } from '../../reports/downsample.ts'
import { escapeHtml, jsonForScript } from '../../reports/escape.ts'
import { renderHtmlIndex } from '../../reports/html-index.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { loadReportAssets } from '../../reports/report-assets.ts'
import type { RunResult } from '../../result/result.ts'
import { mutable, smallResult } from './fixtures.ts'
import { synthesizeLargeResult } from './large-result.ts'

const assets = loadReportAssets()

/** Every way a page could reach outside itself: external scripts, styles, images, frames, fonts, imports. */
function externalReferences(html: string): string[] {
  const patterns = [/<script[^>]+src=/gi, /<link(?![^>]*href="data:)[^>]*>/gi, /<img[^>]+src="(?!data:)/gi, /<iframe/gi, /@import/gi, /url\((?!data:)/gi, /<base /gi]
  return patterns.flatMap((pattern) => html.match(pattern) ?? [])
}

describe('the top of the report', () => {
  const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
  const html = renderHtmlReport(naive, assets)

  it('shows the verdict, the run, whether it matched its expectation and the replay command', () => {
    expect(html).toContain('data-verdict="FAIL"')
    expect(html).toContain('<title>FAIL · overload-virginia · naive · LikeStorm</title>')
    expect(html).toContain('strategy <b>naive</b>')
    expect(html).toContain(`seed <b>${naive.seed}</b>`)
    expect(html).toContain('As expected for naive: fails')
    expect(html).toContain(`<code id="replay-command">${escapeHtml(naive.replay)}</code>`)
    expect(html.indexOf('replay-command')).toBeLessThan(html.indexOf('id="charts"'))
  })

  it('says so when a run did not match its expectation', () => {
    const r = mutable(smallResult('baseline'))
    r.expectation = { failing: ['never-zero'], matched: false }
    expect(renderHtmlReport(r as unknown as RunResult, assets)).toContain('NOT as expected for robust: the scenario expects it fails never-zero, this run passed every check.')
  })

  it('has a checks table with observed and expected, failing checks open, examples that mark their moment', () => {
    for (const check of naive.checks) {
      expect(html).toContain(`data-check="${escapeHtml(check.name)}"`)
      expect(html).toContain(escapeHtml(check.observed))
      expect(html).toContain(escapeHtml(check.expected))
    }
    expect(html).toMatch(/<details class="check fail" data-check="never-zero" open>/)
    expect(html).toMatch(/<button type="button" data-action="show-example" data-at-s="[\d.]+"/)
  })

  it('has metrics by operation kind and errors by code', () => {
    expect(html).toContain('id="by-kind"')
    for (const kind of Object.keys(naive.metrics.byKind)) expect(html).toContain(`<td>${kind}</td>`)
    for (const code of Object.keys(naive.metrics.errors)) expect(html).toContain(`<code>${code}</code>`)
  })
})

describe('the charts', () => {
  it('cover rates, latency, errors, each hot video, stale reads and lag on one time axis with the fault windows', () => {
    const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
    const model = buildChartModel(naive)
    const ids = model.charts.map((c) => c.id)
    expect(ids.slice(0, 3)).toEqual(['rate', 'latency', 'errors'])
    expect(ids.filter((id) => id.startsWith('hot-'))).toHaveLength(naive.timeseries.hotVideos.length)
    expect(ids).toEqual(expect.arrayContaining(['reads', 'lag']))
    expect(model.xS).toHaveLength(naive.timeseries.tMs.length)
    for (const chart of model.charts) for (const series of chart.series) expect(series.values).toHaveLength(model.xS.length)
    expect(model.windows).toEqual([{ label: 'overload us-east x3.5 [30s-100s]', kind: 'overload', startS: 30, endS: 100, skipped: false }])
    const html = renderHtmlReport(naive, assets)
    for (const id of ids) expect(html).toContain(`data-chart="${id}"`)
  })

  it('show the 2020 zero-likes symptom on a hot video: zeros while likes stood', () => {
    const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
    const robust = smallResult('overload-virginia', { scale: 0.3 })
    const wrong = (r: RunResult): number => r.timeseries.hotVideos.reduce((sum, video) => sum + wrongZeroReads(video).reduce((a, b) => a + b, 0), 0)
    expect(wrong(naive)).toBeGreaterThan(0)
    expect(wrong(robust)).toBe(0)
  })

  it('add a detection chart and purge markers when the run purged accounts', () => {
    const purge = smallResult('bot-purge')
    const model = buildChartModel(purge)
    expect(model.charts.map((c) => c.id)).toContain('purges')
    expect(model.markers).toHaveLength(1)
    expect(model.markers[0]?.label).toMatch(/^bot purge: [\d,]+ accounts, [\d,]+ likes$/)
    const html = renderHtmlReport(purge, assets)
    expect(html).toContain('id="confusion"')
    expect(html).toContain('id="detection-quality"')
    expect(html).toMatch(/<table class="data" id="detection-farms">.*<td>careless-0<\/td><td>careless<\/td>/)
  })

  it('plot open-model latency when a result has it, and do without it otherwise', () => {
    const base = smallResult('baseline')
    expect(buildChartModel(base).charts.find((c) => c.id === 'latency')?.series.map((s) => s.label)).toEqual(['p50', 'p95', 'p99'])
    const http = mutable(base) as unknown as RunResult & { timeseries: Record<string, unknown> }
    ;(http.timeseries as unknown as Record<string, unknown>)['openModelLatencyP99Ms'] = base.timeseries.latencyP99Ms.map((v) => (v === null ? null : v * 2))
    const labels = buildChartModel(http).charts.find((c) => c.id === 'latency')?.series.map((s) => s.label)
    expect(labels).toEqual(['p50', 'p95', 'p99', 'p99 open model'])
  })

  it('are downsampled to at most 600 points whatever the result holds', () => {
    const long = synthesizeLargeResult(smallResult('baseline'), { points: 6000 })
    const model = buildChartModel(long)
    expect(model.xS.length).toBeLessThanOrEqual(MAX_CHART_POINTS)
    for (const chart of model.charts) for (const series of chart.series) expect(series.values.length).toBe(model.xS.length)
    expect(renderHtmlReport(long, assets).length).toBeLessThan(2_000_000)
  })
})

describe('downsampling', () => {
  it('averages rates, adds counts, keeps the worst latency and skips gaps', () => {
    expect(downsampleFactor(600)).toBe(1)
    expect(downsampleFactor(601)).toBe(2)
    expect(downsample([1, 3, 5, 7, 9], 2, 'mean')).toEqual([2, 6, 9])
    expect(downsample([1, 3, 5, 7, 9], 2, 'sum')).toEqual([4, 12, 9])
    expect(downsample([1, null, null, null, 4], 2, 'max')).toEqual([1, null, 4])
    expect(downsample([5, 1, 2], 3, 'min')).toEqual([1])
    expect(downsample([5, 1, 2], 3, 'last')).toEqual([2])
  })
})

describe('escaping', () => {
  const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" \'apostrophes\''

  it('renders hostile ids and messages as text, never markup, in the page and in the chart data', () => {
    const r = mutable(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }))
    r.scenario.title = hostile
    r.strategy.description = hostile
    r.checks[0]!.observed = hostile
    r.checks[0]!.examples = [{ message: hostile, videoId: hostile, atMs: 1000 }]
    r.timeseries.hotVideos[0]!.videoId = hostile
    r.faults[0]!.description = hostile
    const html = renderHtmlReport(r as unknown as RunResult, assets)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    // Exactly the scripts we put there: the chart data, uPlot, ours.
    expect(html.match(/<script[ >]/g)).toHaveLength(3)
    expect(html.match(/<\/script>/g)).toHaveLength(3)
    expect(jsonForScript({ text: hostile })).not.toMatch(/[<>&]/)
    expect(JSON.parse(jsonForScript({ text: hostile }))).toEqual({ text: hostile })
  })
})

describe('self-contained', () => {
  it('inlines every script and style and forbids all fetches with a Content-Security-Policy', () => {
    const html = renderHtmlReport(smallResult('bot-purge'), assets)
    expect(externalReferences(html)).toEqual([])
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`)
    expect(html).toContain('var uPlot=function()')
    expect(html).toContain('.uplot')
  })

  it('has an index page listing each run with its verdict and links', () => {
    const runs = [smallResult('baseline'), smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })]
    const html = renderHtmlIndex(
      runs.map((result, i) => ({ result, htmlHref: `run-${i}/report.html`, markdownHref: `run-${i}/summary.md` })),
      assets,
    )
    expect(externalReferences(html)).toEqual([])
    expect(html).toContain('2 run(s): 1 passed, 1 failed; every run with an expectation matched it.')
    expect(html).toContain('<a href="run-1/report.html">overload-virginia</a>')
    expect(html).toContain('<td class="verdict fail">FAIL</td>')
  })
})
