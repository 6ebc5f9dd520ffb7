// Mode http end to end, small and fast: the world over real loopback sockets to the mock server
// (embedded, or started separately as a --target), judged by the same checkers as mode sim.
import { createHook } from 'node:async_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngagementCore } from '../../../../mock-server/core/engagement-core.ts'
import { NAIVE, ROBUST } from '../../../../mock-server/core/strategy.ts'
import { buildServer, type EngagementServer } from '../../../../mock-server/http/app.ts'
import { UsageError } from '../../../../scenarios/errors.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { parseTarget } from '../../../../scenarios/run/http/target.ts'
import { coreConfigFor, directoryFor, importedLikesFor, prepareRun } from '../../../../scenarios/run/run-setup.ts'
import type { Scenario } from '../../../../scenarios/scenario.ts'
import type { RunResult } from '../../../../result/result.ts'
import type { FaultSpec } from '../../../../sim/faults.ts'
import { scenario } from '../../../helpers/runs.ts'

const SMALL = { seed: 7, scale: 0.05, timeScale: 0.1 } as const

/** Timers created by code under `pathPart` that are still pending; stop() lists them (their creation stacks). */
function liveTimersFrom(pathPart: string): { stop(): string[] } {
  const live = new Map<number, string>()
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return
      const stack = new Error().stack ?? ''
      if (stack.split('\n').some((frame) => frame.includes(pathPart) && !frame.includes('/test/'))) live.set(id, stack)
    },
    destroy(id) {
      live.delete(id)
    },
  }).enable()
  return {
    stop: () => {
      hook.disable()
      return [...live.values()]
    },
  }
}
const invariantFailures = (checks: ReadonlyArray<{ kind: string; status: string; name: string }>): string[] =>
  checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => c.name)
/** The failed invariants with what each observed and its first example: a run that should pass and did not says why. */
const invariantFailuresWithWhy = (checks: RunResult['checks']): string[] =>
  checks.filter((c) => c.kind === 'invariant' && c.status === 'fail').map((c) => `${c.name}: ${c.observed}${c.examples[0] === undefined ? '' : ` e.g. ${c.examples[0].message}`}`)

