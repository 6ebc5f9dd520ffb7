// likestorm export-k6: a scenario as a k6 script, its workload and a README, in one folder. The
// world is prepared as every mode prepares it (same seed, scale, population); the workload, the
// script and the manifest are the same bytes for the same seed, scale and code.
import { createHash } from 'node:crypto'
import type { Options } from 'k6/options'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../errors.ts'
import { prepareRun } from '../run/run-setup.ts'
import type { Scenario } from '../scenario.ts'
import type { ScenarioFileRef } from '../scenario-file.ts'
import { validateScenario } from '../validate.ts'
import { LIKESTORM_VERSION } from '../version.ts'
import { bundleScript } from './bundle.ts'
import { k6Error } from './errors.ts'
import { arrivalIterations, exportOptions, scaleLoad, unsupportedLoad, withVuBudget } from './export-options.ts'
import { exportReadme, testRunYaml } from './export-readme.ts'
import { K6_MIN_VERSION, MANIFEST_FILE, MANIFEST_FORMAT, README_FILE, SCRIPT_FILE, TESTRUN_FILE, WORKLOAD_FILE, type ExportManifest } from './manifest.ts'
import { buildScriptPlan, type ScriptPlan } from './script-plan.ts'
import { DEFAULT_TARGET, regionUrls } from './target-urls.ts'
import { EXTRA_SCENARIO } from './session-deal.ts'
import { buildWorkload, type WorkloadStats } from './workload.ts'

export interface ExportRequest {
  readonly scenario: Scenario
  readonly seed: number
  readonly scale: number
  /** The first region's URL, or `region=url,…`; default http://127.0.0.1:8080. */
  readonly target?: string
  readonly outDir: string
  readonly maxOperations?: number
  /** Set when the scenario came from the user's file: the manifest then carries the scenario itself. */
  readonly file?: ScenarioFileRef
}

export interface ExportSummary {
  readonly dir: string
  readonly files: { readonly script: string; readonly workload: string; readonly manifest: string; readonly readme: string; readonly testRun: string }
  readonly manifest: ExportManifest
  readonly plan: ScriptPlan
  /** The k6 options script.js exports. */
  readonly options: Options
  readonly stats: WorkloadStats
  /** Iterations the arrival-rate executors start, null with VU executors. */
  readonly iterations: number | null
  readonly warnings: readonly string[]
}

export interface ExportFiles {
  readonly script: string
  readonly workload: string
  readonly manifest: string
  readonly readme: string
  readonly testRun: string
}

