// likestorm run --mode http: the runs go over sockets, one after the other, each stoppable by a
// signal (the driver ends on the AbortSignal, answers on the wire get a moment, a partial result
// marked interrupted is written) or by its own wall-time bound, which says so.
import { join } from 'node:path'
import { writeReports } from '../../reports/write-reports.ts'
import type { HttpProgress } from '../../scenarios/run/http/http-driver.ts'
import { runScenarioHttp } from '../../scenarios/run/http/http-runner.ts'
import type { RunResult, StoppedBy } from '../../result/result.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { withOverrides } from '../../scenarios/overrides.ts'
import { withScenarioFile } from '../../scenarios/scenario-file.ts'
import { isStopSignal } from '../exit-codes.ts'
import { renderK6Summary } from '../k6-summary.ts'
import { PLAIN_PROGRESS_EVERY_MS, progressLine } from '../progress.ts'
import { clearRunOutputs } from '../run-outputs.ts'
import { withStopSignals } from '../stop-signals.ts'
import { renderRun, type WithSummaryFormat } from '../summary.ts'
import { systemArg } from '../system-arg.ts'
import { detectorArg } from '../detector-arg.ts'
import { writeResult } from '../write-result.ts'
import { clearEarlierOutputs, finishRuns, type HttpSettings, type Io, type ReportedRun, type RunSettings } from './run-settings.ts'
import { clearSeedSummaries, finishSeedRuns, seedDirName, seedJobs } from './run-seeds.ts'
import { targetLines } from '../../reports/target-lines.ts'
import { foldText } from '../fold.ts'

export const HTTP_STOP_MESSAGE = 'in-flight requests get 2 s, then a partial result is written'

/** Mode http: the runs one after the other; with --seeds, each scenario once per seed and a summary over them (as mode sim). */
export function runHttpCommand(settings: RunSettings & WithSummaryFormat, io: Io): Promise<number> {
  const dirFor = (scenario: Scenario): string => join(settings.outDir, scenario.name)
  const { seeds } = settings
  const jobs = seeds === undefined ? undefined : seedJobs(settings, seeds)
  clearEarlierOutputs(jobs?.dirs ?? settings.scenarios.map(dirFor), settings.outDir)
  if (jobs !== undefined) clearSeedSummaries(settings)
  return withStopSignals({ err: io.err, onStop: HTTP_STOP_MESSAGE }, async (stop) => {
    const { runs } = await runHttpAndReport(settings, { ...io, dirFor, k6Summary: true, signal: stop.signal })
    // Lines, unlike summaries, end with no blank line of their own to part them from the matrix.
    if (settings.summary?.style === 'line' && runs.length > 1) io.out.write('\n')
    if (seeds === undefined || jobs === undefined) return finishRuns(runs, { settings, out: io.out, signal: stop.received })
    return finishSeedRuns(runs, { settings, seeds, jobs, out: io.out, signal: stop.received })
  })
}

export interface HttpRunIo extends Io {
  /** A run's folder; with `settings.seeds`, each seed's run goes to its seed's folder within it. */
  readonly dirFor: (scenario: Scenario, strategy: string) => string
  readonly k6Summary: boolean
  /** Stops the runs (its reason, a signal's name, is recorded); without it, the stop signals are handled here. */
  readonly signal?: AbortSignal
}

/**
 * Run scenarios in mode http, one after the other: a progress line, each run as `settings.summary`
 * says (and the k6-style summary when asked, unless a line per run), each result and its reports.
 * Once `signal` aborts, the current run stops cleanly (a partial result is written) and the rest
 * are skipped.
 */
