// likestorm tour (npm start): the 2020 incident over real sockets (mode http, the mock server
// started here on loopback, small and time-compressed so the tour stays short), and the library in
// mode sim with both counting strategies, on embedded defaults. Each scenario's expected
// outcome says which checks the naive counter must fail. Exit 0 when every run matched it.
// It prints a line per run (--verbose: every check of every run), a table, the index and why it
// exits; the details are in each run's report.
import { join } from 'node:path'
import { parseFlags, intFlag, numberFlag, stringFlag, type FlagSpec } from '../args.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { assertFitsScale } from '../../scenarios/run/run-setup.ts'
import { EXIT, SIGNAL_EXIT, type StopSignal } from '../exit-codes.ts'
import type { RunResult } from '../../result/result.ts'
import { withStopSignals, type StopSignals } from '../stop-signals.ts'
import { foldText } from '../fold.ts'
import { renderTourTable, summaryFormat } from '../summary.ts'
import { clearEarlierOutputs, runHttpAndReport, writeRunsIndex, type ReportedRun, type RunSettings } from './run.ts'
import { TourOutputs, TourQueue, canRunBeside, runTourJob, startTourWorker, tourClaimOrder, tourJobs, tourRunDir, type TourPoolSettings } from './tour-pool.ts'

/**
 * The mode http leg: the July 2020 incident, at 5% of the world and twice as fast as real time.
 * Client and server share this thread, so one core is the leg's budget. At time scale 0.5 it sends
 * about 240 operations a wall second on about a sixth of a core, and a send counts as late only
 * past 50 ms (100 ms of scenario time). Beside a busy loop, with other work on the machine (load
 * average 2-5.5 on 2 cores), it kept its schedule in all 6 runs measured (at most 0.96% late); at
 * 0.25 it lost it in 3 runs of 4 (2-5% late), at 0.1 in 1 of 2 (1.2% late, with load 2.6). It
 * makes the tour take about 90 s instead of 60 s.
 */
export const TOUR_HTTP = { scenario: 'overload-virginia', scale: 0.05, timeScale: 0.5 } as const

type Io = { out: NodeJS.WritableStream; err: NodeJS.WriteStream }

export async function tourCommand(argv: readonly string[], io: Io): Promise<number> {
  const { settings, withHttp, parallel } = parseTourArgs(argv)
  // Every run must fit the scale before any starts (a thread's error would not arrive as a usage error).
  for (const scenario of LIBRARY) assertFitsScale(scenario, settings.scale)
  if (withHttp) assertFitsScale(scenarioByName(TOUR_HTTP.scenario) as Scenario, TOUR_HTTP.scale * settings.scale)
  // A stop signal ends the http leg with a partial result; a sim run is seen to end between runs.
  return withStopSignals({ err: io.err, onStop: 'the runs under way end, then the tour reports what ran' }, (stop) => tour({ settings, withHttp, parallel }, io, stop))
}

async function tour({ settings, withHttp, parallel }: { settings: TourPoolSettings; withHttp: boolean; parallel: boolean }, io: Io, stop: StopSignals): Promise<number> {
  const jobs = tourJobs(LIBRARY.map((scenario) => scenario.name), ['robust', 'naive'])
  // An earlier tour's files go first: a run a signal keeps from happening leaves none behind.
  clearEarlierOutputs([...jobs.map((job) => tourRunDir(settings.outDir, { name: job.scenarioName }, job.strategy)), tourRunDir(settings.outDir, { name: TOUR_HTTP.scenario }, 'robust-http')], settings.outDir)
  io.out.write(`${renderTourHeader(settings, withHttp)}\n\n`)
  // The sim runs go to a second thread at once, while this one drives the http leg (which mostly
  // waits on sockets); that thread runs in the background, at the lowest priority, so the leg keeps
  // its schedule. After the leg it takes no new run: a thread at normal priority takes its place
  // and this one takes sim runs too. Runs print in the jobs' order; alone, a thread runs the jobs
  // in that order, printing each as it ends.
  const order = parallel ? tourClaimOrder(jobs, settings.scale) : jobs.map((_, index) => index)
  const queue = new TourQueue(jobs.length)
  const outputs = new TourOutputs(jobs.length, io.out)
  const workerFailures: Array<Promise<unknown>> = []
  const startWorker = (background: boolean): void => {
    if (!parallel) return
    const done = startTourWorker(settings, jobs, order, queue, (output) => outputs.set(output), { background })
    workerFailures.push(done.then(() => undefined, (error: unknown) => error))
  }
  // The first failure of a thread, once every thread has ended.
  const workersEnded = async (): Promise<unknown> => (await Promise.all(workerFailures)).find((failure) => failure !== undefined)
  const runs: ReportedRun[] = []
  let aborted = false
  try {
    startWorker(withHttp)
    if (withHttp) {
      const http = await runHttpLeg(settings, io, stop.signal)
      runs.push(...http.runs)
      aborted = http.aborted
      queue.closeBackground()
      // Interrupted: no new sim runs; the one another thread is in finishes.
      if (aborted) queue.close()
      else startWorker(false)
    }
    for (let position = queue.claim(); position >= 0; position = queue.claim()) {
      if (stop.received !== undefined) {
        aborted = true
        queue.close()
        break
      }
      outputs.printReady()
      outputs.set(runTourJob(settings, jobs, order[position] as number, io.err))
      outputs.printReady()
      // A turn of the event loop lets the other threads' finished runs in.
      await new Promise((resolve) => setImmediate(resolve))
    }
  } catch (error) {
    // Whatever went wrong here, the other threads take no new run and are waited for.
    queue.close()
    await workersEnded()
    throw error
  }
  if (parallel && !outputs.allPrinted && !settings.quiet) io.err.write('tour: waiting for the sim runs on the other threads…\n')
  const failure = await workersEnded()
  if (failure !== undefined) throw failure
  // After an interruption some runs never happened: the ones that did are printed all the same.
  outputs.printAll()
  runs.push(...outputs.runs())
  const results = runs.map((run) => run.result)
  // A summary ends with a blank line of its own; lines are set apart from the table here.
  io.out.write(`${settings.summary?.style === 'line' ? '\n' : ''}${renderTourTable(results)}\n\n`)
  io.out.write(`Reports: ${writeRunsIndex(runs, settings.outDir) ?? settings.outDir}\n`)
  const exit = tourExit(results, aborted ? (stop.received ?? 'SIGINT') : stop.received)
  io.out.write(`${foldText(`Exit ${exit.code}: ${exit.reason}`)}\n`)
  return exit.code
}

