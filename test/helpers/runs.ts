// Runs shared between tests of one file: the same (scenario, strategy, seed, scale) runs once.
// A strategy is a public system (robust, naive) or a planted-defect variant (planted-defects.ts).
import { expect } from 'vitest'
import { scenarioByName } from '../../scenarios/library/index.ts'
import { runScenario, type RunOutcome } from '../../scenarios/run/runner.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { systemByName } from './planted-defects.ts'

// The runs of one test file. Test files share a worker's modules (vitest.config.ts), so the cache
// is emptied when another file asks: a file never keeps the last one's histories alive.
const cache = new Map<string, RunOutcome>()
let cacheFile: string | undefined

function fileCache(): Map<string, RunOutcome> {
  const file = expect.getState().testPath
  if (file !== cacheFile) {
    cache.clear()
    cacheFile = file
  }
  return cache
}

export function scenario(name: string): Scenario {
  const found = scenarioByName(name)
  if (found === undefined) throw new Error(`no scenario ${name}`)
  return found
}

export function run(name: string, { strategy = 'robust', seed = 7, scale = 1 }: { strategy?: string; seed?: number; scale?: number } = {}): RunOutcome {
  const key = `${name}/${strategy}/${seed}/${scale}`
  const runs = fileCache()
  let outcome = runs.get(key)
  if (outcome === undefined) {
    outcome = runScenario({ scenario: scenario(name), seed, scale, strategy: systemByName(strategy) })
    runs.set(key, outcome)
  }
  return outcome
}

export function check(outcome: RunOutcome, name: string) {
  const found = outcome.result.checks.find((c) => c.name === name)
  if (found === undefined) throw new Error(`check ${name} did not run`)
  return found
}