export async function runHttpAndReport(settings: RunSettings & WithSummaryFormat, io: HttpRunIo): Promise<{ runs: ReportedRun[]; aborted: boolean }> {
  const { signal } = io
  if (signal === undefined) return withStopSignals({ err: io.err, onStop: HTTP_STOP_MESSAGE }, (stop) => runHttpAndReport(settings, { ...io, signal: stop.signal }))
  const { out, err, dirFor, k6Summary } = io
  const runs: ReportedRun[] = []
  // The embedded server runs the user's module (--system) on its own thread: loaded there again from its path.
  const strategy = settings.system === undefined ? settings.strategy : await systemArg(settings.system, process.cwd())
  const name = typeof strategy === 'string' ? strategy : strategy.name
  // So does the user's detector (--detector): checked here, loaded again there.
  const detector = settings.detector === undefined ? undefined : await detectorArg(settings.detector, process.cwd())
  // --seeds: each scenario once per seed, seed by seed within each (as seedJobs orders them).
  const runList = settings.scenarios.flatMap((scenario) =>
    settings.seeds === undefined ? [{ scenario, seed: settings.seed, dir: dirFor(scenario, name) }] : settings.seeds.map((seed) => ({ scenario, seed, dir: join(dirFor(scenario, name), seedDirName(seed)) })),
  )
  for (const { scenario, seed, dir } of runList) {
    if (signal.aborted) break
    clearRunOutputs(dir)
    const progress = progressLine({ stream: err, enabled: !settings.quiet, plainEveryMs: PLAIN_PROGRESS_EVERY_MS })
    const outcome = await runScenarioHttp({
      scenario,
      seed,
      scale: settings.scale,
      strategy,
      ...(detector === undefined ? {} : { detector }),
      timeScale: settings.http.timeScale,
      allowRemoteTarget: settings.http.allowRemoteTarget,
      signal,
      ...(settings.http.target === undefined ? {} : { target: settings.http.target }),
      ...(settings.http.targetProfile === undefined ? {} : { targetProfile: settings.http.targetProfile }),
      ...(settings.http.adminToken === undefined ? {} : { adminToken: settings.http.adminToken }),
      ...(settings.http.faults === undefined ? {} : { faults: settings.http.faults }),
      ...(settings.http.durationMaxS === undefined ? {} : { durationMaxS: settings.http.durationMaxS }),
      ...(settings.http.connections === undefined ? {} : { connections: settings.http.connections }),
      ...(settings.http.allowDirtyTarget === true ? { allowDirtyTarget: true } : {}),
      ...(settings.http.adapter === undefined ? {} : { adapter: settings.http.adapter }),
      onProgress: (p) => progress.update(renderHttpProgress(scenario.name, p)),
    })
    progress.done()
    const file = settings.files?.[scenario.name]
    const result = withStopCause(withOverrides(file === undefined ? outcome.result : withScenarioFile(outcome.result, file), settings.overrides), { signal, http: settings.http })
    const path = writeResult(result, dir)
    const reports = settings.reports ? writeReports(result, dir) : undefined
    const text = renderRun(result, settings.summary, { resultPath: path, wallMs: outcome.wallMs, ...(reports === undefined ? {} : { reportPath: reports.html }) })
    // One line per run says only how many faults were skipped (the report says which); the k6-style summary is a detail too.
    if (settings.summary?.style === 'line') out.write(text)
    else {
      out.write(text.slice(0, -1))
      out.write(renderTargetSummary(result, outcome.skippedFaults, { brief: settings.summary?.style === 'brief' }))
      out.write(k6Summary ? `\n${renderK6Summary(result)}\n\n` : '\n')
    }
    runs.push({ result, reports })
  }
  return { runs, aborted: signal.aborted }
}

/**
 * The driver reports that a run stopped early and whether a threshold did it, not whether it was
 * the signal or its own wall-time bound (it will: the AbortSignal's reason is the signal's name).
 * Until a result names its cause, this names it: the signal if ours aborted, else the bound.
 */
export function withStopCause(result: RunResult, { signal, http }: { signal: AbortSignal; http: Pick<HttpSettings, 'durationMaxS'> }): RunResult {
  const stopped = result.stoppedBy
  if (stopped === undefined || stopped.kind !== 'signal' || isStopSignal(stopped.detail)) return result
  const stoppedBy: StoppedBy = signal.aborted
    ? { kind: 'signal', detail: String(signal.reason) }
    : {
        kind: 'time-limit',
        detail: http.durationMaxS === undefined ? 'the default wall-time bound (the scenario duration x --time-scale + 300 s) was reached' : `the wall-time bound --time-limit ${http.durationMaxS} s was reached`,
      }
  return { ...result, stoppedBy }
}

/**
 * After a run's summary: the faults it skipped and what its --target offered, a line each (brief,
 * like the summary: folded between words within the width).
 */
export function renderTargetSummary(result: RunResult, skippedFaults: readonly string[], { brief }: { brief: boolean }): string {
  const prose = (line: string): string => `${brief ? foldText(line, { extraIndent: '    ' }) : line}\n`
  return [...skippedFaults.map((skipped) => prose(`  skipped: ${skipped}`)), ...targetLines(result).map((line) => prose(`  target: ${line}`))].join('')
}

export function renderHttpProgress(name: string, p: HttpProgress): string {
  const elapsed = `${(p.scenarioMs / 1000).toFixed(0)}s/${(p.durationMs / 1000).toFixed(0)}s`
  const errors = p.attempts === 0 ? '0.0%' : `${((100 * p.failed) / p.attempts).toFixed(1)}%`
  const faults = p.activeFaults.length === 0 ? '' : ` · faults: ${p.activeFaults.join(', ')}`
  return `${name} [http] ${p.phase} ${elapsed} · ${p.ratePerS.toFixed(0)} req/s · ${p.attempts.toLocaleString('en-US')} requests · ${errors} errors${faults}`
}
