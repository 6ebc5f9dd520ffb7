// A user's system in mode http: the embedded server loads the module on its own thread, guarded
// there as in mode sim, so a handler that throws is a 500 LS_CORE_SYSTEM_FAULT on the wire, counted
// in the server's counters, and the run's system-faults check fails; the module is recorded and
// the replay command names it.
import { describe, expect, it } from 'vitest'
import { loadSystemFile } from '../../../../mock-server/systems/system-file.ts'
import { applyOverrides } from '../../../../scenarios/overrides.ts'
import { runScenarioHttp } from '../../../../scenarios/run/http/http-runner.ts'
import { scenario } from '../../../helpers/runs.ts'

const ROOT = new URL('../../../..', import.meta.url).pathname

describe('mode http with --system', () => {
  it("runs the user's module on the embedded server, guarded: its faults fail system-faults", async () => {
    const loaded = await loadSystemFile('test/fixtures/systems/throws-sometimes.ts', { cwd: ROOT })
    if (!loaded.ok) throw new Error(loaded.problem)
    // Baseline's first 45 s: some 80 likes, a tenth of which the module throws on.
    const short = applyOverrides(scenario('baseline'), { durationS: 45 }).scenario
    const { result } = await runScenarioHttp({ scenario: short, seed: 7, scale: 0.05, timeScale: 0.1, strategy: loaded.module })
    const check = result.checks.find((c) => c.name === 'system-faults')
    expect(check?.status).toBe('fail')
    // The history holds the 500s; the guard's count comes back in the server's counters, read with
    // the final admin state (on a machine too busy to answer that read in time, there are none).
    expect(result.metrics.errors['LS_CORE_SYSTEM_FAULT']).toBeGreaterThan(0)
    if (result.metrics.system['requests'] !== undefined) expect(result.metrics.system['systemFaults']).toBeGreaterThan(result.metrics.errors['LS_CORE_SYSTEM_FAULT'] as number)
    expect(check?.examples[0]?.message).toMatch(/^like by \S+ on \S+ in [a-z-]+ at \d+\.\d{3}s was answered LS_CORE_SYSTEM_FAULT$/)
    expect(result.system).toMatchObject({ name: 'throws-sometimes', path: 'test/fixtures/systems/throws-sometimes.ts' })
    expect(result.replay).toBe('npx likestorm run baseline --seed 7 --mode http --system ./test/fixtures/systems/throws-sometimes.ts --scale 0.05 --time-scale 0.1')
  }, 120_000)
})
