// The default output of run, tour and swarm stays short (pure renderers): a run in one line within
// 120 columns, the names of failed checks always on it (folded onto the next lines rather than
// dropped), a brief summary for a single run, and everything back with --verbose.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../cli/main.ts'
import { foldTokens, headThenTokens, LINE_WIDTH } from '../../cli/fold.ts'
import { renderRunLine, runShape } from '../../cli/run-line.ts'
import { renderCheckMatrix, renderRun, renderRunSummary, renderTourTable, summaryFormat } from '../../cli/summary.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { mutable, smallResult } from '../reports/fixtures.ts'

const columns = (text: string): number[] => text.split('\n').map((line) => line.length)
const failedNames = (result: RunResult): string[] => result.checks.filter((check) => check.status === 'fail').map((check) => check.name)

describe('a run in one line', () => {
  const robust = smallResult('overload-virginia', { strategy: 'robust', scale: 0.3 })
  const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
  const path = 'out/tour/overload-virginia-naive/report.html'

  it('says verdict, scenario, strategy, mode, scale, the expected outcome and where the report is, on one line', () => {
    const line = renderRunLine(robust, { path: 'out/tour/overload-virginia-robust/report.html', nameWidth: 17 })
    expect(line.split('\n')).toHaveLength(1)
    expect(line).toMatch(/^PASS {2}overload-virginia {2}robust {2}sim scale 0\.3 +as expected +out\/tour\/overload-virginia-robust\/report\.html/)
    expect(line.length).toBeLessThanOrEqual(LINE_WIDTH)
  })

  it('names every failed check of a failing run, folding them within 120 columns rather than dropping one', () => {
    expect(failedNames(naive).length).toBeGreaterThan(5)
    const text = renderRunLine(naive, { path, nameWidth: 17 })
    expect(text).toMatch(/^FAIL {2}overload-virginia {2}naive/)
    expect(text.split('\n')[0]).toContain(path)
    for (const name of failedNames(naive)) expect(text).toContain(name)
    expect(text).toContain(`failed: ${failedNames(naive)[0]},`)
    for (const width of columns(text)) expect(width).toBeLessThanOrEqual(LINE_WIDTH)
    // Narrower still, nothing is cut: the names only take more lines.
    const narrow = renderRunLine(naive, { path, width: 60 })
    for (const name of failedNames(naive)) expect(narrow.replaceAll('\n      ', ' ')).toContain(name)
    expect(narrow.split('\n').length).toBeGreaterThan(text.split('\n').length)
  })

  it('says where a run parted from its expected outcome', () => {
    const run = mutable(naive)
    const [first, ...rest] = failedNames(naive)
    run.expectation = { failing: [...rest, 'no-flip'], matched: false }
    const text = renderRunLine(run as unknown as RunResult, { path })
    expect(text).toContain('NOT as expected')
    expect(text).toContain(`not expected to fail: ${first}`)
    expect(text).toContain('expected to fail but passed: no-flip')
  })

  it('names the checks that could not be judged, and a run stopped early', () => {
    const run = mutable(robust)
    const check = run.checks.find((c) => c.name === 'goodput')
    if (check === undefined) throw new Error('overload-virginia judges goodput')
    check.status = 'inconclusive'
    run.verdict = 'inconclusive'
    run.stoppedBy = { kind: 'signal', detail: 'SIGTERM' }
    const text = renderRunLine(run as unknown as RunResult, { path })
    expect(text).toMatch(/^INCONCLUSIVE {2}overload-virginia/)
    expect(text).toContain('INTERRUPTED by SIGTERM')
    expect(text).toContain('inconclusive: goodput')
    // Mode http: why, in the load generator's words, when it could not keep the schedule.
    run.mode = 'http'
    const cause = '12.0% of sends were more than 50 ms late: raise --time-scale or lower --scale'
    const health = { scheduleKept: false, cause, lateThresholdMs: 50, operationsReleased: 1, lateShare: 0.12, scheduleLagP50Ms: 1, scheduleLagP99Ms: 90, scheduleLagMaxMs: 99, droppedShare: 0, eventLoopDelayP50Ms: 1, eventLoopDelayP99Ms: 9, eventLoopDelayMaxMs: 9, eventLoopUtilization: 0.5, processCpuCores: 1, threadCpuCores: 1, coresAvailable: 2, loadAverage1m: 3, measuredWallMs: 1000 }
    run.config.http = { target: 'embedded', timeScale: 0.5, connections: 64, wallMs: 1, droppedIterations: 0, peakVus: 1, skippedFaults: [], health }
    const http = renderRunLine(run as unknown as RunResult, { path })
    expect(http.replaceAll(/\n +/g, ' ')).toContain(`inconclusive: goodput; harness: ${cause}`)
    for (const width of columns(http)) expect(width).toBeLessThanOrEqual(LINE_WIDTH)
    // A brief summary says the harness's cause once, on its line; the checks it made inconclusive point there.
    const goodput = run.checks.find((check) => check.name === 'goodput') as { observed: string }
    goodput.observed = `goodput 0.91 of offered; INCONCLUSIVE: ${cause}`
    const brief = renderRunSummary(run as unknown as RunResult, { brief: true })
    expect(brief.replaceAll(/\n +/g, ' ').split(cause)).toHaveLength(2)
    expect(brief.replaceAll(/\n +/g, ' ')).toContain('goodput 0.91 of offered; INCONCLUSIVE: see the harness line above')
    expect(renderRunSummary(run as unknown as RunResult, {}).split(cause)).toHaveLength(3)
  })

  it('puts a path too long for the line on the next one, whole', () => {
    const longPath = `${'deep/'.repeat(18)}report.html`
    const text = renderRunLine(naive, { path: longPath, nameWidth: 17 })
    expect(text.split('\n')[1]).toBe(`      ${longPath}`)
    expect(text).toContain('failed: ')
  })

  it('shows the time scale of a mode http run', () => {
    const run = mutable(robust)
    run.mode = 'http'
    run.config.http = { target: 'embedded', timeScale: 0.5, connections: 64, wallMs: 1, droppedIterations: 0, peakVus: 1, skippedFaults: [] }
    expect(runShape(run as unknown as RunResult)).toBe('http scale 0.3 time 0.5')
    expect(runShape(robust)).toBe('sim scale 0.3')
  })
})

