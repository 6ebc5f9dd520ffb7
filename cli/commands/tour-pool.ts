// Half of the tour on a second thread. The tour's runs are independent of each other and the
// machine has two cores, so the naive half runs here while the main thread runs the robust half.
// The thread writes its runs' files itself and hands back, in order, the summaries the main
// thread prints after its own: the output reads as if the runs had gone one after the other.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { scenarioByName } from '../../scenarios/library/index.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { runAndReport, type ReportedRun, type RunSettings } from './run.ts'

/** What the thread is given: the settings as plain data (scenarios by name), and the strategy. */
export interface TourHalfInput {
  readonly settings: Omit<RunSettings, 'scenarios'> & { readonly scenarioNames: readonly string[] }
  readonly strategy: string
}

export interface TourHalfOutput {
  readonly runs: ReportedRun[]
  /** The summaries, exactly as runAndReport writes them. */
  readonly text: string
}

/** Where a tour run's files go: `<out>/<scenario>-<strategy>`. */
export function tourRunDir(outDir: string, scenario: { name: string }, strategy: string): string {
  return join(outDir, `${scenario.name}-${strategy}`)
}

/** The body of the thread (and of the serial fallback): the runs, their files, their summaries. */
export function runTourHalf({ settings, strategy }: TourHalfInput): TourHalfOutput {
  const { scenarioNames, ...rest } = settings
  const scenarios = scenarioNames.map((name) => {
    const scenario = scenarioByName(name)
    if (scenario === undefined) throw new Error(`tour: no scenario ${name}`)
    return scenario
  })
  const chunks: string[] = []
  const out = { write: (chunk: string): boolean => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream
  const runs = runAndReport({ ...rest, scenarios, quiet: true }, { out, err: process.stderr, dirFor: (scenario, s) => tourRunDir(settings.outDir, scenario, s) }, strategy)
  return { runs, text: chunks.join('') }
}

/** Whether a second thread would run beside this one rather than take turns with it. */
export function canRunBeside(): boolean {
  return availableParallelism() >= 2
}

/** Start a half on its own thread; the promise settles with its output or the thread's error. */
export function startTourHalf(settings: RunSettings, strategy: string): Promise<TourHalfOutput> {
  const { scenarios, ...rest } = settings
  const input: TourHalfInput = { settings: { ...rest, scenarioNames: scenarios.map((scenario: Scenario) => scenario.name) }, strategy }
  return new Promise((resolve, reject) => {
    // No inherited flags: the entry loads TypeScript itself.
    const worker = new Worker(new URL('./tour-half-entry.mjs', import.meta.url), { workerData: input, execArgv: [] })
    let settled = false
    worker.once('message', (output: TourHalfOutput) => {
      settled = true
      resolve(output)
    })
    worker.once('error', (error) => {
      settled = true
      reject(error)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`tour: the ${strategy} runs' thread exited with code ${code} before it finished`))
    })
  })
}