/** What the tour runs, in a line per mode. */
function renderTourHeader(settings: TourPoolSettings, withHttp: boolean): string {
  const lines = [
    `LikeStorm tour, seed ${settings.seed}${settings.summary?.style === 'line' ? ', a line per run (--verbose: every check of every run)' : ''}:`,
    ...(withHttp ? [`  mode http: ${TOUR_HTTP.scenario} at scale ${TOUR_HTTP.scale * settings.scale}, time scale ${TOUR_HTTP.timeScale}, over loopback sockets to a mock server started here`] : []),
    `  mode sim: ${LIBRARY.length} scenarios x 2 strategies (robust, then naive) at scale ${settings.scale}`,
  ]
  return lines.map((line) => foldText(line)).join('\n')
}

/** The tour's exit code and why, in words: a signal first, then a run that did not match its expected outcome, then one not judged in full. */
export function tourExit(results: readonly RunResult[], signal: StopSignal | undefined): { code: number; reason: string } {
  const label = (result: RunResult): string => `${result.scenario.name} [${result.strategy.name}, ${result.mode}]`
  if (signal !== undefined) return { code: SIGNAL_EXIT[signal], reason: `stopped by ${signal}; ${results.length} run(s) ended and are reported above, the others did not run.` }
  const unmatched = results.filter((result) => result.expectation?.matched !== true)
  if (unmatched.length > 0) return { code: EXIT.CHECK_FAILED, reason: `${unmatched.length} run(s) did NOT match their expected outcome: ${unmatched.map(label).join(', ')}.` }
  const inconclusive = results.filter((result) => result.verdict === 'inconclusive')
  if (inconclusive.length > 0) return { code: EXIT.INCONCLUSIVE, reason: `every judged check matched its expected outcome, but ${inconclusive.map(label).join(', ')} could not be judged in full (INCONCLUSIVE: see its report).` }
  return { code: EXIT.OK, reason: 'every run matched its expected outcome.' }
}

export const TOUR_FLAGS = {
  seed: { type: 'string', value: 'N', help: 'world seed (default 7)' },
  scale: { type: 'string', value: 'F', help: 'population and load multiplier, 0 < F <= 1000 (default 1)' },
  out: { type: 'string', value: 'DIR', help: 'results folder (default out/tour)' },
  quiet: { type: 'boolean', help: 'no progress lines' },
  'no-http': { type: 'boolean', help: 'skip the mode-http leg' },
  serial: { type: 'boolean', help: 'run everything on one thread (default: the sim runs on a second thread beside the http leg)' },
  verbose: { type: 'boolean', help: 'print every check of every run, with examples (default: one line per run)' },
} as const satisfies FlagSpec

function parseTourArgs(argv: readonly string[]): { settings: TourPoolSettings; withHttp: boolean; parallel: boolean } {
  const { values } = parseFlags(argv, TOUR_FLAGS, 'tour')
  const settings: TourPoolSettings = {
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    strategy: 'robust',
    outDir: stringFlag(values.out, join('out', 'tour')),
    quiet: values.quiet === true,
    reports: true,
    mode: 'sim',
    http: { target: undefined, allowRemoteTarget: false, adminToken: undefined, timeScale: 1, durationMaxS: undefined, connections: undefined },
    summary: summaryFormat({ verbose: values['verbose'] === true, scenarioNames: LIBRARY.map((scenario) => scenario.name) }),
  }
  return { settings, withHttp: values['no-http'] !== true, parallel: canRunBeside() && values.serial !== true }
}

/** The http leg: the incident, small and time-compressed, against the mock server started here. */
function runHttpLeg(settings: TourPoolSettings, io: Io, signal: AbortSignal): Promise<{ runs: ReportedRun[]; aborted: boolean }> {
  const legSettings: RunSettings = {
    ...settings,
    scenarios: [scenarioByName(TOUR_HTTP.scenario) as Scenario],
    scale: TOUR_HTTP.scale * settings.scale,
    mode: 'http',
    http: { ...settings.http, timeScale: TOUR_HTTP.timeScale },
  }
  return runHttpAndReport(legSettings, { ...io, dirFor: (scenario, strategy) => tourRunDir(settings.outDir, scenario, `${strategy}-http`), k6Summary: false, signal })
}
