// Exports shared between the tests of a file: one folder per (scenario, seed, scale), written once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportK6, type ExportSummary } from '../../../scenarios/k6/export.ts'
import { scenarioByName } from '../../../scenarios/library/index.ts'
import type { Scenario } from '../../../scenarios/scenario.ts'

// One folder per test process (test files share it: the cpu project does not isolate them); it
// goes when the process ends.
const root = mkdtempSync(join(tmpdir(), 'likestorm-k6-'))
const cache = new Map<string, ExportSummary>()
process.once('exit', () => rmSync(root, { recursive: true, force: true }))

export function libraryScenario(name: string): Scenario {
  const scenario = scenarioByName(name)
  if (scenario === undefined) throw new Error(`no scenario ${name}`)
  return scenario
}

/** The small scale the export tests use: 0.05, or the scenario's minScale when that is larger. */
export function smallScale(name: string): number {
  return Math.max(0.05, libraryScenario(name).minScale ?? 0)
}

export function exported(name: string, { seed = 7, scale = smallScale(name) }: { seed?: number; scale?: number } = {}): ExportSummary {
  const key = `${name}-${seed}-${scale}`
  let summary = cache.get(key)
  if (summary === undefined) {
    summary = exportK6({ scenario: libraryScenario(name), seed, scale, outDir: join(root, key) })
    cache.set(key, summary)
  }
  return summary
}

/** A fresh empty folder under the tests' temporary root. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(root, `${prefix}-`))
}
