// Services written by a third party from the docs alone (test/fixtures/services/like-service.ts):
// plain node:http, only the /v1 routes, no admin API, ids taken on first use, their own clock. The
// correct one passes baseline and like-flap with every check it can be judged by (notifications is
// not applicable: it does not know who created which video, unless it is given the world); each
// planted defect fails the check that names it; a service that answers nothing never passes. The
// runs are small (a world of 400 users, 40 videos; 20 s of scenario at --time-scale 0.15: 3 s of
// traffic) and go four or five at a time: each spends most of its wall time waiting (the target's 5 s
// quiet period).
import { describe, expect, it } from 'vitest'
import type { CheckOutcome, RunResult } from '../../../../result/result.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import type { Scenario } from '../../../../scenarios/scenario.ts'
import { PROVISIONING_PATH, startLikeService, type Defect, type LikeServiceOptions } from '../../../fixtures/services/like-service.ts'
import { scenario } from '../../../helpers/runs.ts'
import { DEFAULT_BEHAVIOUR } from '../../../../sim/world-spec.ts'

const CAPACITY_RPS = { 'us-east': 1000, 'us-west': 1000, 'eu-west': 1000, 'ap-southeast': 1000 }

/**
 * A library scenario on a small world, 20 s long, with more likes (x8), unlikes (x3) and
 * read-backs (x2) than the library's, so that a small run has enough of each to judge; its timing
 * thresholds left out (the data is what is judged here).
 */
function tiny(name: string, ratePerS: number): Scenario {
  const library = scenario(name)
  const b = { ...DEFAULT_BEHAVIOUR, ...library.world.behaviour }
  return {
    ...library,
    name: `${name}-tiny`,
    durationS: 20,
    world: { ...library.world, genuineUsers: 400, creators: 20, videos: 40, behaviour: { ...library.world.behaviour, likeAfterViewP: Math.min(1, 8 * b.likeAfterViewP), unlikeP: 3 * b.unlikeP, readBackP: 2 * b.readBackP } },
    load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: ratePerS, timeUnit: '1s', duration: '20s', preAllocatedVUs: 20, maxVUs: 400 } } },
    system: { ...library.system, capacityRps: CAPACITY_RPS },
  }
}

const BASELINE = tiny('baseline', 30)
const LIKE_FLAP = tiny('like-flap', 20)
const RUN = { seed: 7, scale: 1, timeScale: 0.15 } as const

/** A fresh service for the run, one listener per region of the scenario (or per region it names: then --target is its first URL). */
async function runAgainst(service: Omit<LikeServiceOptions, 'regions'> & { regions?: readonly string[] }, scenarioToRun: Scenario): Promise<RunResult> {
  const regions = service.regions ?? prepareRun({ scenario: scenarioToRun, seed: RUN.seed, scale: RUN.scale }).population.regionIds
  const started = await startLikeService({ ...service, regions })
  try {
    const target = service.regions === undefined ? started.target : (started.urls[regions[0] as string] as string)
    return (await runScenarioHttp({ scenario: scenarioToRun, ...RUN, target })).result
  } finally {
    await started.close()
  }
}

const defective = (defect: Defect): Omit<LikeServiceOptions, 'regions'> => ({ defects: [defect] })

/**
 * Every run of this file, once: in two waves side by side (each run spends most of its wall time
 * waiting), the silent service's run beside them; more at once would crowd each other's traffic
 * off one event loop on a busy machine.
 */
const runs = (() => {
  let all: Promise<Record<string, RunResult>> | undefined
  const waves: ReadonlyArray<Record<string, () => Promise<RunResult>>> = [
    {
      correctBaseline: () => runAgainst({}, BASELINE),
      correctLikeFlap: () => runAgainst({}, LIKE_FLAP),
      declared: () =>
        runAgainst(
          {
            regions: ['main'],
            provisioning: true,
            capabilities: (urls) => ({ version: 1, regions: urls, likedLists: true, notifications: true, world: 'loaded', staleness: 'asOf', provisioning: { path: PROVISIONING_PATH } }),
          },
          LIKE_FLAP,
        ),
      doubleCount: () => runAgainst(defective('double-count'), LIKE_FLAP),
    },
    {
      flip: () => runAgainst(defective('flip-read-backs'), BASELINE),
      loseUnlikes: () => runAgainst(defective('lose-unlikes'), BASELINE),
      miscountViews: () => runAgainst(defective('miscount-views'), LIKE_FLAP),
      dropLikes: () => runAgainst(defective('drop-likes'), LIKE_FLAP),
    },
  ]
  return (): Promise<Record<string, RunResult>> => {
    all ??= (async () => {
      // The silent service's run beside both waves: it only waits for timeouts (nothing answers), the longest of all.
      const silent = runAgainst({ silent: true }, BASELINE)
      const results: Record<string, RunResult> = {}
      for (const wave of waves) {
        const names = Object.keys(wave)
        const done = await Promise.all(names.map((name) => (wave[name] as () => Promise<RunResult>)()))
        names.forEach((name, i) => (results[name] = done[i] as RunResult))
      }
      results['silent'] = await silent
      return results
    })()
    return all
  }
})()

