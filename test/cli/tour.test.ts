// likestorm tour (npm start): both strategies over the library, the sim runs shared with a second
// thread, printed as if the runs had taken turns; the thread's runs are the very runs of this thread.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runAndReport, type RunSettings } from '../../cli/commands/run.ts'
import { TourQueue, startTourWorker, tourClaimOrder, tourJobs, tourRunDir, type TourJobOutput } from '../../cli/commands/tour-pool.ts'
import { estimateRunOperations } from '../../scenarios/run/run-setup.ts'
import { tourCommand } from '../../cli/commands/tour.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'

const scratch = (name: string): string => mkdtempSync(join(tmpdir(), `likestorm-tour-${name}-`))

function settingsFor(names: readonly string[], outDir: string): RunSettings {
  return {
    scenarios: names.map((name) => scenarioByName(name) as Scenario),
    seed: 11,
    scale: 0.25,
    strategy: 'robust',
    outDir,
    quiet: true,
    reports: false,
    mode: 'sim',
    http: { target: undefined, allowRemoteTarget: false, adminToken: undefined, timeScale: 1, durationMaxS: undefined, connections: undefined },
  }
}

describe('the tour', () => {
  it('runs jobs on the second thread to the byte the same as on this one, each job once', async () => {
    const jobs = tourJobs(['baseline', 'like-flap'], ['naive'])
    const threadDir = scratch('thread')
    const hereDir = scratch('here')
    // Only the thread takes jobs here: the queue hands each index out once, whoever asks.
    const queue = new TourQueue(jobs.length)
    const outputs: TourJobOutput[] = []
    await startTourWorker(settingsFor([], threadDir), jobs, [1, 0], queue, (output) => outputs.push(output))
    expect(queue.claim()).toBe(-1)
    expect(outputs.map((output) => output.index).sort()).toEqual([0, 1])
    const io = captureIo()
    runAndReport(settingsFor(['baseline', 'like-flap'], hereDir), { ...io, dirFor: (scenario, strategy) => tourRunDir(hereDir, scenario, strategy) }, 'naive')
    expect(outputs.every((output) => output.run.result.strategy.name === 'naive')).toBe(true)
    for (const { scenarioName } of jobs) {
      const fromThread = readFileSync(join(tourRunDir(threadDir, { name: scenarioName }, 'naive'), 'result.json'), 'utf8')
      const fromHere = readFileSync(join(tourRunDir(hereDir, { name: scenarioName }, 'naive'), 'result.json'), 'utf8')
      expect(fromThread).toBe(fromHere)
    }
    // The summaries the thread hands back are the ones this thread prints, wall times aside.
    const withoutWall = (text: string): string => text.replace(/\([\d.]+ s wall\)/g, '(wall)').replaceAll(hereDir, 'OUT').replaceAll(threadDir, 'OUT')
    const threadText = outputs
      .sort((a, b) => a.index - b.index)
      .map((output) => output.text)
      .join('')
    expect(withoutWall(threadText)).toBe(withoutWall(io.text().out))
  }, 120_000)

  it('hands every job out once between two takers, then nothing', () => {
    const queue = new TourQueue(5)
    const second = new TourQueue(5, queue.claims)
    const taken = [queue.claim(), second.claim(), queue.claim(), second.claim(), second.claim(), queue.claim(), second.claim()]
    expect(taken).toEqual([0, 1, 2, 3, 4, -1, -1])
    const closed = new TourQueue(3)
    closed.close()
    expect(closed.claim()).toBe(-1)
  })

  it('turns background takers away once closed to them, and goes on handing out to the others', () => {
    const queue = new TourQueue(4)
    const background = { background: true }
    expect([queue.claim(background), queue.claim()]).toEqual([0, 1])
    queue.closeBackground()
    const other = new TourQueue(4, queue.claims)
    expect([queue.claim(background), other.claim(background), queue.claim(), other.claim(), queue.claim()]).toEqual([-1, -1, 2, 3, -1])
  })

  it('hands the biggest runs out first, ties in the tour order', () => {
    const jobs = tourJobs(['baseline', 'soak', 'like-flap'], ['robust', 'naive'])
    const order = tourClaimOrder(jobs, 1)
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5])
    const estimate = (index: number): number => estimateRunOperations(scenarioByName((jobs[index] as { scenarioName: string }).scenarioName) as Scenario, 1)
    for (let i = 1; i < order.length; i++) expect(estimate(order[i - 1] as number)).toBeGreaterThanOrEqual(estimate(order[i] as number))
    // soak (600 s of virtual time) is the biggest; its robust run goes before its naive one.
    expect(order.slice(0, 2)).toEqual([1, 4])
  })

  it('rejects when the thread fails, naming the cause', async () => {
    const queue = new TourQueue(1)
    await expect(startTourWorker(settingsFor([], scratch('bad')), [{ scenarioName: 'no-such-scenario', strategy: 'naive' }], [0], queue, () => undefined)).rejects.toThrow(/no scenario no-such-scenario/)
  }, 60_000)

  it('runs the library robust first then naive: a line per run, the table, the index and why it exits, within 120 columns', async () => {
    // At a quarter of the world (the calibration is at 1, where the library test asserts every
    // expected outcome) robust still passes everything; naive fails, not always the same checks.
    const outDir = scratch('all')
    const io = captureIo()
    const code = await tourCommand(['--no-http', '--quiet', '--scale', '0.25', '--out', outDir], io)
    const lines = io.text().out.trimEnd().split('\n')
    const runs = 2 * LIBRARY.length
    // The default output stays short (it was ~750 lines, most wider than 120 columns): a run's line
    // and its path or failed checks' names on at most three more, the table, a few lines besides.
    expect(lines.length).toBeLessThanOrEqual(4 * runs + (runs + 2) + 10)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120)
    // No check's details: they are in each run's report (and with --verbose).
    expect(lines.filter((line) => line.includes('e.g. ') || /^ +[✓✗?] /.test(line))).toEqual([])
    const runLines = lines.filter((line) => /^(PASS|FAIL|INCONCLUSIVE) {2}/.test(line))
    expect(runLines).toHaveLength(runs)
    expect(runLines.map((line) => line.split(/ +/)[2])).toEqual([...LIBRARY.map(() => 'robust'), ...LIBRARY.map(() => 'naive')])
    for (const strategy of ['robust', 'naive']) {
      for (const scenario of LIBRARY) {
        // Each run's line, and the lines that continue it: its mode and scale, where its report is, its failed checks by name.
        const at = lines.findIndex((line) => new RegExp(`^(PASS|FAIL) {2}${scenario.name} +${strategy} +sim scale 0\\.25 +(NOT )?as expected`).test(line))
        expect(at, `${scenario.name} ${strategy}`).toBeGreaterThan(0)
        const end = lines.findIndex((line, i) => i > at && !line.startsWith('      '))
        const block = lines.slice(at, end).join('\n')
        const dir = tourRunDir(outDir, scenario, strategy)
        expect(block).toContain(join(dir, 'report.html'))
        const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult
        for (const check of result.checks.filter((c) => c.status === 'fail')) expect(block).toContain(check.name)
        expect(block.startsWith(result.verdict === 'pass' ? 'PASS' : 'FAIL')).toBe(true)
      }
    }
    const rows = lines.filter((line) => /^\S+ +sim +(robust|naive) +0\.25 +/.test(line))
    expect(rows).toHaveLength(runs)
    expect(rows.filter((row) => / robust +0\.25 +pass +0 of /.test(row))).toHaveLength(LIBRARY.length)
    expect(rows.filter((row) => / naive +0\.25 +FAIL +[1-9]\d* of /.test(row))).toHaveLength(LIBRARY.length)
    const exitAt = lines.findIndex((line) => line.startsWith('Exit '))
    expect(lines[exitAt - 1]).toBe(`Reports: ${join(outDir, 'index.html')}`)
    expect([EXIT.OK, EXIT.CHECK_FAILED]).toContain(code)
    expect(lines.slice(exitAt).join(' ')).toMatch(code === EXIT.OK ? /^Exit 0: every run matched its expected outcome\.$/ : /^Exit 1: \d+ run\(s\) did NOT match their expected outcome: /)
  }, 300_000)
})
