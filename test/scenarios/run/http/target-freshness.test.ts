// A --target left with an earlier run's likes: found before the traffic, reset through the admin
// API with a token, else the run stops with LS_DIRTY_TARGET (exit 2), or runs with
// --allow-dirty-target and says which checks the leftovers would fool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { worldFactory } from '../../../../cli/commands/serve.ts'
import { buildServer, type EngagementServer } from '../../../../mock-server/http/app.ts'
import { applyOverrides } from '../../../../scenarios/overrides.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { freshLikeCounts, freshnessSample, inspectFreshness, judgeFreshness } from '../../../../scenarios/run/http/target-freshness.ts'
import { prepareRun } from '../../../../scenarios/run/run-setup.ts'
import { notApplicableReason } from '../../../../sim/checks/applicability.ts'
import { scenario } from '../../../helpers/runs.ts'
import type { RunResult } from '../../../../result/result.ts'
import type { History } from '../../../../sim/history.ts'

const WORLD = { seed: 7, scale: 0.05 } as const
const token = 'freshness-token-0123456789'
// Baseline's world, 4 s of its traffic in 2 s of wall time. A target runs on its own clock, its
// capacity its own in real time: compressed 10x (20 s in 2 s), the traffic overloaded it, robust
// shed most of it and acknowledged likes hovered at the exercised check's 25% minimum.
const short = applyOverrides(scenario('baseline'), { durationS: 4 }).scenario
const TIME_SCALE = 0.5
const setup = prepareRun({ scenario: short, ...WORLD })
const { population } = setup

describe('judging freshness (pure)', () => {
  it('compares the sampled videos with a fresh world: its seeded likes, no views', () => {
    const expected = freshLikeCounts(population, true)
    const sample = freshnessSample(population)
    expect(new Set(sample).size).toBe(sample.length)
    expect(sample).toContain(population.rankToVideo[0])
    const fresh = sample.map((video) => ({ video, likeCount: expected[video], viewCount: 0 }))
    expect(judgeFreshness(population, expected, fresh)).toMatchObject({ fresh: true, answered: sample.length })
    const video = sample[0] as number
    const dirty = judgeFreshness(population, expected, [{ video, likeCount: (expected[video] as number) + 2, viewCount: 5 }])
    expect(dirty.fresh).toBe(false)
    expect(dirty.detail).toBe(`1 of 1 sampled videos differ from a fresh world: ${population.videoIds.get(video)} has ${(expected[video] as number) + 2} like(s) and 5 view(s) (fresh: ${expected[video]} and 0)`)
    // A target that holds no world is fresh with nothing on it.
    expect(freshLikeCounts(population, false).every((n) => n === 0)).toBe(true)
  })

  it('makes the checks leftover state would fool not applicable, and keeps those of what the run sent', () => {
    const facts = { distinctRegions: 4, likeStates: true, creatorsKnown: true, staleness: true, source: 'its capabilities document says so', leftoverState: '3 of 32 sampled videos differ' }
    expect(notApplicableReason('no-double-count', facts)).toMatch(/held state from before the run \(3 of 32 sampled videos differ\) and --allow-dirty-target was given/)
    for (const name of ['counter-bounds', 'view-counts', 'notifications'] as const) expect(notApplicableReason(name, facts)).toBeDefined()
    for (const name of ['no-lost-likes', 'last-intent', 'no-flip', 'convergence'] as const) expect(notApplicableReason(name, facts)).toBeUndefined()
  })
})

