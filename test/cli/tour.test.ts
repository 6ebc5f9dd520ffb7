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

  it('runs the library robust first then naive, with the table and the index', async () => {
    // At a quarter of the world (the calibration is at 1, where the library test asserts every
    // expected outcome) robust still passes everything; naive fails, not always the same checks.
    const outDir = scratch('all')
    const io = captureIo()
    const code = await tourCommand(['--no-http', '--quiet', '--scale', '0.25', '--out', outDir], io)
    const { out } = io.text()
    expect(code).toBe(out.includes('Every run matched its expected outcome.') ? EXIT.OK : EXIT.CHECK_FAILED)
    const rows = out.split('\n').filter((line) => / sim +(robust|naive) +/.test(line))
    expect(rows).toHaveLength(2 * LIBRARY.length)
    expect(rows.filter((row) => / robust +pass /.test(row))).toHaveLength(LIBRARY.length)
    expect(rows.filter((row) => / naive +FAIL /.test(row))).toHaveLength(LIBRARY.length)
    expect(out.trimEnd().endsWith(`Reports: ${join(outDir, 'index.html')}`)).toBe(true)
    const lastRobust = out.lastIndexOf('strategy robust · mode sim')
    const firstNaive = out.indexOf('strategy naive · mode sim')
    expect(lastRobust).toBeGreaterThan(0)
    expect(firstNaive).toBeGreaterThan(lastRobust)
  }, 300_000)
})
