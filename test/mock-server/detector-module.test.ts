// The detector plug-in (--detector, docs/detectors.md): a module is checked all at once before a
// run and refused with one line (LS_BAD_DETECTOR, exit 2); a detector that fails during a run is
// reported by the purge that needed it (it removes nobody, and purge-accuracy fails naming why),
// never a crash and never a silent pass; a working one decides the purge by its scores.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../cli/exit-codes.ts'
import { main } from '../../cli/main.ts'
import { guardDetectorModule } from '../../mock-server/core/detection/detector-guard.ts'
import { defineDetector, type AccountScore, type DetectorModule } from '../../mock-server/core/detection/detector-module.ts'
import { loadDetectorFile } from '../../mock-server/detector-file.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { renderMarkdownReport } from '../../reports/markdown-report.ts'
import { loadReportAssets } from '../../reports/report-assets.ts'
import { validateResult } from '../../result/result-schema.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { botFarmWorld } from '../helpers/bot-farm-world.ts'
import { captureIo } from '../helpers/io.ts'
import { scenario } from '../helpers/runs.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const METHODS = "account() {}, like() {}, unlike() {}, view() {}, score() { return [] }"

function moduleFile(name: string, source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'likestorm-detector-')), name)
  writeFileSync(path, source)
  return path
}

/** A detector that counts each account's likes without a view before them, and scores that count. */
function unviewedLikes(overrides: Partial<DetectorModule> = {}): DetectorModule {
  return defineDetector({
    interfaceVersion: 1,
    name: 'unviewed-likes',
    description: 'likes without a view',
    purgeScoreMin: 10,
    create: () => {
      const unviewed = new Map<number, number>()
      return {
        account() {},
        like(event) {
          if (!event.viewedBefore) unviewed.set(event.user, (unviewed.get(event.user) ?? 0) + 1)
        },
        unlike() {},
        view() {},
        score: () => Array.from(unviewed, ([user, count]): AccountScore => ({ user, score: count, reasons: ['unviewed-likes'] })),
      }
    },
    ...overrides,
  })
}

