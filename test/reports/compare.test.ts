// compareResults: a planted regression fails, two runs of one seed pass, limits are honoured,
// results made differently cannot be compared, and what could not be judged is never a regression
// nor a pass.
import { describe, expect, it } from 'vitest'
import { serializeResult } from '../../cli/write-result.ts'
import { compareResults, DEFAULT_COMPARE_LIMITS } from '../../reports/compare.ts'
import { renderComparisonMarkdown, renderComparisonTable } from '../../reports/comparison-text.ts'
import { ResultError } from '../../result/result-error.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import type { RunResult } from '../../result/result.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { mutable, roundTrip, smallResult } from './fixtures.ts'

const overload = (): RunResult => smallResult('overload-virginia', { scale: 0.3 })
const regressed = (comparison: ReturnType<typeof compareResults>): string[] => comparison.regressions.map((r) => r.metric)

/** The baseline with changes planted in it. */
function plant(base: RunResult, change: (r: ReturnType<typeof mutable<RunResult>>) => void): RunResult {
  const r = mutable(base)
  change(r)
  return r as unknown as RunResult
}

describe('two runs of the same seed', () => {
  it('are byte-identical and compare clean', () => {
    const scenario = scenarioByName('overload-virginia')!
    const a = runScenario({ scenario, seed: 11, scale: 0.25 }).result
    const b = runScenario({ scenario, seed: 11, scale: 0.25 }).result
    expect(serializeResult(a)).toBe(serializeResult(b))
    const comparison = compareResults(roundTrip(a), roundTrip(b))
    expect(comparison.passed).toBe(true)
    expect(comparison.regressions).toEqual([])
    expect(comparison.notes).toEqual([])
    expect(comparison.rows.filter((row) => row.status !== 'same' && row.status !== 'info')).toEqual([])
    expect(renderComparisonTable(comparison)).toMatch(/\nno regression$/)
  })
})

describe('a planted regression', () => {
  it('fails on a newly failing check, a p99 rise and a goodput drop beyond the limits', () => {
    const base = overload()
    const candidate = plant(base, (r) => {
      const neverZero = r.checks.find((c) => c.name === 'never-zero')!
      neverZero.status = 'fail'
      neverZero.observed = '12 read(s) showed 0 likes'
      r.passed = false
      r.metrics.latencyMs.p99Ms = (base.metrics.latencyMs.p99Ms as number) * 1.5
      const goodput = r.checks.find((c) => c.name === 'goodput')!
      goodput.values['goodputRps'] = (base.checks.find((c) => c.name === 'goodput')!.values['goodputRps'] as number) * 0.9
    })
    const comparison = compareResults(base, candidate)
    expect(comparison.passed).toBe(false)
    expect(regressed(comparison)).toEqual(['check never-zero', 'latency p99', 'goodput in overload'])
    expect(comparison.regressions[0]?.message).toBe('check never-zero newly fails: 12 read(s) showed 0 likes')
    expect(comparison.regressions[1]?.message).toMatch(/^latency p99 rose \+50\.0% \(.+ → .+\), more than the allowed \+10%$/)
    expect(comparison.regressions[2]?.message).toMatch(/^goodput dropped −10\.0% .*more than the allowed −2%$/)
    expect(renderComparisonTable(comparison)).toMatch(/REGRESSION: 3 finding\(s\) beyond the limits$/)
    const md = renderComparisonMarkdown(comparison)
    expect(md.split('\n')[0]).toBe('### ❌ LikeStorm compare · overload-virginia · REGRESSION: 3 finding(s) beyond the limits')
    expect(md).toContain('| check never-zero | ✓ pass | ✗ FAIL | newly fails | must not newly fail | ❌ regression |')
  })

  it('fails when detection precision or recall of a farm kind drops by more than the allowed points', () => {
    const base = smallResult('bot-purge')
    const candidate = plant(base, (r) => {
      const d = r.detection!
      d.byFarmKind.stealthy.recall = (base.detection!.byFarmKind.stealthy.recall as number) - 0.05
      d.byFarmKind.careless.precision = (base.detection!.byFarmKind.careless.precision as number) - 0.005
    })
    const comparison = compareResults(base, candidate)
    expect(regressed(comparison)).toEqual(['stealthy recall'])
    expect(comparison.rows.find((row) => row.metric === 'careless precision')?.status).toBe('worse')
    expect(compareResults(base, candidate, { maxDetectionDropPts: 0.1 }).regressions.map((r) => r.metric)).toEqual(['careless precision', 'stealthy recall'])
    expect(compareResults(base, candidate, { maxDetectionDropPts: 10 }).passed).toBe(true)
  })

  it('counts a check that no longer runs as a regression, a fixed one as better', () => {
    const base = smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 })
    const dropped = plant(base, (r) => {
      r.checks = r.checks.filter((c) => c.name !== 'no-flip')
    })
    expect(regressed(compareResults(base, dropped))).toEqual(['check no-flip'])
    const fixed = plant(base, (r) => {
      for (const c of r.checks) c.status = 'pass'
      r.passed = true
    })
    const comparison = compareResults(base, fixed)
    expect(comparison.passed).toBe(true)
    expect(comparison.rows.filter((row) => row.change === 'fixed').length).toBe(base.checks.filter((c) => c.status === 'fail').length)
  })
})

