// likestorm run --seeds: each scenario once per seed, into <out>/<scenario>/seed-<N>/ (result.json
// and reports as any run writes them), then per scenario the summary over its seeds
// (reports/seed-summary.ts) written to <out>/<scenario>/seeds.json and printed as a table. The
// runs themselves are ordinary runs: the same line, the same replay command, the same exit rule.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../reports/atomic-file.ts'
import { renderSeedSummary } from '../../reports/seed-summary-text.ts'
import { SEED_SUMMARY_FILE, summarizeSeeds } from '../../reports/seed-summary.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { RESULT_FILE } from '../write-result.ts'
import { finishRuns, type ReportedRun, type RunSettings } from './run-settings.ts'
import type { StopSignal } from '../exit-codes.ts'

/** The runs of a --seeds command, scenario by scenario and seed by seed within each: what to run, with which seed, where. */
export interface SeedJobs {
  readonly scenarios: readonly Scenario[]
  readonly seeds: readonly number[]
  readonly dirs: readonly string[]
}

/** A seed's run folder, relative to its scenario's. */
export function seedDirName(seed: number): string {
  return `seed-${seed}`
}

export function seedJobs(settings: Pick<RunSettings, 'scenarios' | 'outDir'>, seeds: readonly number[]): SeedJobs {
  const jobs = settings.scenarios.flatMap((scenario) => seeds.map((seed) => ({ scenario, seed, dir: join(settings.outDir, scenario.name, seedDirName(seed)) })))
  return { scenarios: jobs.map((job) => job.scenario), seeds: jobs.map((job) => job.seed), dirs: jobs.map((job) => job.dir) }
}

/** Before the runs: the summaries this command replaces (a stopped command then leaves none that speaks of other runs). */
export function clearSeedSummaries(settings: Pick<RunSettings, 'scenarios' | 'outDir'>): void {
  for (const scenario of settings.scenarios) rmSync(join(settings.outDir, scenario.name, SEED_SUMMARY_FILE), { force: true })
}

/**
 * After the runs: per scenario with at least one run, seeds.json written (atomically) and its table
 * printed. A scenario a stop signal kept from running gets none.
 */
export function writeSeedSummaries(runs: readonly ReportedRun[], { settings, seeds, out }: { settings: Pick<RunSettings, 'scenarios' | 'outDir'>; seeds: readonly number[]; out: NodeJS.WritableStream }): void {
  let first = true
  for (const scenario of settings.scenarios) {
    const own = runs.filter((run) => run.result.scenario.name === scenario.name)
    if (own.length === 0) continue
    const summary = summarizeSeeds(
      seeds,
      own.map(({ result }) => ({ result, resultFile: `${seedDirName(result.seed)}/${RESULT_FILE}` })),
    )
    const path = writeFileAtomic(join(settings.outDir, scenario.name, SEED_SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`)
    out.write(`${first ? '' : '\n'}${renderSeedSummary(summary, { path })}\n`)
    first = false
  }
}

/**
 * The end of a --seeds command, in either mode: the summaries over the seeds, then the exit code
 * over every seed's run. No check matrix: the summaries count each check's failures per seed.
 */
export function finishSeedRuns(runs: readonly ReportedRun[], { settings, seeds, jobs, out, signal }: { settings: RunSettings; seeds: readonly number[]; jobs: SeedJobs; out: NodeJS.WritableStream; signal: StopSignal | undefined }): number {
  writeSeedSummaries(runs, { settings, seeds, out })
  return finishRuns(runs, { settings: { ...settings, scenarios: jobs.scenarios }, out, signal, matrix: false })
}
