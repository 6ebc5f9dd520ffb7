// Mode sim runs, one after the other: each run's files and summary (runAndReport, also the tour's
// unit of work), and the body of the thread that runs them for `likestorm run` (see sim-thread.ts).
import type { StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import { UsageError } from '../../scenarios/errors.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import type { SimProgress } from '../../scenarios/run/sim-driver.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { withOverrides } from '../../scenarios/overrides.ts'
import { withScenarioFile } from '../../scenarios/scenario-file.ts'
import { writeReports } from '../../reports/write-reports.ts'
import { STOP_SIGNALS, type StopSignal } from '../exit-codes.ts'
import { progressLine } from '../progress.ts'
import { clearRunOutputs } from '../run-outputs.ts'
import { renderRun, type WithSummaryFormat } from '../summary.ts'
import { systemArg } from '../system-arg.ts'
import { detectorArg } from '../detector-arg.ts'
import type { DetectorModule } from '../../mock-server/core/detection/detector-module.ts'
import { writeResult } from '../write-result.ts'
import { type ReportedRun, type RunSettings } from './run-settings.ts'

export interface SimRunIo {
  readonly out: NodeJS.WritableStream
  readonly err: NodeJS.WriteStream
  readonly dirFor: (scenario: Scenario, strategy: string) => string
  /** Progress as text, instead of a progress line on `err` (the thread hands it to the main one). */
  readonly onProgress?: (text: string) => void
  /** Polled as the run goes: a signal's name ends the run early, with a partial result (see runScenario). */
  readonly stopSignal?: () => string | undefined
}

/**
 * Run scenarios in mode sim, print each (as `settings.summary` says), write each result and its reports. A run's
 * earlier files go before it starts (a run killed midway leaves none); results and reports are
 * written atomically.
 */
export function runAndReport(
  settings: RunSettings & WithSummaryFormat,
  { out, err, dirFor, onProgress, stopSignal }: SimRunIo,
  strategy: string | StrategyBehaviour = settings.strategy,
  detector?: DetectorModule,
): ReportedRun[] {
  const runs: ReportedRun[] = []
  const name = typeof strategy === 'string' ? strategy : strategy.name
  for (const scenario of settings.scenarios) {
    const dir = dirFor(scenario, name)
    clearRunOutputs(dir)
    const label = `${scenario.name} [${name}]`
    const progress = onProgress === undefined ? progressLine({ stream: err, enabled: !settings.quiet }) : { update: onProgress, done: () => {} }
    const started = performance.now()
    const outcome = runScenario({
      scenario,
      seed: settings.seed,
      scale: settings.scale,
      strategy,
      ...(detector === undefined ? {} : { detector }),
      onProgress: (p) => progress.update(renderSimProgress(label, p)),
      ...(stopSignal === undefined ? {} : { stopSignal }),
    })
    progress.done()
    const file = settings.files?.[scenario.name]
    const result = withOverrides(file === undefined ? outcome.result : withScenarioFile(outcome.result, file), settings.overrides)
    const path = writeResult(result, dir)
    const reports = settings.reports ? writeReports(result, dir) : undefined
    out.write(renderRun(result, settings.summary, { resultPath: path, wallMs: performance.now() - started, ...(reports === undefined ? {} : { reportPath: reports.html }) }))
    runs.push({ result, reports })
  }
  return runs
}

/** One progress line of a sim run: how far through the traffic, or that the final reads are under way. */
export function renderSimProgress(label: string, p: SimProgress): string {
  const operations = `${p.operations.toLocaleString('en-US')} operations`
  if (p.phase === 'traffic') return `${label} ${((100 * p.virtualMs) / p.durationMs).toFixed(0)}% · ${operations}`
  return `${label} ${p.phase === 'final' ? 'final reads' : 'done'} · ${operations}`
}

/** What the thread is given: the settings and scenarios as plain data (a user's file is loaded once, here), each run's folder. */
export interface SimThreadInput {
  readonly settings: Omit<RunSettings, 'scenarios'> & WithSummaryFormat
  readonly scenarios: readonly Scenario[]
  readonly dirs: readonly string[]
  /** --seeds: each run's seed, one per scenario entry (absent: every run is `settings.seed`'s). */
  readonly seeds?: readonly number[]
  /** One Int32 shared with the main thread: 0, or 1 + the index in STOP_SIGNALS of the signal it received. */
  readonly stop: SharedArrayBuffer
}

export type SimThreadMessage =
  | { readonly kind: 'progress'; readonly text: string }
  | { readonly kind: 'run'; readonly run: ReportedRun; readonly text: string }
  | { readonly kind: 'usage'; readonly code: string; readonly message: string }
  | { readonly kind: 'done' }

/** The stop signal in shared memory, if one arrived. */
export function sharedStopSignal(stop: SharedArrayBuffer): () => StopSignal | undefined {
  const flag = new Int32Array(stop)
  return () => {
    const value = Atomics.load(flag, 0)
    return value === 0 ? undefined : STOP_SIGNALS[value - 1]
  }
}

/**
 * The thread's body: the runs in order until they are done or a signal arrives, each handed over
 * as it ends. A --system or --detector module is loaded here, once (a module's functions cannot cross threads).
 */
export async function drainSimRuns({ settings, scenarios, dirs, seeds, stop }: SimThreadInput, post: (message: SimThreadMessage) => void): Promise<void> {
  const stopSignal = sharedStopSignal(stop)
  let strategy: string | StrategyBehaviour = settings.strategy
  let detector: DetectorModule | undefined
  try {
    if (settings.system !== undefined) strategy = await systemArg(settings.system, process.cwd())
    if (settings.detector !== undefined) detector = await detectorArg(settings.detector, process.cwd())
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    post({ kind: 'usage', code: error.code, message: error.message })
    return
  }
  for (const [i, scenario] of scenarios.entries()) {
    if (stopSignal() !== undefined) break
    const chunks: string[] = []
    const out = { write: (chunk: string): boolean => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream
    let run: ReportedRun | undefined
    try {
      ;[run] = runAndReport({ ...settings, seed: seeds?.[i] ?? settings.seed, scenarios: [scenario] }, { out, err: process.stderr, dirFor: () => dirs[i] as string, onProgress: (text) => post({ kind: 'progress', text }), stopSignal }, strategy, detector)
    } catch (error) {
      // A usage error crosses threads as its code and message (an Error loses its class on the way).
      if (!(error instanceof UsageError)) throw error
      post({ kind: 'usage', code: error.code, message: error.message })
      return
    }
    post({ kind: 'run', run: run as ReportedRun, text: chunks.join('') })
  }
  post({ kind: 'done' })
}
