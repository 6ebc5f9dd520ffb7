// Swarm runs: generated from a seed, valid, reproducible; a small swarm finds naive's bugs and
// every failure it prints replays to the very same result.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serializeResult } from '../../cli/write-result.ts'
import { main } from '../../cli/main.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { isSwarmName, swarmRunSeed, swarmScenario, swarmScenarioByName } from '../../scenarios/swarm.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { farmTraitNames } from '../../sim/farm-traits.ts'
import { captureIo } from '../helpers/io.ts'

describe('swarm scenarios', () => {
  it('are valid for many seeds and vary their faults', () => {
    const kinds = new Set<string>()
    const farmTraits = new Set<string>()
    for (let run = 0; run < 200; run++) {
      const scenario = swarmScenario(swarmRunSeed(9, run))
      expect(validateScenario(scenario), scenario.name).toEqual([])
      for (const fault of scenario.faults) kinds.add(fault.kind)
      for (const farm of scenario.world.farms ?? []) for (const trait of farmTraitNames(farm)) farmTraits.add(trait)
    }
    expect([...kinds].sort()).toEqual(['bot-purge', 'ddos', 'inactive-purge', 'overload', 'partition', 'region-outage', 'slow-cache', 'takedown'])
    // The farm library's farms too (docs/scenarios.md, "Farm traits"), beside the careless and stealthy ones.
    expect([...farmTraits].sort()).toEqual(['aged', 'drip', 'hijacked', 'paidHumans', 'returns', 'sleeper', 'viewsOnly'])
  })

  it('are a pure function of the seed, named swarm-<seed>', () => {
    const seed = swarmRunSeed(3, 4)
    expect(JSON.stringify(swarmScenario(seed))).toBe(JSON.stringify(swarmScenario(seed)))
    expect(swarmScenarioByName(`swarm-${seed}`)?.name).toBe(`swarm-${seed}`)
    expect(isSwarmName('swarm-x')).toBe(false)
    expect(swarmRunSeed(3, 4)).not.toBe(swarmRunSeed(3, 5))
    expect(swarmRunSeed(3, 4)).not.toBe(swarmRunSeed(4, 4))
  })
})

describe('likestorm swarm', () => {
  it('passes a few robust runs', async () => {
    const io = captureIo()
    const code = await main(['swarm', '--runs', '4', '--seed', '5', '--out', mkdtempSync(join(tmpdir(), 'swarm-'))], io)
    expect(io.text().out).toContain('4 run(s)')
    expect(code).toBe(EXIT.OK)
  })

  it('finds naive failures whose replay commands reproduce them exactly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'swarm-'))
    const io = captureIo()
    const code = await main(['swarm', '--runs', '3', '--seed', '1', '--strategy', 'naive', '--out', out, '--quiet'], io)
    expect(code).toBe(EXIT.CHECK_FAILED)
    const text = io.text().out
    const replays = [...text.matchAll(/npx likestorm run (swarm-\d+) --seed (\d+) --strategy naive/g)]
    expect(replays.length).toBeGreaterThan(0)
    const failed = readdirSync(out)
    expect(failed.length).toBeGreaterThan(0)
    for (const [, name, seed] of replays.slice(0, 2)) {
      const scenario = swarmScenarioByName(name as string)
      expect(scenario).toBeDefined()
      const replayed = serializeResult(runScenario({ scenario: scenario as NonNullable<typeof scenario>, seed: Number(seed), strategy: 'naive' }).result)
      expect(replayed).toBe(readFileSync(join(out, name as string, 'result.json'), 'utf8'))
    }
  })
})
