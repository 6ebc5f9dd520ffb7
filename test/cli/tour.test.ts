// likestorm tour (npm start): both strategies over the library, the naive half on a second thread,
// printed as if the runs had taken turns; the thread's runs are the very runs of this thread.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runAndReport, type RunSettings } from '../../cli/commands/run.ts'
import { startTourHalf, tourRunDir } from '../../cli/commands/tour-half.ts'
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
  it('runs a half on a second thread to the byte the same as on this one', async () => {
    const names = ['baseline', 'like-flap']
    const threadDir = scratch('thread')
    const hereDir = scratch('here')
    const half = await startTourHalf(settingsFor(names, threadDir), 'naive')
    const io = captureIo()
    runAndReport(settingsFor(names, hereDir), { ...io, dirFor: (scenario, strategy) => tourRunDir(hereDir, scenario, strategy) }, 'naive')
    expect(half.runs.map((run) => run.result.scenario.name)).toEqual(names)
    expect(half.runs.every((run) => run.result.strategy.name === 'naive')).toBe(true)
    for (const name of names) {
      const fromThread = readFileSync(join(tourRunDir(threadDir, { name }, 'naive'), 'result.json'), 'utf8')
      const fromHere = readFileSync(join(tourRunDir(hereDir, { name }, 'naive'), 'result.json'), 'utf8')
      expect(fromThread).toBe(fromHere)
    }
    // The summaries the thread hands back are the ones this thread prints, wall times aside.
    const withoutWall = (text: string): string => text.replace(/\([\d.]+ s wall\)/g, '(wall)').replaceAll(hereDir, 'OUT').replaceAll(threadDir, 'OUT')
    expect(withoutWall(half.text)).toBe(withoutWall(io.text().out))
  }, 120_000)

  it('rejects when the thread fails, naming the cause', async () => {
    const settings = { ...settingsFor(['baseline'], scratch('bad')), scenarios: [{ ...(scenarioByName('baseline') as Scenario), name: 'no-such-scenario' }] }
    await expect(startTourHalf(settings, 'naive')).rejects.toThrow(/no scenario no-such-scenario/)
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
