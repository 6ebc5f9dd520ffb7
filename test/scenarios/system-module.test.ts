// A user's system in mode sim (--system): the examples' verdicts, the same result twice, the module
// recorded and replayed, and a module that misbehaves judged — the run completes and the verdict
// says the system failed, with the calls that did. Small scales: a second or two a run.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../scenarios/errors.ts'
import { loadSystemFile } from '../../mock-server/systems/system-file.ts'
import { validateResult } from '../../result/result-schema.ts'
import type { RunResult } from '../../result/result.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { scenario } from '../helpers/runs.ts'

const ROOT = new URL('../..', import.meta.url).pathname

/** The runs of this file, each once (a test that needs a second run of the same makes it itself). */
const runs = new Map<string, RunResult>()

async function runWith(path: string, name: string, { seed = 7, scale = 0.1, fresh = false }: { seed?: number; scale?: number; fresh?: boolean } = {}): Promise<RunResult> {
  const key = `${path}/${name}/${seed}/${scale}`
  const cached = runs.get(key)
  if (cached !== undefined && !fresh) return cached
  const loaded = await loadSystemFile(path, { cwd: ROOT })
  if (!loaded.ok) throw new Error(loaded.problem)
  const { result } = runScenario({ scenario: scenario(name), seed, scale, strategy: loaded.module })
  if (cached === undefined) runs.set(key, result)
  return result
}

const statusOf = (result: RunResult, name: string): string | undefined => result.checks.find((check) => check.name === name)?.status
const failing = (result: RunResult): string[] => result.checks.filter((check) => check.status === 'fail').map((check) => check.name)

describe('examples/systems/set-counter.ts, a correct system written against the public interface', () => {
  it.each(['baseline', 'like-flap', 'region-failover'])('passes %s, judged by system-faults too', async (name) => {
    const result = await runWith('examples/systems/set-counter.ts', name)
    expect(failing(result)).toEqual([])
    expect(result.verdict).toBe('pass')
    expect(statusOf(result, 'system-faults')).toBe('pass')
    expect(result.metrics.system['systemFaults']).toBe(0)
  })

  it('is recorded in result.json (name, path, digest, interface version) and replayed with --system; the result validates', async () => {
    const result = await runWith('examples/systems/set-counter.ts', 'baseline')
    expect(result.strategy.name).toBe('set-counter')
    expect(result.system).toEqual({ name: 'set-counter', path: 'examples/systems/set-counter.ts', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), interfaceVersion: 1 })
    expect(result.replay).toBe('npx likestorm run baseline --seed 7 --system ./examples/systems/set-counter.ts --scale 0.1')
    expect(result.expectation).toBeNull()
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([])
  })

  it('gives the same result.json twice for the same seed', async () => {
    const first = await runWith('examples/systems/set-counter.ts', 'like-flap')
    const second = await runWith('examples/systems/set-counter.ts', 'like-flap', { fresh: true })
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })
})

describe('examples/systems/double-tap-counter.ts', () => {
  it('fails no-double-count on like-flap: a second tap counts again', async () => {
    const result = await runWith('examples/systems/double-tap-counter.ts', 'like-flap')
    expect(statusOf(result, 'no-double-count')).toBe('fail')
    expect(statusOf(result, 'no-lost-likes')).toBe('pass')
    expect(statusOf(result, 'system-faults')).toBe('pass')
  })
})

describe('a module that misbehaves is the system failing, never a crash of the run', () => {
  it('throws: the run completes; system-faults fails with the call, its region, time and what it threw', async () => {
    const result = await runWith('test/fixtures/systems/throws-sometimes.ts', 'baseline')
    const check = result.checks.find((c) => c.name === 'system-faults')
    expect(check?.status).toBe('fail')
    expect(result.verdict).toBe('fail')
    expect(check?.observed).toMatch(/^\d+ calls into the system threw or answered malformed; \d+ requests were answered LS_CORE_SYSTEM_FAULT \(like \d+\)$/)
    expect(check?.examples[0]?.message).toMatch(/^onTick in us-east at \d+\.\d{3}s: threw Error: the first tick fell over$/)
    expect(check?.examples[1]?.message).toMatch(/^like in [a-z-]+ at \d+\.\d{3}s \(v_\w+\): threw TypeError: like #10 fell over$/)
    expect(result.metrics.failures['server-error']).toBeGreaterThan(0)
    expect(result.metrics.errors['LS_CORE_SYSTEM_FAULT']).toBe(check?.values['faultAnswers'])
  })

  it('answers malformed: NaN counts, a success with an error code and a negative latency are each named', async () => {
    const result = await runWith('test/fixtures/systems/malformed.ts', 'baseline')
    const check = result.checks.find((c) => c.name === 'system-faults')
    expect(check?.status).toBe('fail')
    const problems = check?.examples.map((example) => example.message.slice(example.message.indexOf(': ') + 2)) ?? []
    expect(problems).toEqual(
      expect.arrayContaining([
        'likeCount NaN: must be a whole number >= 0',
        'ok with error code "LS_CORE_OVERLOADED"',
        'latencyMs -5: must be a finite number of ms >= 0',
      ]),
    )
    // Each fault was a possibly applied server error to the client, retried with its key: nothing was lost.
    expect(statusOf(result, 'no-lost-likes')).toBe('pass')
  })
})

describe('a module whose create() throws with the run\'s world', () => {
  it('is a usage error naming it (LS_BAD_SYSTEM), not a crash', async () => {
    // The trial create (two regions) passes; the scenario's four regions do not.
    const path = join(mkdtempSync(join(tmpdir(), 'likestorm-system-')), 'two-regions.mjs')
    writeFileSync(path, "export default { interfaceVersion: 1, name: 'two-regions', description: 'x', writesWaitOnCache: false, create(env) { if (env.regions.length > 2) throw new RangeError('two regions at most'); return Object.fromEntries(['like', 'unlike', 'view', 'readCounts', 'readLike', 'likedPage', 'notifications', 'onMessage', 'onTick', 'onOutage', 'onRecover', 'onDirectory', 'onTakedown', 'seedLike', 'purgeAccount', 'observe', 'counters'].map((m) => [m, () => undefined])) } }")
    const loaded = await loadSystemFile(path, { cwd: ROOT })
    if (!loaded.ok) throw new Error(loaded.problem)
    const run = (): unknown => runScenario({ scenario: scenario('baseline'), seed: 7, scale: 0.05, strategy: loaded.module })
    expect(run).toThrow(UsageError)
    expect(run).toThrow('system two-regions: create() threw RangeError: two regions at most')
  })
})