describe('what a command prints per run', () => {
  const naive = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
  const paths = { resultPath: 'out/overload-virginia/result.json', reportPath: 'out/overload-virginia/report.html' }

  it('is a line for several runs, a brief summary for one, everything with --verbose', () => {
    expect(summaryFormat({ verbose: false, scenarioNames: ['baseline', 'overload-virginia'] })).toEqual({ style: 'line', nameWidth: 17 })
    expect(summaryFormat({ verbose: false, scenarioNames: ['baseline'] })).toEqual({ style: 'brief' })
    expect(summaryFormat({ verbose: true, scenarioNames: ['baseline', 'overload-virginia'] })).toEqual({ style: 'full' })
    expect(renderRun(naive, { style: 'line' }, paths).trimEnd()).toBe(renderRunLine(naive, { path: paths.reportPath }))
  })

  it('keeps a single run brief: within 120 columns, every check by name, examples left to the report', () => {
    const brief = renderRun(naive, { style: 'brief' }, paths)
    const lines = brief.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(40)
    // Only the replay command and paths may be wider (they are never folded); here none is.
    for (const width of columns(brief)) expect(width).toBeLessThanOrEqual(LINE_WIDTH)
    for (const check of naive.checks) expect(brief).toContain(`${check.status === 'fail' ? '✗' : check.status === 'pass' ? '✓' : ''} ${check.name}`)
    expect(brief).not.toContain('e.g. ')
    expect(brief).toContain('what each failed check expects, with examples: in the report, or run again with --verbose')
    expect(brief).toContain(`replay: ${naive.replay}`)
  })

  it('prints with --verbose what each failed check expected and examples, unfolded', () => {
    const full = renderRun(naive, { style: 'full' }, paths)
    expect(full).toBe(`${renderRunSummary(naive, paths)}\n\n`)
    const goodput = naive.checks.find((c) => c.name === 'goodput')
    expect(full).toContain(`    expected: ${goodput?.expected}`)
    expect(full).toContain(`    e.g. ${goodput?.examples[0]?.message}`)
    expect(Math.max(...columns(full))).toBeGreaterThan(LINE_WIDTH)
  })
})

describe('the tables after the runs', () => {
  const results = [smallResult('overload-virginia', { strategy: 'robust', scale: 0.3 }), smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })]

  it('the tour table: one row per run within 120 columns, the failed checks counted', () => {
    const lines = renderTourTable(results).split('\n')
    expect(lines).toHaveLength(2 + results.length)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH)
    expect(lines[0]).toMatch(/^scenario +mode +strategy +scale +verdict +checks failed +as expected$/)
    expect(lines[3]).toMatch(new RegExp(`^overload-virginia +sim +naive +0\\.3 +FAIL +${failedNames(results[1] as RunResult).length} of ${results[1]?.checks.length} +yes$`))
  })

  it('the check matrix: its legend folds within 120 columns', () => {
    const matrix = renderCheckMatrix(results)
    for (const width of columns(matrix)) expect(width).toBeLessThanOrEqual(LINE_WIDTH)
    for (const check of results[1]?.checks ?? []) expect(matrix).toContain(check.name)
  })
})

describe('folding', () => {
  it('fills lines between tokens, never inside one', () => {
    expect(foldTokens(['aaa', 'bbb', 'ccc'], { first: '> ', indent: '  ', width: 9 })).toEqual(['> aaa bbb', '  ccc'])
    expect(foldTokens(['a-token-longer-than-the-line'], { width: 5 })).toEqual(['a-token-longer-than-the-line'])
    expect(headThenTokens('head', ['x,', 'y'], { indent: '  ', width: 20 })).toBe('head  x, y')
    expect(headThenTokens('head', ['xxxxx,', 'yyyyy'], { indent: '  ', width: 12 })).toBe('head\n  xxxxx,\n  yyyyy')
  })
})

describe('swarm', () => {
  const scratch = (): string => mkdtempSync(join(tmpdir(), 'likestorm-lines-'))

  it("swarm prints a line per run, a failure's checks by name on it, and each replay command once, at the end", async () => {
    const io = captureIo()
    await main(['swarm', '--runs', '1', '--seed', '1', '--strategy', 'naive', '--out', scratch()], io)
    const out = io.text().out
    for (const width of columns(out)) expect(width).toBeLessThanOrEqual(LINE_WIDTH)
    expect(out).toMatch(/^run 1\/1 seed \d+: FAIL {2}\S+result\.json\n? +failed: no-/m)
    expect(out).not.toContain('  replay: ')
    expect(out.match(/npx likestorm run swarm-\d+ --seed \d+ --strategy naive/g)).toHaveLength(1)
  }, 60_000)
})
