// likestorm run <scenario|file…|--all> [--mode sim|http] [--seed N] [--scale F] [--strategy S | --system M] [--out DIR] …
// Every mode: the earlier outputs of the runs go first, a stop signal ends the runs cleanly with a
// partial result, and one rule (exit-codes.ts) turns the runs into the exit code.
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { withStopSignals } from '../stop-signals.ts'
import { summaryFormat, type WithSummaryFormat } from '../summary.ts'
import { runHttpCommand } from './run-http.ts'
import { RUN_FLAGS, assertRunnable, clearEarlierOutputs, finishRuns, loadRunSettings, namesFiles, parseRunSettings, type Io, type RunSettings } from './run-settings.ts'
import { runSimOnThread } from './sim-thread.ts'
import { clearSeedSummaries, finishSeedRuns, seedJobs } from './run-seeds.ts'

// The pieces other commands and tests use, from where they have always been imported.
export { RUN_FLAGS, clearEarlierOutputs, loadRunSettings, parseRunSettings, writeRunsIndex, type HttpSettings, type ReportedRun, type RunSettings } from './run-settings.ts'
export { runAndReport, renderSimProgress } from './run-sim.ts'
export { runHttpAndReport, renderHttpProgress } from './run-http.ts'

export function runCommand(argv: readonly string[], io: Io): Promise<number> {
  // A usage error in the flags or a library name is thrown at once; files (scenarios, a --system module) load asynchronously.
  const settings = parseRunSettings(argv)
  const verbose = parseFlags(argv, RUN_FLAGS, 'run').values['verbose'] === true
  const start = (loaded: RunSettings): Promise<number> => {
    assertRunnable(loaded)
    // --seeds: a line per seed's run, as for several scenarios.
    const scenarioNames = loaded.scenarios.flatMap((scenario) => (loaded.seeds ?? [loaded.seed]).map(() => scenario.name))
    const ready = { ...loaded, summary: summaryFormat({ verbose, scenarioNames }) }
    return ready.mode === 'http' ? runHttpCommand(ready, io) : runSimCommand(ready, io)
  }
  return namesFiles(argv) ? loadRunSettings(argv, process.cwd()).then(start) : start(settings)
}

export const SIM_STOP_MESSAGE = 'the current run ends its traffic at its next batch of operations, does its final reads and writes a partial result'

/** Mode sim: the runs on a second thread (see sim-thread.ts); with --seeds, each scenario once per seed and a summary over them. */
async function runSimCommand(settings: RunSettings & WithSummaryFormat, io: Io): Promise<number> {
  const seeds = settings.seeds
  const jobs = seeds === undefined ? undefined : seedJobs(settings, seeds)
  const dirs = jobs?.dirs ?? settings.scenarios.map((scenario) => join(settings.outDir, scenario.name))
  clearEarlierOutputs(dirs, settings.outDir)
  if (jobs !== undefined) clearSeedSummaries(settings)
  return withStopSignals({ err: io.err, onStop: SIM_STOP_MESSAGE }, async (stop) => {
    const runs = await runSimOnThread(jobs === undefined ? settings : { ...settings, scenarios: jobs.scenarios }, { ...io, dirs, ...(jobs === undefined ? {} : { seeds: jobs.seeds }), signal: stop.signal })
    // Lines, unlike summaries, end with no blank line of their own to part them from the matrix.
    if (settings.summary?.style === 'line' && runs.length > 1) io.out.write('\n')
    if (seeds === undefined || jobs === undefined) return finishRuns(runs, { settings, out: io.out, signal: stop.received })
    return finishSeedRuns(runs, { settings, seeds, jobs, out: io.out, signal: stop.received })
  })
}