describe('mode http against the embedded mock server', () => {
  it('passes every invariant of baseline with robust, and records open-model latency', async () => {
    const timers = liveTimersFrom('/scenarios/run/http/')
    // Time scale 0.05: baseline is 120 s, the invariants are what is judged here.
    const { result } = await runScenarioHttp({ scenario: scenario('baseline'), ...SMALL, timeScale: 0.05, strategy: 'robust' })
    // Nothing of the run is left waiting: a leftover timer would hold the command open after it.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(timers.stop()).toEqual([])
    expect(invariantFailures(result.checks)).toEqual([])
    expect(result.mode).toBe('http')
    expect(result.interrupted).toBe(false)
    expect(result.metrics.operations).toBeGreaterThan(5000)
    expect(result.metrics.openModelLatencyMs?.count).toBeGreaterThan(0)
    expect(result.timeseries.openModelLatencyP99Ms?.length).toBe(result.timeseries.tMs.length)
    expect(result.config.http).toMatchObject({ target: 'embedded', timeScale: 0.05 })
    expect(result.replay).toBe('npx likestorm run baseline --seed 7 --mode http --scale 0.05 --time-scale 0.05')
  }, 120_000)

  it('catches the 2020 zero-likes bug of naive in overload-virginia', async () => {
    // Twice as compressed as the others: the bug is in the data (never-zero), which no schedule slip excuses.
    const { result } = await runScenarioHttp({ scenario: scenario('overload-virginia'), ...SMALL, timeScale: 0.05, strategy: 'naive' })
    expect(invariantFailures(result.checks)).toContain('never-zero')
    expect(result.passed).toBe(false)
    // As in mode sim: naive executes requests its clients gave up on, so its answers are slow and
    // every operation holds its VU until its timeouts; the VU budget grows from the schedule (no
    // arrival dropped, so goodput is judged: it collapses). Its queue outlives the traffic: the
    // final reads wait for it to drain (admin-watch.test.ts), one per region at a time, and what
    // they read is right (last-intent and convergence pass here as in sim; read before the drain,
    // the liked lists were unreadable and both failed).
    const status = (name: string): string | undefined => result.checks.find((c) => c.name === name)?.status
    expect(result.config.http?.droppedIterations).toBe(0)
    if (result.config.http?.health?.scheduleKept === true) expect(status('goodput')).toBe('fail')
    expect(status('last-intent')).toBe('pass')
    // A catch-up timed on a machine short of CPU is inconclusive (the server's replication ran late), never failed.
    expect(result.config.http?.health?.scheduleKept === true ? ['pass'] : ['pass', 'inconclusive']).toContain(status('convergence'))
  }, 120_000)

  it('keeps goodput through overload-virginia with robust, reading Retry-After on the scenario clock, and records the overload', async () => {
    // The embedded server's Retry-After is in scenario seconds: read as wall seconds at time scale
    // 0.1 it became 10 s of waiting per shed request, and recovery after the overload took 21 s.
    const { result } = await runScenarioHttp({ scenario: scenario('overload-virginia'), ...SMALL, timeScale: 0.05, strategy: 'robust' })
    expect(invariantFailures(result.checks)).toEqual([])
    const goodput = result.checks.find((c) => c.name === 'goodput')
    const health = result.config.http?.health
    // Robust keeps goodput; only a generator that measured it could not keep the schedule may say it could not judge.
    if (health?.scheduleKept === true) expect(goodput?.status).toBe('pass')
    else expect([goodput?.status, goodput?.observed.includes(`INCONCLUSIVE: ${health?.cause}`)]).toEqual(['inconclusive', true])
    // The overload is the traffic's own fault: recorded with its window, like every other fault.
    expect(result.faults.map((f) => [f.kind, f.startMs, f.endMs, f.skipped])).toEqual([['overload', 30_000, 100_000, undefined]])
  }, 120_000)

  it('stops cleanly when interrupted and names the signal', async () => {
    // The signal comes once the traffic has begun (starting the server's thread takes seconds on a
    // busy machine: a fixed delay could interrupt a run that had sent nothing yet).
    const abort = new AbortController()
    const started = performance.now()
    const onProgress = (progress: { attempts: number }): void => {
      if (progress.attempts > 0 && !abort.signal.aborted) abort.abort('SIGTERM')
    }
    const { result } = await runScenarioHttp({ scenario: scenario('soak'), ...SMALL, signal: abort.signal, onProgress })
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(result.interrupted).toBe(true)
    expect(result.stoppedBy).toEqual({ kind: 'signal', detail: 'SIGTERM' })
    expect(result.metrics.attempts).toBeGreaterThan(0)
  }, 60_000)

  it('stops at its wall bound and says it was the bound, not a signal', async () => {
    const started = performance.now()
    const { result } = await runScenarioHttp({ scenario: scenario('soak'), ...SMALL, durationMaxS: 2 })
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(result.stoppedBy).toEqual({ kind: 'time-limit', detail: '--time-limit 2 s reached' })
  }, 60_000)

  it('stops at the first crossed abortOnFail threshold and fails the run', async () => {
    const base = scenario('soak')
    const strict: Scenario = {
      ...base,
      name: 'abort-on-fail',
      // Nothing answers in under a microsecond: crossed as soon as anything is measured.
      load: { ...base.load, thresholds: { 'http_req_duration{op:view}': [{ threshold: 'p(99)<0.001', abortOnFail: true }] } },
    }
    const started = performance.now()
    const { result } = await runScenarioHttp({ scenario: strict, ...SMALL })
    // soak lasts 60 s of wall time at this time scale; the abort comes within seconds.
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(result.config.http?.abortedBy).toMatch(/^http_req_duration\{op:view\}: p\(99\)<0\.001 \(observed [\d.]+\)$/)
    expect(result.stoppedBy).toEqual({ kind: 'abort-on-fail', detail: result.config.http?.abortedBy })
    expect(result.passed).toBe(false)
    // Judged as failed, unless the generator measured that it could not keep its schedule in those seconds.
    expect(result.checks.find((c) => c.kind === 'threshold')?.status).toBe(result.config.http?.health?.scheduleKept === false ? 'inconclusive' : 'fail')
  }, 60_000)

  it('drives VU executors as a closed model', async () => {
    const closed: Scenario = {
      ...scenario('baseline'),
      name: 'closed-model',
      durationS: 20,
      load: { scenarios: { vus: { executor: 'constant-vus', vus: 8, duration: '20s' } } },
    }
    const { result } = await runScenarioHttp({ scenario: closed, ...SMALL, scale: 1 })
    expect(result.metrics.operations).toBeGreaterThan(100)
    expect(result.config.http?.peakVus).toBeLessThanOrEqual(8)
    expect(invariantFailures(result.checks)).toEqual([])
  }, 120_000)
})

