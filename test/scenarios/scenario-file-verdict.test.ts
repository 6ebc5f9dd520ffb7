// A scenario file's own k6 thresholds and check configuration are the run's: each acts on the
// verdict (the same file with a looser setting passes), and a bad one is refused with its field.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../scenarios/errors.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { loadScenarioFiles } from '../../scenarios/scenario-file.ts'
import type { RunResult } from '../../result/result.ts'

const SHORT = {
  extends: 'baseline',
  durationS: 10,
  load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '10s', preAllocatedVUs: 50, maxVUs: 500 } } },
}

/** The files' scenarios, each run small in mode sim. */
async function runFiles(files: Record<string, unknown>): Promise<RunResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'likestorm-file-verdict-'))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...SHORT, name, ...(body as object) }))
  const loaded = await loadScenarioFiles(Object.keys(files).map((name) => `${name}.json`), { cwd: dir, mode: 'sim' })
  return loaded.map((entry) => runScenario({ scenario: entry.scenario, seed: 3, scale: 0.05 }).result)
}

const status = (result: RunResult, name: string): string | undefined => result.checks.find((check) => check.name === name)?.status

describe("a scenario file's thresholds", () => {
  it('are judged as checks of the run and decide its verdict', async () => {
    const [tight, loose] = await runFiles({
      tight: { load: { ...SHORT.load, thresholds: { http_req_duration: ['p(99)<1'] } } },
      loose: { load: { ...SHORT.load, thresholds: { http_req_duration: ['p(99)<5000'] } } },
    })
    expect(status(tight as RunResult, 'http_req_duration: p(99)<1')).toBe('fail')
    expect(tight?.verdict).toBe('fail')
    expect(status(loose as RunResult, 'http_req_duration: p(99)<5000')).toBe('pass')
    expect(loose?.verdict).toBe('pass')
  })
})

describe("a scenario file's check configuration", () => {
  it('sets what the checks hold the run to, and which checks run', async () => {
    const [strict, chosen] = await runFiles({
      strict: { checks: { config: { 'bounded-staleness': { freshGraceMs: 0, maxStaleMs: 1 } } } },
      chosen: { checks: { run: ['no-lost-likes', 'exercised'] } },
    })
    expect(status(strict as RunResult, 'bounded-staleness')).toBe('fail')
    expect(strict?.verdict).toBe('fail')
    expect(chosen?.checks.map((check) => check.name)).toEqual(['no-lost-likes', 'exercised'])
    expect(chosen?.verdict).toBe('pass')
  })

  it('is refused with its field path when it makes no sense', async () => {
    const error = await runFiles({ bad: { checks: { config: { 'bounded-staleness': { maxStaleMs: -1 } } }, load: { ...SHORT.load, thresholds: { nope: ['p(99)<1'] } } } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).problems).toEqual([
      expect.stringMatching(/^bad\.json: load\.thresholds\.nope: unknown metric nope/),
      "bad.json: checks.config['bounded-staleness'].maxStaleMs: must be a finite number of ms > 0",
    ])
  })
})
