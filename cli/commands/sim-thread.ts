// Mode sim computes a run without yielding (virtual time, no I/O), and Node runs a signal handler
// only when the thread that installed it yields. So `likestorm run --mode sim` computes on a second
// thread and this one stays free: on a stop signal it raises a flag in shared memory, which the
// run polls every 65,536 operations (a few hundredths of a second at ~300k operations/s): the run
// ends its traffic there, does its final reads and writes a partial result marked interrupted,
// and no further run starts. A second signal ends the process at once, the thread with it.
// Which thread computes a run changes nothing in it: mode sim reads no clock and no shared state.
import { Worker } from 'node:worker_threads'
import { UsageError } from '../../scenarios/errors.ts'
import { STOP_SIGNALS } from '../exit-codes.ts'
import { PLAIN_PROGRESS_EVERY_MS, progressLine, type ProgressLine } from '../progress.ts'
import type { WithSummaryFormat } from '../summary.ts'
import type { SimThreadInput, SimThreadMessage } from './run-sim.ts'
import type { Io, ReportedRun, RunSettings } from './run-settings.ts'

/** Run `settings.scenarios` in mode sim on a second thread into `dirs` (each with its entry of `seeds`, when given); summaries go to `out` as each run ends. */
export function runSimOnThread(settings: RunSettings & WithSummaryFormat, { dirs, seeds, out, err, signal }: Io & { dirs: readonly string[]; seeds?: readonly number[]; signal: AbortSignal }): Promise<ReportedRun[]> {
  const { scenarios, ...plain } = settings
  const input: SimThreadInput = { settings: plain, scenarios, dirs, ...(seeds === undefined ? {} : { seeds }), stop: new SharedArrayBuffer(4) }
  const raise = (): void => {
    const index = (STOP_SIGNALS as readonly unknown[]).indexOf(signal.reason)
    Atomics.store(new Int32Array(input.stop), 0, index >= 0 ? index + 1 : 1)
  }
  if (signal.aborted) raise()
  else signal.addEventListener('abort', raise, { once: true })
  // A line per run: on a terminal it is redrawn in place; in a log each run's first line shows.
  const newProgress = (): ProgressLine => progressLine({ stream: err, enabled: !settings.quiet, plainEveryMs: PLAIN_PROGRESS_EVERY_MS })
  let progress = newProgress()
  const runs: ReportedRun[] = []
  return new Promise<ReportedRun[]>((resolve, reject) => {
    // No inherited flags: the entry loads TypeScript itself.
    const worker = new Worker(new URL('./sim-thread-entry.mjs', import.meta.url), { workerData: input, execArgv: [] })
    let failure: Error | undefined
    let done = false
    worker.on('message', (message: SimThreadMessage) => {
      if (message.kind === 'progress') return progress.update(message.text)
      progress.done()
      if (message.kind === 'run') {
        out.write(message.text)
        runs.push(message.run)
        progress = newProgress()
      } else if (message.kind === 'usage') {
        failure = new UsageError(message.code, message.message)
      } else {
        done = true
      }
    })
    worker.once('error', (error) => {
      failure ??= error
    })
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', raise)
      progress.done()
      if (failure !== undefined) reject(failure)
      else if (!done) reject(new Error(`likestorm run: the sim thread exited with code ${code} before it finished`))
      else resolve(runs)
    })
  })
}