describe('mode http against a --target', () => {
  let server: EngagementServer
  let firstUrl = ''
  const token = 'test-token-0123456789abcdef'
  const failover = scenario('region-failover')

  beforeAll(async () => {
    const setup = prepareRun({ scenario: failover, seed: SMALL.seed, scale: SMALL.scale })
    const core = new EngagementCore(coreConfigFor(setup), ROBUST)
    core.loadDirectory(directoryFor(setup.population))
    core.importLikes(importedLikesFor(setup.population))
    server = await buildServer({ core, adminToken: token })
    const addresses = await server.listen({ host: '127.0.0.1', port: 0 })
    // parseTarget maps regions to consecutive ports from the first; name each region instead.
    firstUrl = addresses.map((a) => `${a.region}=${a.url}`).join(',')
  })

  afterAll(async () => {
    await server.close({ drainMsMax: 1000 })
  })

  it('applies faults through the admin API: an outage is a refused connection and clients fail over', async () => {
    // The library's outage, 20 s of a 50 s run: the failover and the recovery after it.
    const outage = failover.faults.find((fault) => fault.kind === 'region-outage') as FaultSpec
    const shorter: Scenario = {
      ...failover,
      durationS: 50,
      faults: [{ ...outage, startS: 20, endS: 40 }],
      load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 800, timeUnit: '1s', duration: '50s', preAllocatedVUs: 200, maxVUs: 2000 } } },
    }
    const { result, skippedFaults, history } = await runScenarioHttp({ scenario: shorter, ...SMALL, target: firstUrl, adminToken: token })
    expect(skippedFaults).toEqual([])
    // The outage starts at 20 s of the scenario clock, not earlier: no connection was refused before it.
    let firstRefusedMs = Infinity
    for (let i = 0; i < history.length; i++) if (history.errorCode(i) === 'LS_CLIENT_CONNECTION_REFUSED') firstRefusedMs = Math.min(firstRefusedMs, history.invokeMsOf(i))
    expect(firstRefusedMs).toBeGreaterThanOrEqual(20_000)
    expect(result.strategy.name).toBe('target')
    expect(result.metrics.failovers).toBeGreaterThan(0)
    expect(result.metrics.errors['LS_CLIENT_CONNECTION_REFUSED']).toBeGreaterThan(0)
    expect(invariantFailuresWithWhy(result.checks)).toEqual([])
  }, 120_000)

  it('gives a target on its own clock its quiet period in its own time, so slow replication settles before the final reads', async () => {
    // The target's clock is the wall; the scenario runs 10x faster. Its replication takes 1.5 s of
    // its time, which is 15 s of scenario time: a quiet period of 5 s of scenario time (0.5 s of
    // wall) let the final reads catch regions still apart (convergence and view-counts failed).
    const slow: Scenario = {
      ...scenario('baseline'),
      name: 'slow-replication',
      durationS: 30,
      world: { genuineUsers: 4000, creators: 200, videos: 400 },
      // Ample capacity: the final reads are paced by it, on the target's (wall) clock.
      system: { capacityRps: { 'us-east': 20_000, 'us-west': 20_000, 'eu-west': 20_000, 'ap-southeast': 20_000 } },
      load: { scenarios: { sessions: { executor: 'constant-arrival-rate', rate: 80, timeUnit: '1s', duration: '30s', preAllocatedVUs: 50, maxVUs: 500 } } },
    }
    const setup = prepareRun({ scenario: slow, seed: SMALL.seed, scale: SMALL.scale })
    const core = new EngagementCore({ ...coreConfigFor(setup), replicationLagMs: {}, defaultReplicationLagMs: 1500 }, ROBUST)
    core.loadDirectory(directoryFor(setup.population))
    core.importLikes(importedLikesFor(setup.population))
    const slowServer = await buildServer({ core, adminToken: token })
    try {
      const addresses = await slowServer.listen({ host: '127.0.0.1', port: 0 })
      const slowTarget = addresses.map((a) => `${a.region}=${a.url}`).join(',')
      const { result } = await runScenarioHttp({ scenario: slow, ...SMALL, target: slowTarget, adminToken: token })
      expect(result.metrics.likesAcknowledged).toBeGreaterThan(0)
      expect(invariantFailures(result.checks)).toEqual([])
      expect(result.checks.find((c) => c.name === 'convergence')?.status).toBe('pass')
    } finally {
      await slowServer.close({ drainMsMax: 1000 })
    }
  }, 120_000)
})

describe('safety', () => {
  it('refuses a target that is not on this machine unless allowed', () => {
    const regions = ['us-east', 'us-west']
    expect(() => parseTarget('http://203.0.113.7:8080', { regions, allowRemote: false })).toThrow(UsageError)
    expect(() => parseTarget('http://example.com:8080', { regions, allowRemote: false })).toThrow(/--allow-remote/)
    expect(parseTarget('http://example.com:8080', { regions, allowRemote: true }).remote).toBe(true)
    expect(parseTarget('http://127.0.0.1:8080', { regions, allowRemote: false }).urls).toEqual({ 'us-east': 'http://127.0.0.1:8080', 'us-west': 'http://127.0.0.1:8081' })
    expect(parseTarget('http://[::1]:9000', { regions, allowRemote: false }).remote).toBe(false)
    expect(() => parseTarget('https://127.0.0.1', { regions, allowRemote: false })).toThrow(/http:\/\//)
    expect(() => parseTarget('us-east=http://127.0.0.1:1', { regions, allowRemote: false })).toThrow(/no URL for us-west/)
  })

  it('refuses a naive strategy name it does not know and bad time scales', async () => {
    await expect(runScenarioHttp({ scenario: scenario('baseline'), seed: 1, timeScale: 0 })).rejects.toThrow(/--time-scale/)
  })
})

void NAIVE
