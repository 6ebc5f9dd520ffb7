// likestorm compare: runs made differently are refused in one line (exit 2), never reported as a
// regression; nothing regressed but something could not be judged is exit 3, not a pass.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { serializeResult } from '../../cli/write-result.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { mutable, smallResult, tempDir } from '../reports/fixtures.ts'

function saved(result: RunResult, name: string): string {
  const path = join(tempDir('likestorm-compare-'), `${name}.json`)
  writeFileSync(path, serializeResult(result))
  return path
}

function compare(baseline: RunResult, candidate: RunResult): { code: number; out: string; err: string } {
  const io = captureIo()
  const code = main(['compare', saved(baseline, 'baseline'), saved(candidate, 'candidate')], io)
  if (typeof code !== 'number') throw new Error('compare is synchronous')
  return { code, ...io.text() }
}

describe('likestorm compare', () => {
  it('refuses runs of different --scale in one line, exit 2, instead of a false goodput regression', () => {
    const { code, out, err } = compare(smallResult('overload-virginia', { scale: 0.3 }), smallResult('overload-virginia', { scale: 0.25 }))
    expect(code).toBe(EXIT.USAGE)
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(/^likestorm: cannot compare runs made differently: scale \(baseline 0\.3, candidate 0\.25\) differs, .*make the candidate as the baseline was made \(npx likestorm run overload-virginia --seed 7 --scale 0\.3\).* \[LS_COMPARE_MISMATCH\]\n$/)
  })

  it('refuses runs of different strategies', () => {
    const { code, err } = compare(smallResult('baseline'), smallResult('baseline', { strategy: 'naive' }))
    expect(code).toBe(EXIT.USAGE)
    expect(err).toMatch(/strategy \(baseline robust, candidate naive\) differs.*\[LS_COMPARE_MISMATCH\]/)
  })

  it('exits 3 when nothing regressed but a candidate check could not be judged', () => {
    const base = smallResult('baseline')
    const candidate = mutable(base)
    const check = candidate.checks.find((c) => c.name === 'convergence')!
    check.status = 'inconclusive'
    candidate.verdict = 'inconclusive'
    candidate.passed = false
    const { code, out, err } = compare(base, candidate as unknown as RunResult)
    expect(err).toBe('')
    expect(code).toBe(EXIT.INCONCLUSIVE)
    expect(out).toContain('INCONCLUSIVE: no regression found')
  })

  it('exits 0 for two runs of the same seed and 1 for a regression', () => {
    const base = smallResult('baseline')
    expect(compare(base, base).code).toBe(EXIT.OK)
    const broken = mutable(base)
    broken.checks.find((c) => c.name === 'no-lost-likes')!.status = 'fail'
    broken.verdict = 'fail'
    broken.passed = false
    expect(compare(base, broken as unknown as RunResult).code).toBe(EXIT.CHECK_FAILED)
  })
})
