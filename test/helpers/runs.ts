// Runs shared between tests of one file: the same (scenario, strategy, seed, scale) runs once.
// A strategy is a public system (robust, naive) or a planted-defect variant (planted-defects.ts).
import { scenarioByName } from '../../scenarios/library/index.ts'
import { runScenario, type RunOutcome } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { systemByName } from './planted-defects.ts'

const cache = new Map<string, RunOutcome>()

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
    cache.set(key, outcome)
  }
  return outcome
}

export function check(outcome: RunOutcome, name: string) {
  const found = outcome.result.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`check ${name} did not run`)
  return found
}