describe('limits', () => {
  it('default to +10% p99, −2% goodput and −1 point of detection', () => {
    expect(DEFAULT_COMPARE_LIMITS).toEqual({ maxP99IncreasePct: 10, maxGoodputDropPct: 2, maxDetectionDropPts: 1 })
  })

  it('let a p99 rise within the limit pass and fail just beyond it', () => {
    const base = overload()
    const slower = plant(base, (r) => {
      r.metrics.latencyMs.p99Ms = (base.metrics.latencyMs.p99Ms as number) * 1.09
    })
    expect(compareResults(base, slower).passed).toBe(true)
    expect(compareResults(base, slower).rows.find((row) => row.metric === 'latency p99')?.status).toBe('worse')
    expect(regressed(compareResults(base, slower, { maxP99IncreasePct: 5 }))).toEqual(['latency p99'])
  })

  it('gate goodput only when both runs measured it', () => {
    const base = smallResult('baseline')
    expect(compareResults(base, base).rows.some((row) => row.group === 'goodput')).toBe(false)
  })
})

describe('the naive counter against the robust one, for real', () => {
  it('regresses on the checks the 2020 incident broke, for a program comparing two designs', () => {
    const comparison = compareResults(overload(), smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }))
    expect(comparison.passed).toBe(false)
    expect(comparison.verdict).toBe('regression')
    expect(regressed(comparison)).toEqual(expect.arrayContaining(['check never-zero', 'check no-double-count', 'check goodput']))
    expect(comparison.notes).toEqual(['strategy differs: baseline robust, candidate naive'])
  })

  it('is refused where strategies must be the same (the CLI gate)', () => {
    expect(() => compareResults(overload(), smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), {}, { strategies: 'same' })).toThrow(
      /^cannot compare runs made differently: strategy \(baseline robust, candidate naive\) differs, so every figure would differ by construction; make the candidate as the baseline was made \(npx likestorm run overload-virginia --seed 7 --scale 0\.3\) or make a new baseline as the candidate was \(npx likestorm run overload-virginia --seed 7 --strategy naive --scale 0\.3\)$/,
    )
  })
})

describe('results that cannot be compared', () => {
  it('throws a coded error for runs of different scenarios', () => {
    expect(() => compareResults(smallResult('baseline'), overload())).toThrow(ResultError)
    expect(() => compareResults(smallResult('baseline'), overload())).toThrow('cannot compare runs of different scenarios: baseline is baseline, candidate is overload-virginia')
  })

  it('refuses runs of different scales, naming the difference and how to make them comparable', () => {
    // Before: a note, then "goodput dropped" by the ratio of the scales: a false regression.
    const small = smallResult('overload-virginia', { scale: 0.25 })
    let error: unknown
    try {
      compareResults(overload(), small)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ResultError)
    expect((error as ResultError).code).toBe('LS_COMPARE_MISMATCH')
    expect((error as ResultError).message).toMatch(/^cannot compare runs made differently: scale \(baseline 0\.3, candidate 0\.25\) differs, .*\(npx likestorm run overload-virginia --seed 7 --scale 0\.3\)/)
  })

  it('refuses runs of different modes, and mode http runs of different time scales', () => {
    const http = plant(overload(), (r) => {
      r.mode = 'http'
      r.config.http = { target: 'embedded', timeScale: 1, connections: 64, wallMs: 1000, droppedIterations: 0, peakVus: 1, skippedFaults: [] }
    })
    expect(() => compareResults(overload(), http)).toThrow(/mode \(baseline sim, candidate http\) differs/)
    const faster = plant(http, (r) => {
      r.config.http!.timeScale = 0.1
    })
    expect(() => compareResults(http, faster)).toThrow(/time scale \(baseline 1, candidate 0\.1\) differs/)
    expect(() => compareResults(overload(), faster)).toThrow(/mode \(baseline sim, candidate http\) differs/)
  })

  it('takes a different seed as a note: the same world redrawn differs by sampling noise only', () => {
    const comparison = compareResults(smallResult('baseline', { seed: 7 }), smallResult('baseline', { seed: 8 }))
    expect(comparison.notes).toEqual(['seed differs: baseline 7, candidate 8'])
  })
})

