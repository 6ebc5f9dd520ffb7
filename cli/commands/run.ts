// likestorm run <scenario…|--all> [--mode sim|http] [--seed N] [--scale F] [--strategy S] [--out DIR] …
// Every mode: the earlier outputs of the runs go first, a stop signal ends the runs cleanly with a
// partial result, and one rule (exit-codes.ts) turns the runs into the exit code.
import { join } from 'node:path'
import { withStopSignals } from '../stop-signals.ts'
import { runHttpCommand } from './run-http.ts'
import { assertRunnable, clearEarlierOutputs, finishRuns, parseRunSettings, type Io, type RunSettings } from './run-settings.ts'
import { runSimOnThread } from './sim-thread.ts'

// The pieces other commands and tests use, from where they have always been imported.
export { RUN_FLAGS, clearEarlierOutputs, parseRunSettings, writeRunsIndex, type HttpSettings, type ReportedRun, type RunSettings } from './run-settings.ts'
export { runAndReport, renderSimProgress } from './run-sim.ts'
export { runHttpAndReport, renderHttpProgress } from './run-http.ts'

export function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const settings = parseRunSettings(argv)
  assertRunnable(settings)
  return settings.mode === 'http' ? runHttpCommand(settings, io) : runSimCommand(settings, io)
}

export const SIM_STOP_MESSAGE = 'the current run ends its traffic at its next batch of operations, does its final reads and writes a partial result'

/** Mode sim: the runs on a second thread (see sim-thread.ts). */
async function runSimCommand(settings: RunSettings, io: Io): Promise<number> {
  const dirs = settings.scenarios.map((scenario) => join(settings.outDir, scenario.name))
  clearEarlierOutputs(dirs, settings.outDir)
  return withStopSignals({ err: io.err, onStop: SIM_STOP_MESSAGE }, async (stop) => {
    const runs = await runSimOnThread(settings, { ...io, dirs, signal: stop.signal })
    return finishRuns(runs, { settings, out: io.out, signal: stop.received })
  })
}