/** A mock server holding baseline's world, left with an earlier run's likes: the most popular video liked by a few users, through /v1. */
async function dirtyServer(): Promise<{ server: EngagementServer; target: string }> {
  const server = await buildServer({ coreFactory: worldFactory, initialWorld: { scenario: 'baseline', ...WORLD, strategy: 'robust' }, adminToken: token })
  const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
  const url = addresses[0]?.url as string
  const video = population.videoIds.get(population.rankToVideo[0] as number) as string
  for (const user of [...population.userIds].slice(0, 5)) {
    await fetch(`${url}/v1/videos/${video}/likes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user }) })
  }
  return { server, target: addresses.map((a) => `${a.region}=${a.url}`).join(',') }
}

describe('inspecting a target that does not answer', () => {
  it('stops asking at the first read without an answer, and leaves its state unknown rather than dirty', async () => {
    let sent = 0
    const silent = { send: async () => (sent++, { status: 0, body: undefined, retryAfterS: undefined, sentAt: 0, doneAt: 1, failure: 'timeout' as const }) }
    const report = await inspectFreshness({ client: silent, region: population.regionIds[0] as string, population, worldLoaded: false })
    // One read per reader in flight when the first came back empty, not the whole sample.
    expect(sent).toBeLessThanOrEqual(8)
    expect(freshnessSample(population).length).toBeGreaterThan(8)
    expect(report).toMatchObject({ fresh: true, answered: 0 })
  })
})

describe('inspecting a target that remembers what it answered', () => {
  it("keeps the time of each fresh answer's state: the target may serve it later as its last known good", async () => {
    const sample = freshnessSample(population)
    // The target's clock stands at 5000; every third answer is stale, every fifth claims no time.
    const answers = sample.map((_, n) => (n % 5 === 4 ? { likeCount: 0, viewCount: 0 } : { likeCount: 0, viewCount: 0, stale: n % 3 === 2, asOfMs: 5000 - n }))
    let next = 0
    const client = { send: async () => ({ status: 200, body: answers[next++], retryAfterS: undefined, sentAt: 0, doneAt: 1, failure: undefined }) }
    const inspection = await inspectFreshness({ client, region: population.regionIds[0] as string, population, worldLoaded: false })
    const kept = inspection.observed.filter((o) => o.asOfMs !== undefined)
    expect(kept.length).toBe(answers.filter((a) => a.stale === false).length)
    expect(kept.length).toBeGreaterThan(0)
    for (const { video, asOfMs } of kept) expect(asOfMs).toBe(5000 - sample.indexOf(video))
  })
})

describe('a --target left dirty by an earlier run', () => {
  // Two dirty servers: the runs with --allow-dirty-target and with a token go side by side (each
  // mostly waits for the target's quiet period), and the reset of one leaves the other dirty.
  const servers: EngagementServer[] = []
  let targets: { allowed: string; reset: string }
  let runs: Promise<[RunResult, RunResult]>
  /** The reset run's reads before its clock started (History.countsReadBefore). */
  let resetReadBefore: Promise<History['countsReadBefore']>

  beforeAll(async () => {
    const [allowed, reset] = await Promise.all([dirtyServer(), dirtyServer()])
    servers.push(allowed.server, reset.server)
    targets = { allowed: allowed.target, reset: reset.target }
  })

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close({ drainMsMax: 1000 })))
  })

  it('stops before the traffic with LS_DIRTY_TARGET when it has no admin token', async () => {
    await expect(runScenarioHttp({ scenario: short, ...WORLD, timeScale: TIME_SCALE, target: targets.allowed })).rejects.toMatchObject({
      code: 'LS_DIRTY_TARGET',
      message: expect.stringMatching(/^the target is not fresh \(\d+ of \d+ sampled videos differ from a fresh world: .*\) and the run has no admin token \(--admin-token\): restart it, pass --admin-token to reset it, or --allow-dirty-target/),
    })
    // Both runs start once the refused one has shown the first server still dirty.
    const reset = runScenarioHttp({ scenario: short, ...WORLD, timeScale: TIME_SCALE, target: targets.reset, adminToken: token })
    resetReadBefore = reset.then((run) => run.history.countsReadBefore)
    runs = Promise.all([runScenarioHttp({ scenario: short, ...WORLD, timeScale: TIME_SCALE, target: targets.allowed, allowDirtyTarget: true }).then((run) => run.result), reset.then((run) => run.result)])
  }, 60_000)

  it('runs with --allow-dirty-target, says so, and leaves the checks leftovers would fool not applicable', async () => {
    const [result] = await runs
    expect(result.config.http?.capabilities?.state).toMatchObject({ fresh: false, action: 'allowed-dirty' })
    expect(result.checks.find((c) => c.name === 'no-double-count')?.status).toBe('not-applicable')
    expect(result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)).toEqual([])
    expect(result.replay).toMatch(/ --allow-dirty-target/)
  }, 120_000)

  it('resets it through the admin API with a token, and then passes', async () => {
    const [, result] = await runs
    expect(result.config.http?.capabilities?.state).toMatchObject({ fresh: true, action: 'reset' })
    expect(result.checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)).toEqual([])
    expect(result.checks.find((c) => c.name === 'no-double-count')?.status).toBe('pass')
    // What the reset world answered the inspection, on the run's clock: before it began. The
    // dirty world's answers, on the clock the reset restarted, are not its last known good.
    const readBefore = await resetReadBefore
    expect(readBefore.length).toBeGreaterThan(0)
    expect(readBefore.length).toBeLessThanOrEqual(freshnessSample(population).length)
    for (const read of readBefore) expect([read.region, read.asOfMs <= 0, read.asOfMs > -10_000]).toEqual([0, true, true])
  }, 120_000)
})
