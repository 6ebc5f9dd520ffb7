// Small real runs shared by the report tests (each (scenario, strategy, seed, scale) runs once per
// test file), and results as they come back from disk (JSON round trip, as reports read them).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serializeResult } from '../../cli/write-result.ts'
import { scenarioByName } from '../../scenarios/library/index.ts'
import type { RunResult } from '../../result/result.ts'
import { runScenario } from '../../scenarios/run/runner.ts'

const cache = new Map<string, RunResult>()

/** A run at small scale, as result.json would hold it. */
export function smallResult(name: string, { strategy = 'robust', seed = 7, scale = 0.25 }: { strategy?: string; seed?: number; scale?: number } = {}): RunResult {
  const key = `${name}/${strategy}/${seed}/${scale}`
  let result = cache.get(key)
  if (result === undefined) {
    const scenario = scenarioByName(name)
    if (scenario === undefined) throw new Error(`no scenario ${name}`)
    result = roundTrip(runScenario({ scenario, seed, scale, strategy }).result)
    cache.set(key, result)
  }
  return result
}

export function roundTrip(result: RunResult): RunResult {
  return JSON.parse(serializeResult(result)) as RunResult
}

/** A deep copy to plant changes in. */
export function mutable<T>(value: T): Mutable<T> {
  return structuredClone(value) as Mutable<T>
}

/** T with every readonly removed, all the way down (nullable members included). */
export type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T

export function tempDir(prefix = 'likestorm-reports-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** out/test-artifacts/ (gitignored): screenshots and reports a person may want to look at after a run. */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'out', 'test-artifacts')
