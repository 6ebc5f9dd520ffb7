// `likestorm run --seeds`: the list's usage errors, and one small run over two seeds that writes a
// folder per seed and a seeds.json that validates, prints the summary's table, and exits as the
// worst of its runs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT, exitForRuns } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { parseSeedList, SEEDS_MAX } from '../../cli/seed-list.ts'
import { validateSeedSummary, type SeedSummary } from '../../reports/seed-summary.ts'
import type { RunResult } from '../../result/result.ts'
import { captureIo } from '../helpers/io.ts'

describe('--seeds lists', () => {
  it.each([
    ['1..10', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['1,3,5', [1, 3, 5]],
    ['1..5,9', [1, 2, 3, 4, 5, 9]],
    [' 0 , 7..8 ', [0, 7, 8]],
    ['4', [4]],
    ['9,2', [9, 2]],
  ])('%s', (text, seeds) => {
    expect(parseSeedList(text)).toEqual(seeds)
  })

  it(`holds at most ${SEEDS_MAX} seeds, checked before a range is expanded`, () => {
    expect(parseSeedList(`1..${SEEDS_MAX}`)).toHaveLength(SEEDS_MAX)
    expect(() => parseSeedList('0..1000000000000000')).toThrow(/more than 1000 seeds/)
  })

  it.each([
    [['run', 'bot-purge', '--seeds', ''], /--seeds "": an empty seed/],
    [['run', 'bot-purge', '--seeds', '1,,3'], /an empty seed/],
    [['run', 'bot-purge', '--seeds', '1..'], /"1\.\." is neither a seed/],
    [['run', 'bot-purge', '--seeds', '-1'], /"-1" is neither a seed/],
    [['run', 'bot-purge', '--seeds', '1.5'], /"1\.5" is neither a seed/],
    [['run', 'bot-purge', '--seeds', '5..1'], /the range 5\.\.1 runs backwards/],
    [['run', 'bot-purge', '--seeds', '1..3,3'], /seed 3 is named twice/],
    [['run', 'bot-purge', '--seeds', '1..1001'], /more than 1000 seeds/],
    [['run', 'bot-purge', '--seeds', '99999999999999999999'], /is above 9007199254740991/],
    [['run', 'bot-purge', '--seeds', '1..2', '--seed', '3'], /--seeds runs every seed it lists; --seed names one/],
  ])('%j is a usage error', (argv, message) => {
    const io = captureIo()
    expect(main(argv, io)).toBe(EXIT.USAGE)
    const { out, err } = io.text()
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(message)
    expect(err).toMatch(/\[LS_BAD_FLAG\]$/m)
  })
})

describe('run --seeds', () => {
  it('runs each seed into its folder, writes seeds.json and prints the table; exits as the worst run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'likestorm-seeds-'))
    // An earlier summary (of other seeds) is replaced.
    mkdirSync(join(out, 'bot-purge'), { recursive: true })
    writeFileSync(join(out, 'bot-purge', 'seeds.json'), '{"stale": true}')
    const io = captureIo()
    const code = await main(['run', 'bot-purge', '--seeds', '1..2', '--scale', '0.2', '--no-reports', '--quiet', '--out', out], io)
    const { out: text } = io.text()

    const results = [1, 2].map((seed) => JSON.parse(readFileSync(join(out, 'bot-purge', `seed-${seed}`, 'result.json'), 'utf8')) as RunResult)
    expect(results.map((result) => result.seed)).toEqual([1, 2])
    expect(results[0]?.replay).toContain('--seed 1 ')
    expect(existsSync(join(out, 'bot-purge', 'result.json'))).toBe(false)
    expect(code).toBe(exitForRuns(results))

    const summary = JSON.parse(readFileSync(join(out, 'bot-purge', 'seeds.json'), 'utf8')) as SeedSummary
    expect(validateSeedSummary(summary)).toEqual([])
    expect(summary).toMatchObject({ scenario: 'bot-purge', scale: 0.2, seeds: [1, 2], notRun: [], runs: [{ seed: 1, result: 'seed-1/result.json' }, { seed: 2, result: 'seed-2/result.json' }] })
    // The summary is of these runs' numbers: stealthy recall's mean is the mean of the two results'.
    const stealthy = summary.metrics.find((metric) => metric.path === 'detection.byFarmKind.stealthy.recall')
    const recalls = results.map((result) => result.detection?.byFarmKind.stealthy.recall as number)
    expect(stealthy?.stats?.n).toBe(2)
    expect(stealthy?.stats?.mean).toBeCloseTo((recalls[0] as number) / 2 + (recalls[1] as number) / 2, 12)

    // One line per seed's run, then the summary: its head and the table.
    expect(text).toMatch(/bot-purge\s+robust\s+sim scale 0\.2 .*seed-1\/result\.json/)
    expect(text).toMatch(/bot-purge\s+robust\s+sim scale 0\.2 .*seed-2\/result\.json/)
    expect(text).toContain('bot-purge over 2 seeds (1,2) · robust · sim scale 0.2 · built-in detector')
    expect(text).toMatch(/\n {2}stealthy recall\s+2\s+\d\.\d{3}/)
    expect(text).toContain(`seeds.json: ${join(out, 'bot-purge', 'seeds.json')}`)
    for (const line of text.split('\n')) if (!/^\s*(replay|seeds\.json:|\/)/.test(line) && !line.includes(out)) expect(line.length, line).toBeLessThanOrEqual(120)
    // Failing seeds get their replay command.
    for (const result of results) if (result.verdict !== 'pass') expect(text).toContain(`replay seed ${result.seed}: ${result.replay}`)
  })
})