function check(result: RunResult, name: string): CheckOutcome {
  const found = result.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`check ${name} did not run`)
  return found
}

const failing = (result: RunResult): string[] => result.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.observed}`)

describe('a correct third-party service (only /v1, no admin API, no creators known)', () => {
  it.each([['baseline', 'correctBaseline'], ['like-flap', 'correctLikeFlap']])('passes %s: every invariant judged passes, notifications not applicable with the reason', async (_name, key) => {
    const result = (await runs())[key] as RunResult
    expect(failing(result)).toEqual([])
    for (const name of ['exercised', 'no-lost-likes', 'no-double-count', 'counter-bounds', 'bounded-staleness', 'never-zero', 'view-counts', 'no-flip', 'last-intent', 'convergence']) expect(check(result, name).status, name).toBe('pass')
    expect(check(result, 'notifications').status).toBe('not-applicable')
    expect(check(result, 'notifications').observed).toMatch(/^not applicable: the target does not know who created which video.*it serves no capabilities document/)
    const capabilities = result.config.http?.capabilities
    expect(capabilities).toMatchObject({ source: 'probed', likedLists: true, likeStates: 'lists', staleness: 'asOf', notifications: false, world: 'none', admin: 'none', distinctRegions: 4 })
    // Its asOfMs (Date.now()) bound the offset from below, its Date headers pin it across a second's turn.
    expect(capabilities?.clock.by).toBe('date')
    expect(capabilities?.clock.uncertaintyWallMs).toBeLessThan(10)
    // The replay reaches every region again, not only the first.
    expect(result.replay).toContain(`--target us-east=${capabilities?.regions['us-east']},us-west=${capabilities?.regions['us-west']},`)
  }, 120_000)

  it('that declares one region and takes the world by a provisioning request is judged on notifications too, and passes; convergence is not applicable', async () => {
    const result = (await runs())['declared'] as RunResult
    expect(failing(result)).toEqual([])
    expect(check(result, 'notifications').status).toBe('pass')
    expect(check(result, 'convergence').status).toBe('not-applicable')
    expect(check(result, 'convergence').observed).toMatch(/^not applicable: the target is one region/)
    const capabilities = result.config.http?.capabilities
    expect(capabilities).toMatchObject({ source: 'document', world: 'loaded', notifications: true, distinctRegions: 1 })
    expect(capabilities?.notes.join('\n')).toMatch(/^provisioned: POST http:\/\/127\.0\.0\.1:\d+\/likestorm\/world took the world/m)
    // Every region of the scenario went to the one front door; the replay names it for each.
    expect(new Set(Object.values(capabilities?.regions ?? {})).size).toBe(1)
    expect(result.replay).toMatch(/--target us-east=http:\/\/127\.0\.0\.1:(\d+),us-west=http:\/\/127\.0\.0\.1:\1,/)
  }, 120_000)
})

describe('a third-party service with one defect fails the check that names it', () => {
  it.each([
    ['counts a retried or duplicated like again (ignores Idempotency-Key)', 'doubleCount', 'no-double-count'],
    ['reads a standing like back as not liked', 'flip', 'no-flip'],
    ['acknowledges unlikes it does not apply', 'loseUnlikes', 'last-intent'],
    ['counts some views twice', 'miscountViews', 'view-counts'],
    ['acknowledges likes it does not store', 'dropLikes', 'no-lost-likes'],
  ])('a service that %s fails %s', async (_what, key, name) => {
    const result = (await runs())[key] as RunResult
    expect(check(result, 'exercised').status).toBe('pass')
    expect(check(result, name).status, check(result, name).observed).toBe('fail')
    expect(result.verdict).toBe('fail')
  }, 120_000)
})

describe('a service that answers nothing', () => {
  it('is never passed: exercised fails, with how the requests ended', async () => {
    const result = (await runs())['silent'] as RunResult
    expect(result.verdict).not.toBe('pass')
    expect(check(result, 'exercised').status).toBe('fail')
    expect(check(result, 'exercised').observed).toMatch(/^0 of [\d,]+ operations acknowledged/)
    expect(result.config.http?.capabilities?.notes.join('\n')).toMatch(/answered none of \d+ reads in a row/)
  }, 120_000)
})
