// `likestorm run --duration/--rate/--vus/--threshold` as a pure function of a scenario: each flag's
// change to the main k6 scenario, the main scenario's rule, every refusal naming its flag, and the
// record a result keeps of them (its replay repeats them).
import type { Options } from 'k6/options'
import { describe, expect, it } from 'vitest'
import { validateResult } from '../../result/result-schema.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import { applyOverrides, mainScenarioName, overrideFlags, parseOverrides, withOverrides, type RunOverrides } from '../../scenarios/overrides.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { validateScenario } from '../../scenarios/validate.ts'

const baseline = scenarioByName('baseline') as Scenario

function withLoad(load: Options, durationS = 120): Scenario {
  return { ...baseline, durationS, load }
}

function applied(scenario: Scenario, overrides: RunOverrides): Scenario {
  const outcome = applyOverrides(scenario, overrides)
  expect(outcome.problems).toEqual([])
  return outcome.scenario
}

function problemsOf(scenario: Scenario, overrides: RunOverrides): string[] {
  return applyOverrides(scenario, overrides).problems
}

function flagError(flags: Parameters<typeof parseOverrides>[0]): UsageError {
  try {
    parseOverrides(flags)
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error('the flags were accepted')
}

const ramping = withLoad({
  scenarios: {
    sessions: {
      executor: 'ramping-arrival-rate',
      startTime: '10s',
      startRate: 100,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 500,
      stages: [
        { duration: '30s', target: 400 },
        { duration: '50s', target: 400 },
        { duration: '30s', target: 0 },
      ],
    },
  },
})

const rampingVus = withLoad({ scenarios: { users: { executor: 'ramping-vus', startVUs: 10, stages: [{ duration: '60s', target: 200 }, { duration: '60s', target: 50 }] } } })

describe('the flags as given', () => {
  it('read a k6 duration in whole seconds, whole counts and `metric: expression` thresholds', () => {
    expect(parseOverrides({})).toBeUndefined()
    expect(parseOverrides({ duration: '1h30m', rate: '250', vus: '40', threshold: [' http_req_duration{op:like} :p(95)<200 ', 'http_req_failed: rate<0.01'] })).toEqual({
      durationS: 5400,
      rate: 250,
      vus: 40,
      thresholds: ['http_req_duration{op:like}: p(95)<200', 'http_req_failed: rate<0.01'],
    })
  })

  it('refuses every bad value at once, each naming its flag', () => {
    const error = flagError({ duration: '1.5s', rate: '0', vus: '2.5', threshold: ['p(99)<500', 'http_req_duration: p(99)<<500'] })
    expect(error.code).toBe('LS_BAD_FLAG')
    for (const fragment of ['--duration must be a k6 duration of whole seconds', '--rate must be a whole number from 1', '--vus must be a whole number from 1', "--threshold must be 'metric: expression'", '--threshold threshold "p(99)<<500": expected a number']) {
      expect(error.message).toContain(fragment)
    }
    expect(flagError({ duration: '25h' }).message).toMatch(/from 1s to 24h/)
  })
})

describe('--duration', () => {
  it("sets the scenario's length and the main executor's duration", () => {
    const short = applied(baseline, { durationS: 30 })
    expect(short.durationS).toBe(30)
    expect(short.load.scenarios?.['sessions']).toEqual({ ...baseline.load.scenarios?.['sessions'], duration: '30s' })
    expect(validateScenario(short)).toEqual([])
    // The library's scenario is left as it was.
    expect(baseline.durationS).toBe(120)
  })

  it('stretches a start time and stages by new/old length, ending within the new length', () => {
    const stretched = applied(ramping, { durationS: 45 })
    const options = stretched.load.scenarios?.['sessions'] as { startTime: string; stages: Array<{ duration: string; target: number }> }
    expect(options.startTime).toBe('3750ms')
    expect(options.stages.map((stage) => stage.duration)).toEqual(['11250ms', '18750ms', '11250ms'])
    expect(options.stages.map((stage) => stage.target)).toEqual([400, 400, 0])
    expect(validateScenario(stretched)).toEqual([])
  })
})

describe('--rate', () => {
  it("sets constant-arrival-rate's rate, and the peak of a ramp that keeps its shape", () => {
    expect((applied(baseline, { rate: 300 }).load.scenarios?.['sessions'] as { rate: number }).rate).toBe(300)
    const ramp = applied(ramping, { rate: 100 }).load.scenarios?.['sessions'] as { startRate: number; stages: Array<{ target: number }> }
    expect([ramp.startRate, ...ramp.stages.map((stage) => stage.target)]).toEqual([25, 100, 100, 0])
  })

  it('is refused for a VU executor, naming the flag, the k6 scenario and what to use instead', () => {
    expect(problemsOf(rampingVus, { rate: 100 })).toEqual([expect.stringMatching(/^--rate: load\.scenarios\.users is ramping-vus, a VU executor .*use --vus/)])
  })
})

describe('--vus', () => {
  it('sets the VUs of VU executors (a ramp keeps its shape and peaks at N)', () => {
    const constant = withLoad({ scenarios: { users: { executor: 'constant-vus', vus: 10, duration: '120s' } } })
    expect((applied(constant, { vus: 25 }).load.scenarios?.['users'] as { vus: number }).vus).toBe(25)
    const ramp = applied(rampingVus, { vus: 100 }).load.scenarios?.['users'] as { startVUs: number; stages: Array<{ target: number }> }
    expect([ramp.startVUs, ...ramp.stages.map((stage) => stage.target)]).toEqual([5, 100, 25])
  })

  it("caps an arrival-rate executor's VUs: maxVUs, and preAllocatedVUs lowered to it", () => {
    expect(applied(baseline, { vus: 50 }).load.scenarios?.['sessions']).toMatchObject({ maxVUs: 50, preAllocatedVUs: 50 })
    expect(applied(baseline, { vus: 3000 }).load.scenarios?.['sessions']).toMatchObject({ maxVUs: 3000, preAllocatedVUs: 200 })
  })
})

describe('the main k6 scenario', () => {
  const spike = { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '20s', startTime: '60s', preAllocatedVUs: 10 } as const
  const two = withLoad({ scenarios: { sessions: baseline.load.scenarios?.['sessions'] as never, spike } })

  it('is the only one, else the one named main; anything else is refused, naming the flags', () => {
    expect(mainScenarioName(baseline.load)).toEqual({ name: 'sessions' })
    expect(problemsOf(two, { rate: 100, durationS: 60 })).toEqual([
      '--duration, --rate: the load has 2 k6 scenarios (sessions, spike) and none is named main; the flags change the only one or the one named main',
    ])
    const named = withLoad({ scenarios: { main: baseline.load.scenarios?.['sessions'] as never, spike } })
    const changed = applied(named, { rate: 100 })
    expect(changed.load.scenarios?.['main']).toMatchObject({ rate: 100 })
    expect(changed.load.scenarios?.['spike']).toEqual(spike)
  })

  it('is the only k6 scenario --duration stretches: another one (or a fault) past the new end is a validation problem', () => {
    const named = withLoad({ scenarios: { main: baseline.load.scenarios?.['sessions'] as never, spike } })
    expect(validateScenario(applied(named, { durationS: 60 }))).toEqual(['load.scenarios.spike: ends at 80s, after the scenario\'s 60s'])
  })
})

describe('--threshold', () => {
  it("replaces the scenario's thresholds on the flag's metric key, keeps the others, and adds new keys", () => {
    const changed = applied(baseline, { thresholds: ['http_req_duration: p(99)<500', 'http_req_duration: p(50)<100', 'reads_stale: count<10'] })
    expect(changed.load.thresholds).toEqual({
      likestorm_ok_duration: ['p(99)<250'],
      'likestorm_ok_duration{op:like}': ['p(95)<200'],
      http_req_duration: ['p(99)<500', 'p(50)<100'],
      http_req_failed: ['rate<0.01'],
      reads_stale: ['count<10'],
    })
    expect(applied(baseline, { thresholds: ['likestorm_ok_duration{op:like}: p(95)<300'] }).load.thresholds?.['likestorm_ok_duration']).toEqual(['p(99)<250'])
  })

  it('acts on the verdict', () => {
    const scenario = applied(baseline, { durationS: 10, thresholds: ['http_req_duration: p(99)<1'] })
    const { result } = runScenario({ scenario, seed: 3, scale: 0.05 })
    expect(result.checks.find((check) => check.name === 'http_req_duration: p(99)<1')?.status).toBe('fail')
    expect(result.verdict).toBe('fail')
  })
})

describe('the record in a result', () => {
  it('keeps the overrides in config and repeats them in the replay, shell-quoted', () => {
    const overrides: RunOverrides = { durationS: 10, rate: 300, thresholds: ["http_req_failed{op:like}: rate<0.5"] }
    const { result } = runScenario({ scenario: applied(baseline, overrides), seed: 3, scale: 0.05 })
    const recorded = withOverrides(result, overrides)
    expect(recorded.replay).toBe("npx likestorm run baseline --seed 3 --scale 0.05 --duration 10s --rate 300 --threshold 'http_req_failed{op:like}: rate<0.5'")
    expect(recorded.config.overrides).toEqual(overrides)
    expect(validateResult(JSON.parse(JSON.stringify(recorded)))).toEqual([])
    expect(validateResult({ ...recorded, config: { ...recorded.config, overrides: { rate: 0, thresholds: ['no colon'] } } })).toEqual([
      'result.config.overrides.rate: must be >= 1',
      'result.config.overrides.thresholds.0: must match pattern ": "',
    ])
    expect(withOverrides(result, undefined)).toBe(result)
    expect(overrideFlags({ thresholds: ["x: it's"] })).toBe("--threshold 'x: it'\\''s'")
  })
})