describe('a detector module is checked before anything runs', () => {
  it('loads the facts-only example through the public package', async () => {
    const loaded = await loadDetectorFile('examples/detectors/facts-only.ts', { cwd: ROOT })
    expect(loaded.ok).toBe(true)
    if (loaded.ok) expect(loaded.file).toMatchObject({ path: 'examples/detectors/facts-only.ts', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  it.each([
    ['no-export.mjs', 'export const other = 1', /exports no detector/],
    ['version-2.mjs', `export default { interfaceVersion: 2, name: 'x', description: 'x', purgeScoreMin: 1, create() {} }`, /implements detector interface version 2; this LikeStorm speaks version 1/],
    ['fields.mjs', `export default { interfaceVersion: 1, name: 'Bad Name', purgeScoreMin: 'high', create() {} }`, /name "Bad Name".*; description: must be a string.*; purgeScoreMin: must be a finite number/],
    ['methods.mjs', `export default { interfaceVersion: 1, name: 'half', description: 'x', purgeScoreMin: 1, create: () => ({ like() {} }) }`, /create\(\) returned a detector without account\(\), unlike\(\), view\(\), score\(\)/],
    ['create-throws.mjs', `export default { interfaceVersion: 1, name: 'boom', description: 'x', purgeScoreMin: 1, create() { throw new RangeError('no') } }`, /create\(\) threw RangeError: no/],
  ])('%s is refused, naming the problem', async (name, source, problem) => {
    const loaded = await loadDetectorFile(moduleFile(name, source), { cwd: ROOT })
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) expect(loaded.problem).toMatch(problem)
  })

  it('on the command line: one line with LS_BAD_DETECTOR, exit 2, in either mode; and not with a --target, which purges with its own', async () => {
    const path = moduleFile('version-2.mjs', `export default { interfaceVersion: 2, name: 'x', description: 'x', purgeScoreMin: 1, create: () => ({ ${METHODS} }) }`)
    const out = join(mkdtempSync(join(tmpdir(), 'likestorm-detector-out-')), 'out')
    for (const [argv, message] of [
      [['run', 'bot-purge', '--detector', path, '--out', out], /^likestorm: --detector .*version-2\.mjs: implements detector interface version 2.* \[LS_BAD_DETECTOR\]$/],
      [['run', 'bot-purge', '--mode', 'http', '--detector', path, '--out', out], /^likestorm: --detector .*version-2\.mjs: implements detector interface version 2.* \[LS_BAD_DETECTOR\]$/],
      [['run', 'bot-purge', '--mode', 'http', '--target', 'http://127.0.0.1:9', '--detector', path, '--out', out], /a --target purges with its own detector \[LS_BAD_FLAG\]$/],
    ] as const) {
      const io = captureIo()
      expect(await main([...argv], io)).toBe(EXIT.USAGE)
      const err = io.text().err.trim()
      expect(err.split('\n')).toHaveLength(1)
      expect(err).toMatch(message)
    }
  })
})

describe('the purge acts on a threshold over the detector\'s scores', () => {
  it('removes exactly the accounts scoring at least purgeScoreMin, with their scores and reasons', () => {
    // 30 bots liking 30 videos each without a view; genuine accounts view first.
    const { core, endMs } = botFarmWorld({ bots: 30, likesPerBot: 30, detector: unviewedLikes() })
    const report = core.runBotPurge(endMs)
    expect(report.detectorError).toBeUndefined()
    expect(report.accounts).toHaveLength(30)
    expect(report.accounts.every((account) => account.userId.startsWith('b') && account.score === 30 && account.reasons[0] === 'unviewed-likes')).toBe(true)
    expect(report.removedLikes).toHaveLength(30 * 30)
    // Above every score: nobody.
    const strict = botFarmWorld({ bots: 30, likesPerBot: 30, detector: unviewedLikes({ purgeScoreMin: 31 }) })
    expect(strict.core.runBotPurge(strict.endMs).accounts).toEqual([])
  })
})

describe('a detector that fails during a run is reported by the purge, not a crash and not a silent pass', () => {
  const failing = (create: DetectorModule['create']): DetectorModule => guardDetectorModule(unviewedLikes({ name: 'failing', create }))
  const base = unviewedLikes().create

  it.each([
    ['score() throws', failing((s) => ({ ...base(s), score: () => { throw new TypeError('lost my table') } })), /detector failing: score\(\) threw TypeError: lost my table/],
    ['like() throws', failing((s) => ({ ...base(s), like: () => { throw new Error('full') } })), /detector failing: like\(\) threw Error: full at \d+\.\d{3} s; it received no event after that/],
    ['score() names an unknown account', failing((s) => ({ ...base(s), score: () => [{ user: 1e6, score: 1, reasons: [] }] })), /score\(\) returned entry 0: user 1000000 is no account the platform registered/],
    ['score() is not a number', failing((s) => ({ ...base(s), score: () => [{ user: 0, score: Number.NaN, reasons: [] }] })), /score NaN is not a finite number/],
  ])('%s', (_, detector, message) => {
    const { core, endMs } = botFarmWorld({ bots: 10, likesPerBot: 15, detector })
    const report = core.runBotPurge(endMs)
    expect(report.detectorError).toMatch(message)
    expect(report.accounts).toEqual([])
    expect(report.removedLikes).toEqual([])
  })

  it('in a run: the run completes, purge-accuracy fails naming the detector\'s fault, and result.json records the detector', () => {
    const detector = guardDetectorModule(unviewedLikes({ name: 'failing', create: (s) => ({ ...unviewedLikes().create(s), score: () => { throw new Error('boom') } }) }))
    const { result } = runScenario({ scenario: scenario('bot-purge'), seed: 3, scale: 0.2, detector })
    const check = result.checks.find((c) => c.name === 'purge-accuracy')
    expect(check?.status).toBe('fail')
    expect(check?.observed).toMatch(/the bot purge at [\d.]+ ?s removed nobody: detector failing: score\(\) threw Error: boom/)
    expect(result.detector).toEqual({ name: 'failing', interfaceVersion: 1 })
    // The library's expectations are the built-in detector's: not claimed for another.
    expect(result.expectation).toBeNull()
    expect(validateResult(result)).toEqual([])
  })
})

describe('curves, not flags: bot-purge with the facts-only example as the detector', () => {
  it('writes detection.curve (at least 5 points) and the facts-only baseline; the reports draw and tabulate it', async () => {
    const loaded = await loadDetectorFile('examples/detectors/facts-only.ts', { cwd: ROOT })
    if (!loaded.ok) throw new Error(loaded.problem)
    const { result } = runScenario({ scenario: scenario('bot-purge'), seed: 3, scale: 0.2, detector: loaded.module })
    expect(validateResult(result)).toEqual([])
    expect(result.detector).toMatchObject({ name: 'facts-only', path: 'examples/detectors/facts-only.ts' })
    expect(result.replay).toBe('npx likestorm run bot-purge --seed 3 --detector ./examples/detectors/facts-only.ts --scale 0.2')
    const d = result.detection
    expect(d?.curve?.name).toBe('facts-only')
    expect(d?.curve?.points.length).toBeGreaterThanOrEqual(5)
    // The purge's detector is the baseline here: the two judge the same scores alike.
    expect(d?.baselines?.factsOnly?.points).toEqual(d?.curve?.points)
    expect(d?.baselines?.factsOnly?.recall).toBe(d?.recall)
    expect(d?.falsePositiveCost?.genuineAccounts).toBe((d?.confusion.genuine.botPurge ?? 0) + (d?.confusion.inactive.botPurge ?? 0))
    // Traceable: every purged account and removed like is listed or counted; people (the mistakes) first.
    const purged = d?.purged
    expect((purged?.accounts.length ?? 0) + (purged?.accountsNotListed ?? 0)).toBe(Object.values(d?.confusion ?? {}).reduce((sum, row) => sum + row.botPurge + row.inactivePurge, 0))
    expect((purged?.likes.length ?? 0) + (purged?.likesNotListed ?? 0)).toBe(d?.likesRemoved)
    expect(purged?.accounts.length).toBeLessThanOrEqual(200)
    const kinds = purged?.accounts.map((account) => (account.kind === 'genuine' || account.kind === 'inactive' ? 0 : 1)) ?? []
    expect(kinds).toEqual([...kinds].sort())
    expect(purged?.accounts[0]).toMatchObject({ purge: 'bot', score: expect.any(Number), reasons: expect.any(Array) })
    expect(renderMarkdownReport(result, { htmlHref: 'report.html' })).toMatch(/\| score ≥ \| flagged \| precision \| recall \| genuine FPR \|/)
    expect(renderHtmlReport(result, loadReportAssets())).toMatch(/<svg class="pr-curve" id="detection-curve"/)
  })
})
