// A user's detector in mode http: the embedded server loads the module on its own thread and its
// bot purges use it instead of the built-in one; the result records it and the replay names it,
// and its scores (and the facts-only baseline's) come back with the purge's report: a curve.
// (A --target purges with its own detector: refused, in detector-module.test.ts.)
import { describe, expect, it } from 'vitest'
import { loadDetectorFile } from '../../../../mock-server/detector-file.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import type { Scenario } from '../../../../scenarios/scenario.ts'
import { scenario } from '../../../helpers/runs.ts'

const ROOT = new URL('../../../..', import.meta.url).pathname

/** bot-purge in 12 s: its careless farm bursts from 1 s, the purge at 9 s. */
function shortBotPurge(): Scenario {
  const full = scenario('bot-purge')
  const world = full.world ?? {}
  return {
    ...full,
    durationS: 12,
    world: { ...world, fanGroups: [], farms: [{ kind: 'careless', accounts: 500, targetVideos: 12, startS: 1, burstS: 5, ipBlocks: 3, region: 'us-east' }] },
    load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 600, timeUnit: '1s', duration: '12s', preAllocatedVUs: 200, maxVUs: 2000 } } },
    faults: [{ kind: 'bot-purge', startS: 9, endS: 10 }],
  }
}

describe('mode http with --detector', () => {
  it("purges with the user's detector on the embedded server, and records it", async () => {
    const loaded = await loadDetectorFile('examples/detectors/facts-only.ts', { cwd: ROOT })
    if (!loaded.ok) throw new Error(loaded.problem)
    const { result } = await runScenarioHttp({ scenario: shortBotPurge(), seed: 7, scale: 0.2, timeScale: 0.25, detector: loaded.module })
    expect(result.detector).toMatchObject({ name: 'facts-only', path: 'examples/detectors/facts-only.ts' })
    const purged = result.detection?.purged?.accounts.filter((account) => account.purge === 'bot') ?? []
    expect(purged.length).toBeGreaterThan(0)
    // The built-in detector names campaigns (lockstep, co-like); facts-only names account facts only.
    expect(purged.some((account) => account.reasons.some((reason) => /lockstep|co-like/.test(reason)))).toBe(false)
    // The scores of every account come back with the purge's report: a curve over thresholds, and the facts-only baseline beside it.
    expect(result.detection?.curve?.name).toBe('facts-only')
    expect(result.detection?.curve?.points.length).toBeGreaterThanOrEqual(5)
    expect(result.detection?.baselines?.factsOnly?.points).toEqual(result.detection?.curve?.points)
    expect(result.replay).toContain('--mode http')
    expect(result.replay).toContain('--detector ./examples/detectors/facts-only.ts')
  }, 120_000)
})