describe('what could not be judged', () => {
  it('an inconclusive candidate check is shown, is not a regression, and makes the comparison inconclusive', () => {
    const base = overload()
    const candidate = plant(base, (r) => {
      const check = r.checks.find((c) => c.name === 'never-zero')!
      check.status = 'inconclusive'
      check.observed = 'the run ended before its final reads: not judged'
    })
    const comparison = compareResults(base, candidate)
    expect(comparison.regressions).toEqual([])
    expect(comparison.verdict).toBe('inconclusive')
    expect(comparison.passed).toBe(false)
    expect(comparison.rows.find((row) => row.metric === 'check never-zero')).toMatchObject({ candidate: '? inconclusive', change: 'not judged', status: 'worse' })
    expect(comparison.unjudged).toEqual(['check never-zero: the candidate could not judge it'])
    const text = renderComparisonTable(comparison)
    expect(text).toMatch(/\n\? check never-zero: the candidate could not judge it\nINCONCLUSIVE: no regression found, but 1 thing\(s\) could not be judged$/)
    expect(renderComparisonMarkdown(comparison).split('\n')[0]).toBe('### ❔ LikeStorm compare · overload-virginia · INCONCLUSIVE: no regression found, but 1 thing(s) could not be judged')
  })

  it('latency and goodput of a run that stopped early are shown, not judged: no false regression', () => {
    const base = overload()
    const stopped = plant(base, (r) => {
      r.interrupted = true
      r.stoppedBy = { kind: 'time-limit', detail: 'the wall-time bound --time-limit 60 s was reached' }
      r.metrics.latencyMs.p99Ms = (base.metrics.latencyMs.p99Ms as number) * 3
      const goodput = r.checks.find((c) => c.name === 'goodput')!
      goodput.values['goodputRps'] = (goodput.values['goodputRps'] as number) * 0.04
    })
    const comparison = compareResults(base, stopped)
    expect(comparison.regressions).toEqual([])
    expect(comparison.verdict).toBe('inconclusive')
    for (const metric of ['latency p99', 'goodput in overload']) expect(comparison.rows.find((row) => row.metric === metric)).toMatchObject({ status: 'info', limit: 'not judged' })
    expect(comparison.unjudged).toEqual(['latency and goodput are shown, not judged: the candidate stopped before its end (the wall-time bound --time-limit 60 s was reached)'])
    expect(comparison.notes).toContain('the candidate stopped before its end (the wall-time bound --time-limit 60 s was reached): its checks judged a partial run')
  })

  it('latency of a run whose harness could not keep its schedule is not judged either', () => {
    const base = overload()
    const unkept = plant(base, (r) => {
      for (const check of r.checks) if (check.kind === 'threshold') check.status = 'inconclusive'
      r.metrics.latencyMs.p99Ms = (base.metrics.latencyMs.p99Ms as number) * 3
    })
    const comparison = compareResults(unkept, base)
    expect(comparison.regressions).toEqual([])
    expect(comparison.rows.find((row) => row.metric === 'latency p99')?.status).toBe('info')
    expect(comparison.verdict).toBe('inconclusive')
  })

  it('a broken invariant in a run that stopped early is still a regression', () => {
    const base = overload()
    const stopped = plant(base, (r) => {
      r.stoppedBy = { kind: 'signal', detail: 'SIGTERM' }
      const check = r.checks.find((c) => c.name === 'no-lost-likes')!
      check.status = 'fail'
    })
    expect(regressed(compareResults(base, stopped))).toEqual(['check no-lost-likes'])
  })
})