/** Everything an export writes, as text (pure apart from esbuild). */
export function buildExport(request: ExportRequest): { files: ExportFiles; manifest: ExportManifest; plan: ScriptPlan; options: Options; stats: WorkloadStats; iterations: number | null; warnings: string[] } {
  const { scenario, seed, scale } = request
  const problems = validateScenario(scenario)
  if (problems.length > 0) throw new UsageError('LS_BAD_SCENARIO', `scenario ${scenario.name} is not valid`, problems)
  const unsupported = unsupportedLoad(scenario.load)
  if (unsupported.length > 0) throw k6Error('LS_K6_UNSUPPORTED_SCENARIO', `scenario ${scenario.name} cannot be exported to k6`, unsupported)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError('LS_BAD_FLAG', `--seed must be a whole number >= 0, got ${seed}`)
  if (!(scale > 0 && scale <= 1000)) throw new UsageError('LS_BAD_FLAG', `--scale must be in (0, 1000], got ${scale}`)
  const setup = prepareRun({ scenario, seed, scale })
  const regions = setup.population.regionIds
  const target = request.target ?? DEFAULT_TARGET
  const resolved = regionUrls(target, regions)
  if (!resolved.ok) throw new UsageError('LS_BAD_FLAG', `--target: ${resolved.problem}`)
  const load = scaleLoad(scenario.load, scale)
  const { workload, stats, extra, vus } = buildWorkload(setup, load, request.maxOperations === undefined ? {} : { maxOperations: request.maxOperations })
  // The k6 scenarios that run sessions: the scenario's own, and likestorm_extra when the world
  // outruns them, each with the VUs its schedule needs.
  const sessionLoad: Options = withVuBudget(extra === undefined ? load : { ...load, scenarios: { ...load.scenarios, [EXTRA_SCENARIO]: extra } }, vus)
  const workloadText = `${JSON.stringify(workload)}\n`
  const exportId = sha256(`${LIKESTORM_VERSION}\n${scenario.name}\n${seed}\n${scale}\n${target}\n${workloadText}`).slice(0, 12)
  const plan = buildScriptPlan({ setup, load: sessionLoad, exportId, likestormVersion: LIKESTORM_VERSION, urls: resolved.urls, finalTasks: workload.final.tasks.length, finalReads: stats.finalReads })
  const options = exportOptions(sessionLoad, {
    faultsMaxDurationMs: plan.faultsEndMs + 60_000,
    finalStartMs: plan.final.startMs,
    finalIterations: plan.final.iterations,
    finalMaxDurationMs: plan.final.maxDurationMs,
  })
  const banner = [
    `// LikeStorm export of scenario ${scenario.name} (seed ${seed}, scale ${scale}), export ${exportId}, LikeStorm ${LIKESTORM_VERSION}.`,
    '// Written by `likestorm export-k6` from scenarios/k6/script/main.ts: export again rather than edit. How to run it: README.md.',
  ].join('\n')
  const script = bundleScript({ options, plan, banner })
  const iterations = arrivalIterations(load)
  const warnings = exportWarnings({ sessions: stats.sessions, extraSessions: stats.perScenario[EXTRA_SCENARIO] ?? 0, iterations, overload: scenario.faults.some((f) => f.kind === 'overload') })
  const manifest: ExportManifest = {
    format: MANIFEST_FORMAT,
    likestormVersion: LIKESTORM_VERSION,
    exportId,
    scenario: scenario.name,
    seed,
    scale,
    target,
    regions,
    urls: resolved.urls,
    sessions: stats.sessions,
    operations: stats.operations,
    adminTokenEnv: 'ADMIN_TOKEN',
    k6: { minVersion: K6_MIN_VERSION, scenarios: Object.keys(options.scenarios ?? {}) },
    files: { [SCRIPT_FILE]: sha256(script), [WORKLOAD_FILE]: sha256(workloadText) },
    ...(request.file === undefined ? {} : { scenarioFile: request.file, definition: scenario }),
  }
  const readme = exportReadme({ manifest, dir: request.outDir, workloadBytes: Buffer.byteLength(workloadText), finalStartS: Math.round(plan.final.startMs / 1000), warnings })
  const testRun = testRunYaml({ name: `likestorm-${scenario.name}`.slice(0, 52), firstUrl: resolved.urls[regions[0] as string] as string })
  return { files: { script, workload: workloadText, manifest: `${JSON.stringify(manifest, null, 2)}\n`, readme, testRun }, manifest, plan, options, stats, iterations, warnings }
}

export function exportK6(request: ExportRequest): ExportSummary {
  const built = buildExport(request)
  const dir = request.outDir
  mkdirSync(dir, { recursive: true })
  const files = {
    script: join(dir, SCRIPT_FILE),
    workload: join(dir, WORKLOAD_FILE),
    manifest: join(dir, MANIFEST_FILE),
    readme: join(dir, README_FILE),
    testRun: join(dir, TESTRUN_FILE),
  }
  writeFileSync(files.script, built.files.script)
  writeFileSync(files.workload, built.files.workload)
  writeFileSync(files.manifest, built.files.manifest)
  writeFileSync(files.readme, built.files.readme)
  writeFileSync(files.testRun, built.files.testRun)
  return { dir, files, manifest: built.manifest, plan: built.plan, options: built.options, stats: built.stats, iterations: built.iterations, warnings: built.warnings }
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}

/** What the user should know before running: sessions beyond the executors, the overload emulation. */
function exportWarnings({ sessions, extraSessions, iterations, overload }: { sessions: number; extraSessions: number; iterations: number | null; overload: boolean }): string[] {
  const warnings: string[] = []
  if (extraSessions > 0) {
    warnings.push(
      `${extraSessions.toLocaleString('en-US')} of the world's ${sessions.toLocaleString('en-US')} sessions come when its rate is above the executors' ` +
        `(${iterations === null ? 'their' : `about ${iterations.toLocaleString('en-US')}`} iterations: diurnal peaks, flash crowds, farms, floods); the extra scenario ${EXTRA_SCENARIO} runs them on time`,
    )
  }
  if (overload) warnings.push('overload faults are emulated on the server through the admin API (capacity ÷ factor): k6 sends only the executors\' load, so the workload has no overload surge')
  return warnings
}
