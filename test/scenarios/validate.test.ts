// The scenario validator reports every problem at once, each naming its field.
import { describe, expect, it } from 'vitest'
import { scenario } from '../helpers/runs.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { validateScenario } from '../../scenarios/validate.ts'
import { LIBRARY } from '../../scenarios/library/index.ts'

describe('validateScenario', () => {
  it('accepts every library scenario', () => {
    for (const s of LIBRARY) expect(validateScenario(s), s.name).toEqual([])
  })

  it('refuses more regions than the layouts hold', () => {
    const base = scenario('baseline')
    const regions = Array.from({ length: 9 }, (_, i) => ({ id: `r${i}`, userShare: 1, utcOffsetH: 0, failoverOrder: [] }))
    expect(validateScenario({ ...base, world: { ...base.world, regions } })).toContain('world.regions: at most 8, got 9')
  })

  it('returns every problem of a broken scenario, each naming its field', () => {
    const base = scenario('overload-virginia')
    const broken: Scenario = {
      ...base,
      name: 'Bad Name',
      durationS: 50,
      world: { videos: 0, farms: [{ kind: 'careless', accounts: 10, targetVideos: 3, region: 'mars' }] },
      load: { scenarios: { a: { executor: 'constant-vus', vus: 1, duration: '10s' }, b: { executor: 'constant-arrival-rate', rate: -1, timeUnit: '1s', duration: '99s', preAllocatedVUs: 1 } } },
      faults: [
        { kind: 'overload', region: 'us-east', factor: 0.5, startS: 10, endS: 80 },
        { kind: 'partition', a: 'us-east', b: 'us-east', startS: 1, endS: 2 },
      ],
      system: { capacityRps: { 'us-east': 0, 'eu-west': 10, 'us-west': 10, nowhere: 5 } },
      checks: { run: ['no-such-check' as never], config: { goodput: { region: 'eu-west' } } },
    }
    const problems = validateScenario(broken)
    const expectFor = (fragment: string): void => {
      expect(problems.some((p) => p.includes(fragment)), `${fragment} in ${JSON.stringify(problems, null, 1)}`).toBe(true)
    }
    expectFor('name:')
    expectFor('world.videos')
    expectFor('world.farms[0].targetVideos')
    expectFor('world.farms[0].region')
    expectFor('load.scenarios.a.executor')
    expectFor('load.scenarios.b.rate')
    expectFor("load.scenarios.b: ends at 99s, after the scenario's 50s")
    expectFor('faults[0]: needs 0 <= startS <= endS <= duration')
    expectFor('faults[0].factor')
    expectFor('faults[1]: a partition needs two different regions')
    expectFor('system.capacityRps.us-east')
    expectFor('system.capacityRps.ap-southeast')
    expectFor('system.capacityRps.nowhere: unknown region')
    expectFor('checks.run: unknown check no-such-check')
    expectFor('checks.config.goodput: needs an overload fault on eu-west')
    expect(problems.length).toBeGreaterThanOrEqual(15)
  })
})
