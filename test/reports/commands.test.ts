// likestorm report and likestorm compare: files written where expected, exit codes 0/1, one-line
// usage errors with codes (the CLI's main turns them into exit 2).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareCommand, percentFlag } from '../../cli/commands/compare.ts'
import { commonDir, reportCommand, reportDirs } from '../../cli/commands/report.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { writeResult } from '../../cli/write-result.ts'
import { UsageError } from '../../scenarios/errors.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'
import { mutable, smallResult, tempDir } from './fixtures.ts'

type Command = (argv: readonly string[], io: ReturnType<typeof captureIo>) => number

function cli(command: Command, ...argv: string[]): { code: number; out: string; err: string } {
  const io = captureIo()
  const code = command(argv, io)
  return { code, ...io.text() }
}

function usageError(command: Command, ...argv: string[]): UsageError {
  try {
    cli(command, ...argv)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message.split('\n')).toHaveLength(1)
    return error as UsageError
  }
  throw new Error(`expected a usage error from ${argv.join(' ')}`)
}

function saved(result: RunResult, dir: string): string {
  return writeResult(result, dir)
}

describe('likestorm report', () => {
  it('writes report.html, summary.md and junit.xml next to one result and links result.json', () => {
    const path = saved(smallResult('baseline'), join(tempDir(), 'baseline'))
    const { code, out } = cli(reportCommand, path)
    expect(code).toBe(EXIT.OK)
    const dir = join(path, '..')
    for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(existsSync(join(dir, file))).toBe(true)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<a href="result.json">result.json</a>')
    expect(out).toBe(`✓ PASS baseline [robust] seed 7 → ${join(dir, 'report.html')} (also summary.md, junit.xml)\n`)
  })

  it('writes several results under --out with an index that links each report, and each report back', () => {
    const root = tempDir()
    const a = saved(smallResult('baseline'), join(root, 'runs', 'baseline'))
    const b = saved(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), join(root, 'runs', 'overload-virginia-naive'))
    const out = join(root, 'reports')
    const { code, out: text } = cli(reportCommand, a, b, '--out', out)
    expect(code).toBe(EXIT.OK)
    expect(text).toContain(`index: ${join(out, 'index.html')}`)
    const index = readFileSync(join(out, 'index.html'), 'utf8')
    expect(index).toContain('href="baseline/report.html"')
    expect(index).toContain('href="overload-virginia-naive/report.html"')
    expect(readFileSync(join(out, 'baseline', 'report.html'), 'utf8')).toContain('<a href="../index.html">← all runs</a>')
    expect(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testsuite /g)).toHaveLength(2)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('[HTML](overload-virginia-naive/report.html)')
  })

  it('never puts two runs in one folder, and indexes in the folder they share', () => {
    expect(reportDirs(['x/a/result.json', 'x/b/result.json'], undefined)).toEqual(['x/a', 'x/b'])
    expect(reportDirs(['x/a.json', 'x/b.json'], undefined)).toEqual(['x', join('x', 'b')])
    expect(reportDirs(['x/a/result.json', 'y/a/result.json'], 'out')).toEqual([join('out', 'a'), join('out', 'a', 'result')])
    expect(reportDirs(['x/a/result.json'], 'out')).toEqual(['out'])
    expect(commonDir(['/r/out/a', '/r/out/b/c'])).toBe('/r/out')
  })

  it('checks every file before writing anything, and says which one is wrong', () => {
    const root = tempDir()
    const good = saved(smallResult('baseline'), join(root, 'good'))
    const bad = join(root, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...smallResult('baseline'), mode: 'warp' }))
    const error = usageError(reportCommand, good, bad)
    expect(error.code).toBe('LS_RESULT_INVALID')
    expect(error.message).toContain(`${bad} is not a valid result: result.mode: must be one of "sim", "http"`)
    expect(existsSync(join(root, 'good', 'report.html'))).toBe(false)
    expect(usageError(reportCommand, join(root, 'nope.json')).code).toBe('LS_RESULT_UNREADABLE')
    expect(usageError(reportCommand).code).toBe('LS_BAD_USAGE')
    expect(usageError(reportCommand, good, '--frobnicate').code).toBe('LS_BAD_FLAG')
  })
})

