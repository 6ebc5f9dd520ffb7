// Runs shared between tests: the same (scenario, strategy, seed, scale) runs once.
// A strategy is a public system (robust, naive) or a planted-defect variant (planted-defects.ts).
import { scenarioByName } from '../../scenarios/library/index.ts'
import { runScenario, type RunOutcome } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { systemByName } from './planted-defects.ts'

// Runs shared between the test files of a worker (vitest.config.ts: test files share a worker's
// modules): the same (scenario, strategy, seed, scale) runs once per worker while it is among the
// last RUNS_KEPT asked for, which bounds the histories kept alive. A shared run's result is frozen,
// so a test that would change it for the next file throws instead (copy it with structuredClone).
const RUNS_KEPT = 6
const cache = new Map<string, RunOutcome>()

function remember(key: string, outcome: RunOutcome): void {
  cache.set(key, outcome)
  while (cache.size > RUNS_KEPT) cache.delete(cache.keys().next().value as string)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

export function scenario(name: string): Scenario {
  const found = scenarioByName(name)
  if (found === undefined) throw new Error(`no scenario ${name}`)
  return found
}

export function run(name: string, { strategy = 'robust', seed = 7, scale = 1 }: { strategy?: string; seed?: number; scale?: number } = {}): RunOutcome {
  const key = `${name}/${strategy}/${seed}/${scale}`
  let outcome = cache.get(key)
  if (outcome === undefined) {
    outcome = runScenario({ scenario: scenario(name), seed, scale, strategy: systemByName(strategy) })
    deepFreeze(outcome.result)
  } else {
    cache.delete(key) // to the back: the most recently asked
  }
  remember(key, outcome)
  return outcome
}

export function check(outcome: RunOutcome, name: string) {
  const found = outcome.result.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`check ${name} did not run`)
  return found
}
