// Mode http judges the system only when the load generator did its own job. A run whose generator
// is starved (here: a busy loop in this very process, as a busy neighbour would) says its timing
// checks are inconclusive, with the measured cause, while its data invariants are judged as
// always; the same run unstarved keeps its schedule and passes. A target built from another world
// is found out in the first answers and stops the run with a usage error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngagementCore } from '../../../../mock-server/core/engagement-core.ts'
import { ROBUST } from '../../../../mock-server/core/strategy.ts'
import { buildServer, type EngagementServer } from '../../../../mock-server/http/app.ts'
import { renderHealthLine } from '../../../../cli/summary.ts'
import { validateResult } from '../../../../result/result-schema.ts'
import { UsageError } from '../../../../scenarios/errors.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { coreConfigFor, directoryFor, importedLikesFor, prepareRun } from '../../../../scenarios/run/run-setup.ts'
import type { Scenario } from '../../../../scenarios/scenario.ts'
import { scenario } from '../../../helpers/runs.ts'

/** A small world, about 60 operations a second of scenario time for 8 s, at half the wall time: a send is late past 50 ms. */
const small: Scenario = {
  ...scenario('baseline'),
  name: 'harness-health',
  durationS: 8,
  world: { genuineUsers: 4000, creators: 200, videos: 400 },
  system: { capacityRps: { 'us-east': 2000, 'us-west': 2000, 'eu-west': 2000, 'ap-southeast': 2000 } },
  load: {
    scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 400, timeUnit: '1s', duration: '8s', preAllocatedVUs: 200, maxVUs: 1000 } },
    thresholds: { http_req_duration: ['p(99)<60000'] },
  },
}
const RUN = { scenario: small, seed: 7, scale: 0.05, timeScale: 0.5 } as const

describe('the load generator judges itself', () => {
  it('keeps the schedule of a light run and passes', async () => {
    const { result } = await runScenarioHttp(RUN)
    const health = result.config.http?.health
    // The run needs a tenth of a core. Only a machine loaded past its cores can leave this thread
    // unscheduled (or the embedded server's) for longer than the late threshold; then it must say
    // so and blame the machine.
    if (health?.scheduleKept === false && health.loadAverage1m > health.coresAvailable) {
      expect(health.cause).toMatch(new RegExp(`the machine is busy(: | \\()load average ${health.loadAverage1m} on ${health.coresAvailable} cores`))
      expect(result.verdict).toBe('inconclusive')
      return
    }
    expect(health?.scheduleKept, health?.cause).toBe(true)
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([])
    expect(health?.operationsReleased).toBe(result.metrics.operations)
    expect(health?.lateThresholdMs).toBe(50)
    expect(result.verdict).toBe('pass')
    expect(renderHealthLine(health!)).toMatch(/^load generator: kept the schedule \(schedule lag p99 [\d.]+ ms, [\d.]+% sent > 50 ms late/)
  }, 60_000)

  it('says the timing checks are inconclusive, and why, when a busy loop starves it', async () => {
    // Three quarters of every 200 ms blocked: a send due in a blocked stretch leaves up to 150 ms late.
    const hog = setInterval(() => {
      const until = performance.now() + 150
      while (performance.now() < until);
    }, 200)
    let result
    try {
      ;({ result } = await runScenarioHttp(RUN))
    } finally {
      clearInterval(hog)
    }
    const health = result.config.http?.health
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([])
    expect(health?.scheduleKept).toBe(false)
    expect(health?.lateShare).toBeGreaterThan(0.01)
    expect(health?.cause).toMatch(/^the load generator could not drive the offered load: [\d.]+% of operations were sent more than 50 ms late \(schedule lag p99 [\d.]+ ms/)
    expect(health?.cause).toMatch(/raise --time-scale/)
    const threshold = result.checks.find((c) => c.kind === 'threshold')
    expect(threshold?.status).toBe('inconclusive')
    expect(threshold?.observed).toContain(`INCONCLUSIVE: ${health?.cause}`)
    // Data invariants are judged whatever the generator's health.
    expect(result.checks.filter((c) => c.kind === 'invariant').map((c) => c.status)).not.toContain('inconclusive')
    expect(result.verdict).toBe('inconclusive')
    expect(renderHealthLine(health!)).toBe(`harness: INCONCLUSIVE timing: ${health?.cause}`)
  }, 60_000)
})

describe('a target that serves another world', () => {
  let server: EngagementServer
  let target = ''

  beforeAll(async () => {
    // The server is built for a tenth of the world; the run below drives a twentieth of it.
    const setup = prepareRun({ scenario: scenario('baseline'), seed: 7, scale: 0.1 })
    const core = new EngagementCore(coreConfigFor(setup), ROBUST)
    core.loadDirectory(directoryFor(setup.population))
    core.importLikes(importedLikesFor(setup.population))
    server = await buildServer({ core, adminToken: 'test-token-0123456789abcdef' })
    const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
    target = addresses.map((a) => `${a.region}=${a.url}`).join(',')
  })

  afterAll(async () => {
    await server.close({ drainMsMax: 1000 })
  })

  it('stops the run in its first seconds with a usage error that says how to fix it', async () => {
    const started = performance.now()
    const run = runScenarioHttp({ scenario: scenario('baseline'), seed: 7, scale: 0.05, timeScale: 0.1, target })
    await expect(run).rejects.toThrow(UsageError)
    await expect(run).rejects.toMatchObject({ code: 'LS_WORLD_MISMATCH' })
    await expect(run).rejects.toThrow(/serves another world: \d+ of the first 100 answers named an unknown user or video .*likestorm serve --scenario baseline --seed 7 --scale 0\.05$/)
    // baseline lasts 12 s of wall time at this time scale; the mismatch is seen within a few.
    expect(performance.now() - started).toBeLessThan(10_000)
  }, 60_000)
})