describe('likestorm compare', () => {
  const root = tempDir()
  const robust = saved(smallResult('overload-virginia', { scale: 0.3 }), join(root, 'robust'))
  const naive = saved(smallResult('overload-virginia', { strategy: 'naive', scale: 0.3 }), join(root, 'naive'))

  it('exits 0 and prints a table when nothing regressed', () => {
    const { code, out } = cli(compareCommand, robust, robust)
    expect(code).toBe(EXIT.OK)
    expect(out).toContain('metric')
    expect(out).toMatch(/latency p99 +[\d.]+ ms +[\d.]+ ms +±0\.0% +≤ \+10% +ok/)
    expect(out.trimEnd().split('\n').at(-1)).toBe('no regression')
  })

  it('exits 1 on a regression, with Markdown under --md', () => {
    // The same strategy (the CLI refuses two), with the zero-likes bug planted back.
    const broken = mutable(smallResult('overload-virginia', { scale: 0.3 }))
    broken.checks.find((check) => check.name === 'never-zero')!.status = 'fail'
    broken.verdict = 'fail'
    broken.passed = false
    const { code, out } = cli(compareCommand, robust, saved(broken as unknown as RunResult, join(root, 'broken')), '--md')
    expect(code).toBe(EXIT.CHECK_FAILED)
    expect(out.split('\n')[0]).toMatch(/^### ❌ LikeStorm compare · overload-virginia · REGRESSION: \d+ finding\(s\) beyond the limits$/)
    expect(out).toContain('| --- | --: | --: | --: | --- | --- |')
  })

  it('takes its limits as 10% or 10', () => {
    const slower = mutable(smallResult('overload-virginia', { scale: 0.3 }))
    slower.metrics.latencyMs.p99Ms = (slower.metrics.latencyMs.p99Ms as number) * 1.2
    const path = saved(slower as unknown as RunResult, join(root, 'slower'))
    expect(cli(compareCommand, robust, path).code).toBe(EXIT.CHECK_FAILED)
    expect(cli(compareCommand, robust, path, '--max-p99-increase', '25%').code).toBe(EXIT.OK)
    expect(cli(compareCommand, robust, path, '--max-p99-increase=25').code).toBe(EXIT.OK)
    expect(percentFlag('2.5%', '--x', { max: 100, fallback: 1 })).toBe(2.5)
    expect(percentFlag(undefined, '--x', { max: 100, fallback: 1 })).toBe(1)
  })

  it('gives one line with a code for bad usage: percentages, files, different scenarios', () => {
    expect(usageError(compareCommand, robust, naive, '--max-goodput-drop', 'lots').message).toBe('--max-goodput-drop must be a percentage from 0 to 100, like 10% or 10, got "lots"')
    expect(usageError(compareCommand, robust, naive, '--max-detection-drop', '120%').code).toBe('LS_BAD_FLAG')
    expect(usageError(compareCommand, robust).code).toBe('LS_BAD_USAGE')
    expect(usageError(compareCommand, robust, join(root, 'missing.json')).code).toBe('LS_RESULT_UNREADABLE')
    const other = saved(smallResult('baseline'), join(root, 'baseline'))
    const mismatch = usageError(compareCommand, robust, other)
    expect(mismatch.code).toBe('LS_COMPARE_MISMATCH')
    expect(mismatch.message).toBe('cannot compare runs of different scenarios: baseline is overload-virginia, candidate is baseline')
    expect(usageError(compareCommand, robust, naive).message).toMatch(/^cannot compare runs made differently: strategy \(baseline robust, candidate naive\) differs/)
  })
})
