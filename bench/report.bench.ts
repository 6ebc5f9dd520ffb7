// npm run bench:report — how long an HTML report takes to render and how big it is, for the largest
// result the runner writes. By default the result is synthesized at the runner's bounds (600-point
// series, every check with 10 examples, 10 hot videos, 8 regions) and says 10 million operations;
// LIKESTORM_BENCH_REAL=1 runs `baseline` for real at LIKESTORM_BENCH_SCALE (default 50, about ten
// million operations and minutes of CPU) and renders that. Reference in the same process:
// JSON.stringify of the same result, so the ratio says what rendering costs over serializing.
// Last line: {"bench":"report","source":…,"operations":…,"renderMs":…,"bytes":…,…}
import { serializeResult } from '../cli/write-result.ts'
import { renderHtmlReport } from '../reports/html-report.ts'
import { loadReportAssets } from '../reports/report-assets.ts'
import { scenarioByName } from '../scenarios/library/index.ts'
import type { RunResult } from '../result/result.ts'
import { runScenario } from '../scenarios/run/runner.ts'
import { synthesizeLargeResult } from '../test/reports/large-result.ts'

const REPEATS = 5
const real = process.env['LIKESTORM_BENCH_REAL'] === '1'
const scale = Number(process.env['LIKESTORM_BENCH_SCALE'] ?? 50)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function timeMs(repeats: number, work: () => unknown): number {
  const times: number[] = []
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    work()
    times.push(performance.now() - started)
  }
  return median(times)
}

function largeResult(): { result: RunResult; runMs: number | null } {
  const baseline = scenarioByName('baseline')
  if (baseline === undefined) throw new Error('baseline scenario missing')
  if (!real) return { result: synthesizeLargeResult(runScenario({ scenario: baseline, seed: 7, scale: 0.2 }).result), runMs: null }
  console.error(`running baseline at scale ${scale} (LIKESTORM_BENCH_REAL=1): this takes a while`)
  const started = performance.now()
  const { result } = runScenario({ scenario: baseline, seed: 7, scale })
  return { result: JSON.parse(serializeResult(result)) as RunResult, runMs: Math.round(performance.now() - started) }
}

const { result, runMs } = largeResult()
const assets = loadReportAssets()
const firstStarted = performance.now()
const html = renderHtmlReport(result, assets)
const firstRenderMs = performance.now() - firstStarted
const renderMs = timeMs(REPEATS, () => renderHtmlReport(result, assets))
const serializeMs = timeMs(REPEATS, () => serializeResult(result))
const bytes = Buffer.byteLength(html)
console.error(`${real ? 'real' : 'synthesized'} result: ${result.metrics.operations.toLocaleString('en-US')} operations${runMs === null ? '' : ` (run took ${(runMs / 1000).toFixed(1)} s)`}`)
console.error(`render: first ${firstRenderMs.toFixed(1)} ms, median of ${REPEATS} ${renderMs.toFixed(1)} ms; ${(bytes / 1024).toFixed(0)} KiB of HTML; result.json ${(Buffer.byteLength(serializeResult(result)) / 1024).toFixed(0)} KiB`)
console.log(
  JSON.stringify({
    bench: 'report',
    source: real ? 'real' : 'synthesized',
    operations: result.metrics.operations,
    ...(runMs === null ? {} : { runMs, scale }),
    renderMs: Math.round(renderMs * 10) / 10,
    firstRenderMs: Math.round(firstRenderMs * 10) / 10,
    bytes,
    serializeMs: Math.round(serializeMs * 10) / 10,
    ratioToSerialize: Math.round((renderMs / serializeMs) * 100) / 100,
  }),
)
