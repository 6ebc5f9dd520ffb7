// `likestorm run --mode http --seeds`: each seed's run over sockets against the embedded server
// (a world of its own per seed), a folder per seed, and seeds.json over them, as mode sim writes
// it. A bot-purge cut to 6 s (a file extending it), at time scale 0.25: about 2 s a run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exitForRuns } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { validateSeedSummary, type SeedSummary } from '../../reports/seed-summary.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'

/** bot-purge in 6 s: a careless farm bursting from 1 s, the purge at 4.5 s. */
const SHORT_BOT_PURGE = {
  extends: 'bot-purge',
  name: 'short-bot-purge',
  durationS: 6,
  world: { fanGroups: [], farms: [{ kind: 'careless', accounts: 300, targetVideos: 12, startS: 1, burstS: 3, ipBlocks: 3, region: 'us-east' }] },
  load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '6s', preAllocatedVUs: 100, maxVUs: 1000 } } },
  faults: [{ kind: 'bot-purge', startS: 4.5, endS: 5 }],
}

describe('run --mode http --seeds', () => {
  it('runs each seed against the embedded server into its folder and summarises them in seeds.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'likestorm-seeds-http-'))
    const file = join(out, 'short-bot-purge.json')
    writeFileSync(file, JSON.stringify(SHORT_BOT_PURGE))
    const io = captureIo()
    const code = await main(['run', file, '--mode', 'http', '--time-scale', '0.25', '--seeds', '3,4', '--scale', '0.2', '--no-reports', '--quiet', '--out', out], io)
    const { out: text } = io.text()

    const results = [3, 4].map((seed) => JSON.parse(readFileSync(join(out, 'short-bot-purge', `seed-${seed}`, 'result.json'), 'utf8')) as RunResult)
    expect(results.map((result) => [result.seed, result.mode])).toEqual([[3, 'http'], [4, 'http']])
    // Each seed's world is its own: the farms' accounts differ.
    expect(results[0]?.detection?.purged?.accounts.map((account) => account.userId)).not.toEqual(results[1]?.detection?.purged?.accounts.map((account) => account.userId))
    expect(results[0]?.replay).toMatch(/--seed 3 .*--mode http/)
    expect(code).toBe(exitForRuns(results))

    const summary = JSON.parse(readFileSync(join(out, 'short-bot-purge', 'seeds.json'), 'utf8')) as SeedSummary
    expect(validateSeedSummary(summary)).toEqual([])
    expect(summary).toMatchObject({ scenario: 'short-bot-purge', seeds: [3, 4], notRun: [], runs: [{ seed: 3, result: 'seed-3/result.json' }, { seed: 4, result: 'seed-4/result.json' }] })
    const careless = summary.metrics.find((metric) => metric.path === 'detection.byFarmKind.careless.recall')
    expect(careless?.stats?.n).toBe(2)
    expect(careless?.stats?.mean).toBeCloseTo(results.reduce((sum, result) => sum + (result.detection?.byFarmKind.careless.recall as number), 0) / 2, 12)
    expect(text).toContain('short-bot-purge over 2 seeds (3,4)')
    expect(text).toContain(`seeds.json: ${join(out, 'short-bot-purge', 'seeds.json')}`)
  }, 60_000)
})
